import { FilePrinterSink } from './file-sink';
import { SerialPrinterSink } from './serial-sink';
import type { AnyPrinterSink, HtmlPrinterSink } from './sink';
import { TcpPrinterSink } from './tcp-sink';
import type { PrinterTarget } from './uri';

export interface OpenSinkDeps {
  /**
   * Makes the OS-printer sink (electron/adapters/os-printer.ts). Injected by electron/main.ts because only the
   * Electron side may load 'electron'; absent in the web host and tests, where `os:` printers are refused.
   */
  openOsPrinter?: (deviceName: string) => HtmlPrinterSink;
  statusTimeoutMs?: number;
}

export class PrinterSetupError extends Error {}

/** Builds the transport for a parsed printer address. Nothing is opened until the first job. */
export function openPrinterSink(target: PrinterTarget, deps: OpenSinkDeps = {}): AnyPrinterSink {
  const statusTimeoutMs = deps.statusTimeoutMs ?? 1000;
  switch (target.kind) {
    case 'serial':
      return new SerialPrinterSink({ path: target.path, baudRate: target.baudRate, rtscts: target.rtscts, statusTimeoutMs });
    case 'tcp':
      return new TcpPrinterSink({ host: target.host, port: target.port, statusTimeoutMs });
    case 'file':
      return new FilePrinterSink(target.path);
    case 'os':
      if (!deps.openOsPrinter) {
        throw new PrinterSetupError('OS printers (os:…) work only in the desktop app, not in the web host / 系统打印机仅桌面版可用');
      }
      return deps.openOsPrinter(target.deviceName);
  }
}
