import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appMigrations } from '../../../../electron/db/migrations';
import { openDatabase, type Database } from '../../../../electron/db/open';
import { saleReceiptDocument } from '../../../../electron/devices/printer/layouts/sale-receipt';
import { openPrinterSink } from '../../../../electron/devices/printer/open-sink';
import { PrintQueue, type PrintQueueEvent } from '../../../../electron/devices/printer/print-queue';
import { PrinterUnreachableError, type AnyPrinterSink, type PrinterSink } from '../../../../electron/devices/printer/sink';
import { parsePrinterUri } from '../../../../electron/devices/printer/uri';
import { systemClock } from '../../../../shared/clock';
import { MemoryLogger } from '../../../../shared/log';
import { paperColumns } from '../../../../shared/receipt';
import { decodeEscPos } from '../../../helpers/escpos-decoder';
import { PRINTER_CONDITIONS, type PrinterCondition } from '../../../helpers/printer-emulator';
import { startSocatPair, type SocatPair } from '../../../helpers/socat';
import { sampleSale } from '../../../unit/devices/printing/fixtures';

/**
 * The printer's end of the pty pair: it keeps what it receives and, like a real printer, answers each
 * DLE EOT n request from the other end with a status byte.
 */
class PtyPrinter {
  readonly received: Buffer[] = [];
  readonly requests: number[] = [];
  condition: PrinterCondition = 'ready';
  /** False: behave like a printer without a back channel (requests go unanswered). */
  answers = true;

  private constructor(private readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      for (let i = 0; i + 2 < chunk.length; i++) {
        if (chunk[i] !== 0x10 || chunk[i + 1] !== 0x04) continue;
        const n = chunk[i + 2] as 1 | 2 | 3 | 4;
        this.requests.push(n);
        const status = PRINTER_CONDITIONS[this.condition];
        const answer = { 1: status.printer, 2: status.offlineCause, 3: status.errorCause, 4: status.paperSensor }[n];
        if (this.answers) port.write(Uint8Array.of(answer));
      }
    });
  }

  static async open(path: string): Promise<PtyPrinter> {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    return new PtyPrinter(port);
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.received));
  }

  async waitForCuts(count: number): Promise<void> {
    for (let i = 0; i < 500; i++) {
      try {
        if (decodeEscPos(this.bytes()).cuts.length >= count) return;
      } catch {
        // still arriving
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`pty printer: ${count} cut(s) not received`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}

let pair: SocatPair;
let printer: PtyPrinter;
const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  pair = await startSocatPair();
  printer = await PtyPrinter.open(pair.pathB);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await printer.close();
  await pair.stop();
});

function serialSink(): AnyPrinterSink {
  const target = parsePrinterUri(`serial:${pair.pathA}?baud=9600`);
  if (!target.ok) throw new Error(target.error.message);
  const sink = openPrinterSink(target.value, { statusTimeoutMs: 1000 });
  cleanups.push(() => sink.close());
  return sink;
}

describe('serial printer over a real pty pair', () => {
  it.each(['ready', 'paper-out', 'cover-open', 'paper-near-end'] as const)(
    'reads the %s status the printer answers',
    async (condition) => {
      printer.condition = condition;
      const sink = serialSink() as PrinterSink;
      const status = await sink.readStatus!();
      expect(status.known).toBe(true);
      expect(status.paperOut).toBe(condition === 'paper-out');
      expect(status.coverOpen).toBe(condition === 'cover-open');
      expect(status.paperNearEnd).toBe(condition === 'paper-near-end');
      expect(printer.requests).toEqual([2, 4]);
    },
  );

  it('prints a queued 58 mm receipt after the status check, and waits out paper-out', async () => {
    printer.condition = 'paper-out';
    const db: Database = openDatabase(':memory:', appMigrations);
    const queue = new PrintQueue({
      db, sink: serialSink(), paper: 58, clock: systemClock, logger: new MemoryLogger(), retry: { baseMs: 20, maxMs: 100 },
    });
    cleanups.push(
      () => {
        db.close();
      },
      () => queue.stop(),
    );
    const events: PrintQueueEvent[] = [];
    const paperOut = new Promise<void>((resolve) =>
      queue.onEvent((event) => {
        events.push(event);
        if (event.type === 'printer' && event.problem === 'paper-out') resolve();
      }),
    );
    queue.start();
    queue.enqueueDocument('sale', saleReceiptDocument(sampleSale()), { ref: '20240501-0007' });
    await paperOut;
    expect(decodeEscPos(printer.bytes()).lines).toHaveLength(0);

    printer.condition = 'ready';
    queue.retryNow();
    await printer.waitForCuts(1);
    const decoded = decodeEscPos(printer.bytes());
    expect(decoded.lines.map((l) => l.text.trim())).toContain('好邻居便利店');
    expect(decoded.qrs.map((q) => q.payload)).toEqual(['POSR:T01:20240501-0007']);
    expect(Math.max(...decoded.lines.map((l) => l.columns))).toBeLessThanOrEqual(paperColumns(58));
    expect(events).toContainEqual(expect.objectContaining({ type: 'printer', message: { zh: '打印机缺纸', en: 'Printer is out of paper' } }));
  });

  it('treats a printer that never answers as status unknown', async () => {
    printer.answers = false;
    const sink = serialSink() as PrinterSink;
    expect((await sink.readStatus!()).known).toBe(false);
    expect(printer.requests).toEqual([2]);
  });

  it('reports the printer unreachable once the port is gone (unplugged)', async () => {
    const sink = serialSink() as PrinterSink;
    await sink.write(Uint8Array.of(0x1b, 0x40));
    await printer.close();
    await pair.stop();
    await expect(async () => {
      // The first write after the unplug may still land in the kernel's buffer; the port then closes.
      await sink.write(Uint8Array.of(0x1b, 0x40));
      await sink.write(Uint8Array.of(0x1b, 0x40));
    }).rejects.toThrow(PrinterUnreachableError);
  });
});
