import type { SerialPortStream } from '@serialport/stream';
import { createSerialPortStream } from '../serial/hangup-aware-binding';
import { statusQuery, type StatusKind } from '../escpos/commands';
import { queryPrinterStatus, type PrinterStatus } from '../escpos/status';
import { ByteReader, SerialLock } from './byte-reader';
import { errorText, PrinterUnreachableError, type PrinterSink } from './sink';

export interface SerialSinkOptions {
  path: string;
  baudRate: number;
  /** Hardware flow control: stops a long job from overrunning the printer's buffer at low baud rates. */
  rtscts?: boolean;
  statusTimeoutMs?: number;
}

/**
 * A printer on a serial port (RS-232 or USB-CDC). The port is opened on first use and kept open (serial ports
 * are exclusive to one process anyway); after an unplug it is reopened on the next job.
 */
export class SerialPrinterSink implements PrinterSink {
  readonly format = 'escpos';
  readonly description: string;
  private port: SerialPortStream | null = null;
  private readonly reader = new ByteReader();
  private readonly lock = new SerialLock();

  constructor(private readonly options: SerialSinkOptions) {
    this.description = `serial:${options.path}?baud=${options.baudRate}`;
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.lock.run(async () => {
      const port = await this.opened();
      await this.send(port, bytes);
    });
  }

  readStatus(): Promise<PrinterStatus> {
    return this.lock.run(async () => {
      const port = await this.opened();
      return queryPrinterStatus((kind) => this.ask(port, kind));
    });
  }

  close(): Promise<void> {
    return this.lock.run(async () => {
      const port = this.port;
      this.port = null;
      if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    });
  }

  private async ask(port: SerialPortStream, kind: StatusKind): Promise<number | null> {
    this.reader.discard();
    await this.send(port, statusQuery(kind));
    return this.reader.next(this.options.statusTimeoutMs ?? 1000);
  }

  /** Writes and waits for tcdrain, so "done" means the bytes left the computer. */
  private send(port: SerialPortStream, bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes), (error) => {
        if (error) {
          reject(this.unreachable(error));
          return;
        }
        port.drain((drainError) => (drainError ? reject(this.unreachable(drainError)) : resolve()));
      });
    });
  }

  private opened(): Promise<SerialPortStream> {
    if (this.port?.isOpen) return Promise.resolve(this.port);
    return new Promise((resolve, reject) => {
      // The hang-up-aware binding: a printer unplugged mid-status-read must not spin a core (see that file).
      const port = createSerialPortStream({
        path: this.options.path,
        baudRate: this.options.baudRate,
        dataBits: 8,
        parity: 'none',
        stopBits: 1,
        rtscts: this.options.rtscts ?? false,
      });
      // Bytes written before 'open' are lost, so nothing is written until this callback.
      port.open((error) => {
        if (error) {
          reject(this.unreachable(error));
          return;
        }
        port.on('data', (chunk: Buffer) => this.reader.push(chunk));
        port.on('error', () => undefined); // surfaces on the next write; the port is reopened then
        port.on('close', () => {
          if (this.port === port) this.port = null;
          this.reader.abort();
        });
        this.port = port;
        resolve(port);
      });
    });
  }

  private unreachable(error: Error): PrinterUnreachableError {
    return new PrinterUnreachableError(`${this.description}: ${errorText(error)}`, { cause: error });
  }
}
