import { contextBridge, ipcRenderer } from 'electron';
import { buildCallingBridge } from './bridge';

// Sandboxed, context-isolated preload of the cashier window: exposes only the contract's calls and events.
contextBridge.exposeInMainWorld('pos', buildCallingBridge(ipcRenderer, 'cashier'));
