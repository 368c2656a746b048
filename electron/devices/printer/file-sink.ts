import { appendFile } from 'node:fs/promises';
import { errorText, PrinterUnreachableError, type PrinterSink } from './sink';

/**
 * Appends each job to a file: a Linux USB printer node (/dev/usb/lp0), a shared spool file, or a capture file
 * for checking receipts without paper. No status can be read back.
 */
export class FilePrinterSink implements PrinterSink {
  readonly format = 'escpos';
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `file:${path}`;
  }

  async write(bytes: Uint8Array): Promise<void> {
    try {
      await appendFile(this.path, bytes);
    } catch (error) {
      throw new PrinterUnreachableError(`${this.description}: ${errorText(error)}`, { cause: error });
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
