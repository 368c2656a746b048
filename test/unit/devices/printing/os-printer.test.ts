import type { BrowserWindowConstructorOptions, WebContentsPrintOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createOsPrinterSink, listOsPrinters, type PrintWindow } from '../../../../electron/adapters/os-printer';
import { PrinterUnreachableError } from '../../../../electron/devices/printer/sink';

/** Stands in for Electron's BrowserWindow: records what the adapter asks of it. */
class StubWindow implements PrintWindow {
  loadedUrl = '';
  printOptions: WebContentsPrintOptions | null = null;
  destroyed = false;

  constructor(
    readonly options: BrowserWindowConstructorOptions,
    private readonly outcome: { success: boolean; reason: string } | 'never',
  ) {}

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }

  webContents = {
    print: (options: WebContentsPrintOptions, callback: (success: boolean, failureReason: string) => void): void => {
      this.printOptions = options;
      const outcome = this.outcome;
      if (outcome !== 'never') setImmediate(() => callback(outcome.success, outcome.reason));
    },
    executeJavaScript: (_code: string): Promise<unknown> => Promise.resolve(400),
  };

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

function sinkWith(outcome: { success: boolean; reason: string } | 'never', timeoutMs?: number) {
  const windows: StubWindow[] = [];
  const sink = createOsPrinterSink('XP-80C', {
    paper: 80,
    timeoutMs,
    createWindow: (options) => {
      const window = new StubWindow(options, outcome);
      windows.push(window);
      return window;
    },
  });
  return { sink, windows };
}

describe('OS printer adapter', () => {
  it('prints the HTML silently on the named printer in a hidden window, then destroys the window', async () => {
    const { sink, windows } = sinkWith({ success: true, reason: '' });
    await sink.printHtml('<!doctype html><p>小票 ￥1.00</p>');
    const [window] = windows;
    expect(window?.options.show).toBe(false);
    expect(window?.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(decodeURIComponent(window?.loadedUrl.replace('data:text/html;charset=utf-8,', '') ?? '')).toBe(
      '<!doctype html><p>小票 ￥1.00</p>',
    );
    expect(window?.printOptions).toMatchObject({
      silent: true,
      deviceName: 'XP-80C',
      pageSize: { width: 80_000, height: Math.ceil((400 * 25_400) / 96) },
    });
    expect(window?.destroyed).toBe(true);
  });

  it('rejects with the driver reason so the queue retries, and still destroys the window', async () => {
    const { sink, windows } = sinkWith({ success: false, reason: 'Printer is offline' });
    await expect(sink.printHtml('<p>x</p>')).rejects.toThrow(PrinterUnreachableError);
    await expect(sink.printHtml('<p>x</p>')).rejects.toThrow(/os:XP-80C: Printer is offline/);
    expect(windows.every((w) => w.destroyed)).toBe(true);
  });

  it('gives up on a driver that never calls back', async () => {
    const { sink, windows } = sinkWith('never', 20);
    await expect(sink.printHtml('<p>x</p>')).rejects.toThrow(/did not answer within 20 ms/);
    expect(windows[0]?.destroyed).toBe(true);
  });

  it('lists the OS printers by system name', async () => {
    const webContents = {
      getPrintersAsync: () =>
        Promise.resolve([
          { name: 'XP-80C', displayName: 'XP 80C', description: '', options: {} },
          { name: 'PDF', displayName: 'PDF', description: '', options: {} },
        ]),
    };
    expect(await listOsPrinters(webContents)).toEqual(['XP-80C', 'PDF']);
  });
});
