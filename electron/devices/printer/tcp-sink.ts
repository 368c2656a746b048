import { Socket } from 'node:net';
import { statusQuery, type StatusKind } from '../escpos/commands';
import { queryPrinterStatus, type PrinterStatus } from '../escpos/status';
import { ByteReader, SerialLock } from './byte-reader';
import { errorText, PrinterUnreachableError, type PrinterSink } from './sink';

export interface TcpSinkOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
  /** How long to wait for each status byte before treating the status as unknown. */
  statusTimeoutMs?: number;
  /**
   * Close the connection after this long without use. Network printers serve one connection at a time, so
   * holding it open would lock out other tills and the printer's own web page.
   */
  idleCloseMs?: number;
}

/** A network printer's raw port (9100): bytes in, status bytes out. */
export class TcpPrinterSink implements PrinterSink {
  readonly format = 'escpos';
  readonly description: string;
  private socket: Socket | null = null;
  private readonly reader = new ByteReader();
  private readonly lock = new SerialLock();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: TcpSinkOptions) {
    this.description = `tcp://${options.host}:${options.port}`;
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.lock.run(async () => {
      const socket = await this.connected();
      await new Promise<void>((resolve, reject) => {
        socket.write(bytes, (error) => (error ? reject(this.unreachable(error)) : resolve()));
      });
      this.armIdleClose();
    });
  }

  readStatus(): Promise<PrinterStatus> {
    return this.lock.run(async () => {
      const socket = await this.connected();
      const status = await queryPrinterStatus((kind) => this.ask(socket, kind));
      this.armIdleClose();
      return status;
    });
  }

  close(): Promise<void> {
    return this.lock.run(() => {
      this.disconnect();
      return Promise.resolve();
    });
  }

  private async ask(socket: Socket, kind: StatusKind): Promise<number | null> {
    this.reader.discard();
    await new Promise<void>((resolve, reject) => {
      socket.write(statusQuery(kind), (error) => (error ? reject(this.unreachable(error)) : resolve()));
    });
    return this.reader.next(this.options.statusTimeoutMs ?? 1000);
  }

  private connected(): Promise<Socket> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const timeoutMs = this.options.connectTimeoutMs ?? 3000;
      const fail = (error: Error): void => {
        socket.destroy();
        reject(this.unreachable(error));
      };
      socket.setTimeout(timeoutMs, () => fail(new Error(`no connection within ${timeoutMs} ms`)));
      socket.once('error', fail);
      socket.connect(this.options.port, this.options.host, () => {
        socket.off('error', fail);
        socket.setTimeout(0);
        socket.setNoDelay(true);
        this.adopt(socket);
        resolve(socket);
      });
    });
  }

  private adopt(socket: Socket): void {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.reader.push(chunk));
    // Errors surface on the next write; here they only end the connection.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      this.reader.abort();
    });
  }

  private armIdleClose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close(), this.options.idleCloseMs ?? 2000);
    this.idleTimer.unref();
  }

  private disconnect(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.socket?.destroy();
    this.socket = null;
  }

  private unreachable(error: Error): PrinterUnreachableError {
    return new PrinterUnreachableError(`${this.description}: ${errorText(error)}`, { cause: error });
  }
}
