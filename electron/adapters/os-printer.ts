import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents, WebContentsPrintOptions } from 'electron';
import type { PaperWidth } from '../../shared/receipt';
import { PrinterUnreachableError, type HtmlPrinterSink } from '../devices/printer/sink';

/**
 * Printing through the operating system's driver, for printers that take no raw ESC/POS: the HTML receipt is
 * loaded into a hidden window and printed with webContents.print({ silent: true, deviceName }).
 * Only types come from 'electron' here; main.ts passes `(options) => new BrowserWindow(options)`, so this file
 * loads (and is tested) under plain Node.
 */

/** The part of a BrowserWindow this adapter uses. */
export interface PrintWindow {
  loadURL(url: string): Promise<void>;
  webContents: {
    print(options: WebContentsPrintOptions, callback: (success: boolean, failureReason: string) => void): void;
    executeJavaScript(code: string): Promise<unknown>;
  };
  isDestroyed(): boolean;
  destroy(): void;
}

export type PrintWindowFactory = (options: BrowserWindowConstructorOptions) => PrintWindow;

// Fails to compile if Electron's BrowserWindow ever stops fitting PrintWindow.
const _browserWindowFits: BrowserWindow extends PrintWindow ? true : never = true;
void _browserWindowFits;

export interface OsPrinterOptions {
  createWindow: PrintWindowFactory;
  paper: PaperWidth;
  /** Some drivers never call back: give up after this long (default 30 s) so the queue can retry. */
  timeoutMs?: number;
}

const MICRONS_PER_CSS_PX = 25_400 / 96;

/** A sink printing each job in its own hidden window, destroyed afterwards. */
export function createOsPrinterSink(deviceName: string, options: OsPrinterOptions): HtmlPrinterSink {
  const description = `os:${deviceName}`;
  return {
    format: 'html',
    description,
    async printHtml(html: string): Promise<void> {
      const window = options.createWindow({
        show: false,
        width: 600,
        height: 800,
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
      });
      try {
        await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
        const heightPx = Number(await window.webContents.executeJavaScript('document.documentElement.scrollHeight'));
        await printSilently(window, deviceName, pageSize(options.paper, heightPx), options.timeoutMs ?? 30_000);
      } catch (error) {
        if (error instanceof PrinterUnreachableError) throw error;
        throw new PrinterUnreachableError(`${description}: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      } finally {
        if (!window.isDestroyed()) window.destroy();
      }
    },
    close: () => Promise.resolve(),
  };
}

/** The roll's width and the receipt's own length, in microns (what Electron's pageSize takes). */
function pageSize(paper: PaperWidth, heightPx: number): { width: number; height: number } {
  const height = Number.isFinite(heightPx) && heightPx > 0 ? Math.ceil(heightPx * MICRONS_PER_CSS_PX) : 297_000;
  return { width: paper * 1000, height: Math.max(height, 50_000) };
}

function printSilently(window: PrintWindow, deviceName: string, size: { width: number; height: number }, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new PrinterUnreachableError(`os:${deviceName}: the printer driver did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    window.webContents.print(
      { silent: true, deviceName, printBackground: false, margins: { marginType: 'none' }, pageSize: size },
      (success, failureReason) => {
        clearTimeout(timer);
        if (success) resolve();
        else reject(new PrinterUnreachableError(`os:${deviceName}: ${failureReason || 'print failed'}`));
      },
    );
  });
}

/** The OS printers' system names, for the settings screen (`os:<name>`). */
export async function listOsPrinters(webContents: Pick<WebContents, 'getPrintersAsync'>): Promise<string[]> {
  const printers = await webContents.getPrintersAsync();
  return printers.map((printer) => printer.name);
}
