import { createServer, type Server, type Socket } from 'node:net';

/** The bytes a printer answers to DLE EOT 1..4. Bits 1 and 4 are always set: 0x12 means "nothing to report". */
export interface EmulatedStatus {
  printer: number;
  offlineCause: number;
  errorCause: number;
  paperSensor: number;
}

export const STATUS_READY: EmulatedStatus = { printer: 0x12, offlineCause: 0x12, errorCause: 0x12, paperSensor: 0x12 };

/** Ready-made printer conditions, as real printers report them. */
export const PRINTER_CONDITIONS = {
  ready: STATUS_READY,
  'paper-out': { ...STATUS_READY, printer: 0x1a, offlineCause: 0x32, paperSensor: 0x72 },
  'paper-near-end': { ...STATUS_READY, paperSensor: 0x1e },
  'cover-open': { ...STATUS_READY, printer: 0x1a, offlineCause: 0x16 },
  error: { ...STATUS_READY, printer: 0x1a, offlineCause: 0x52, errorCause: 0x1a },
} satisfies Record<string, EmulatedStatus>;

export type PrinterCondition = keyof typeof PRINTER_CONDITIONS;

/**
 * A network receipt printer on 127.0.0.1 (raw port, like 9100 on a real one, but on a free port): it keeps
 * every byte it receives, answers DLE EOT n status requests wherever they appear in the stream (they are
 * real-time commands on real printers too), and can go offline and come back on the same port.
 */
export class PrinterEmulator {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly chunks: Buffer[] = [];
  private readonly waiters = new Set<() => void>();
  private status: EmulatedStatus = STATUS_READY;
  /** When false, status requests get no answer (like printers without a back channel). */
  answerStatus = true;
  /** Connections accepted so far. */
  connections = 0;
  /** Status requests answered so far, in order (n of DLE EOT n). */
  readonly statusRequests: number[] = [];

  private constructor(public port: number) {}

  /** Starts listening on 127.0.0.1, on a free port unless one is given. */
  static async start(port = 0): Promise<PrinterEmulator> {
    const emulator = new PrinterEmulator(port);
    await emulator.goOnline();
    return emulator;
  }

  get uri(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  get online(): boolean {
    return this.server !== null;
  }

  setCondition(condition: PrinterCondition): void {
    this.status = PRINTER_CONDITIONS[condition];
  }

  setStatus(status: Partial<EmulatedStatus>): void {
    this.status = { ...this.status, ...status };
  }

  /** Every byte received so far, across connections, in arrival order. */
  received(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks));
  }

  clear(): void {
    this.chunks.length = 0;
  }

  /** Resolves once `predicate(received())` holds; rejects after `timeoutMs`. */
  waitFor(predicate: (bytes: Uint8Array) => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        let done = false;
        try {
          done = predicate(this.received());
        } catch {
          done = false; // e.g. a half-received job that does not decode yet
        }
        if (!done) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`printer emulator: condition not met within ${timeoutMs} ms (${this.received().length} bytes)`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Stops accepting connections and drops the open ones, like a printer switched off. */
  async goOffline(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async goOnline(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
  }

  async stop(): Promise<void> {
    await this.goOffline();
  }

  private accept(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    let carry: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      carry = this.answerStatusRequests(socket, Buffer.concat([carry, chunk]));
      for (const waiter of [...this.waiters]) waiter();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Answers each complete DLE EOT n; returns the tail that may be the start of one split across chunks. */
  private answerStatusRequests(socket: Socket, data: Buffer): Buffer {
    let i = 0;
    for (; i + 2 < data.length; i++) {
      if (data[i] !== 0x10 || data[i + 1] !== 0x04) continue;
      const n = data[i + 2] as number;
      const answer = [0, this.status.printer, this.status.offlineCause, this.status.errorCause, this.status.paperSensor][n];
      if (answer === undefined || n === 0) continue;
      this.statusRequests.push(n);
      if (this.answerStatus) socket.write(Uint8Array.of(answer));
      i += 2;
    }
    return data.subarray(Math.max(i, data.length - 2));
  }
}
