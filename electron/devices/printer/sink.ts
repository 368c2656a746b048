import type { PrinterStatus } from '../escpos/status';

/**
 * Where ESC/POS bytes go: a serial port, a network printer's raw port 9100, or a file / device node.
 * `write` resolves once the transport has taken the bytes and rejects when the printer is unreachable.
 */
export interface PrinterSink {
  readonly format: 'escpos';
  /** For logs and the settings screen, e.g. "tcp://192.168.1.50:9100". */
  readonly description: string;
  write(bytes: Uint8Array): Promise<void>;
  /** Only transports that can hear the printer (serial, TCP) have this. Never rejects for "no answer". */
  readStatus?(): Promise<PrinterStatus>;
  close(): Promise<void>;
}

/** A printer reachable only through the OS driver: it takes the HTML rendering of the receipt. */
export interface HtmlPrinterSink {
  readonly format: 'html';
  readonly description: string;
  printHtml(html: string): Promise<void>;
  close(): Promise<void>;
}

export type AnyPrinterSink = PrinterSink | HtmlPrinterSink;

/** The transport could not reach the printer (refused, unplugged, timed out): worth retrying later. */
export class PrinterUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PrinterUnreachableError';
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
