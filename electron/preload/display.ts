import { contextBridge, ipcRenderer } from 'electron';
import { buildReceiveBridge } from './bridge';

// The customer display can only receive state: nothing a customer can touch calls into the app.
contextBridge.exposeInMainWorld('pos', buildReceiveBridge(ipcRenderer, 'display'));
