import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import type { PdfRenderer } from '../shifts/pdf';

/**
 * Shift reports as PDF inside Electron: the same report HTML loaded in a hidden, sandboxed window and printed
 * with Chromium's own printToPDF, so the desktop app needs no separate browser.
 */
export function createElectronPdfRenderer(createWindow: (options: BrowserWindowConstructorOptions) => BrowserWindow): PdfRenderer {
  return {
    async htmlToPdf(html) {
      const window = createWindow({
        show: false,
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
      });
      try {
        await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
        return await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
      } finally {
        window.destroy();
      }
    },
  };
}
