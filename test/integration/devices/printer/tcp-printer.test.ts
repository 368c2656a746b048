import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appMigrations } from '../../../../electron/db/migrations';
import { openDatabase, type Database } from '../../../../electron/db/open';
import * as printJobs from '../../../../electron/db/print-jobs';
import { saleReceiptDocument } from '../../../../electron/devices/printer/layouts/sale-receipt';
import { openPrinterSink } from '../../../../electron/devices/printer/open-sink';
import { PrintQueue, type PrintQueueEvent } from '../../../../electron/devices/printer/print-queue';
import type { AnyPrinterSink } from '../../../../electron/devices/printer/sink';
import { parsePrinterUri } from '../../../../electron/devices/printer/uri';
import { systemClock } from '../../../../shared/clock';
import { MemoryLogger } from '../../../../shared/log';
import { paperColumns } from '../../../../shared/receipt';
import { decodeEscPos } from '../../../helpers/escpos-decoder';
import { PrinterEmulator } from '../../../helpers/printer-emulator';
import { sampleSale } from '../../../unit/devices/printing/fixtures';

let dir: string;
let emulator: PrinterEmulator;
const open: { db: Database; queue: PrintQueue; sink: AnyPrinterSink }[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'print-queue-'));
  emulator = await PrinterEmulator.start();
});

afterEach(async () => {
  for (const { db, queue, sink } of open.splice(0)) {
    await queue.stop();
    await sink.close();
    if (db.open) db.close();
  }
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A queue on a real SQLite file, printing to the emulator through the tcp:// address, with fast retries. */
function startQueue(): { db: Database; queue: PrintQueue; events: PrintQueueEvent[] } {
  const db = openDatabase(join(dir, 'pos.sqlite'), appMigrations);
  const target = parsePrinterUri(emulator.uri);
  if (!target.ok) throw new Error(target.error.message);
  const sink = openPrinterSink(target.value, { statusTimeoutMs: 500 });
  const queue = new PrintQueue({ db, sink, paper: 80, clock: systemClock, logger: new MemoryLogger(), retry: { baseMs: 20, maxMs: 200 } });
  const events: PrintQueueEvent[] = [];
  queue.onEvent((event) => events.push(event));
  open.push({ db, queue, sink });
  return { db, queue, events };
}

function waitForEvent(queue: PrintQueue, match: (event: PrintQueueEvent) => boolean): Promise<PrintQueueEvent> {
  return new Promise((resolve) => {
    const off = queue.onEvent((event) => {
      if (!match(event)) return;
      off();
      resolve(event);
    });
  });
}

/** "Done" means the bytes left this process; wait until the emulator has them all (one cut per receipt). */
function receiptsReceived(count: number): Promise<void> {
  return emulator.waitFor((bytes) => decodeEscPos(bytes).cuts.length >= count);
}

const jobDone = (jobId: number) => (e: PrintQueueEvent) => e.type === 'job' && e.jobId === jobId && e.state === 'done';

function enqueueSale(queue: PrintQueue, receiptNo: string, openDrawer = false): number {
  const result = queue.enqueueDocument('sale', saleReceiptDocument(sampleSale({ receiptNo })), { ref: receiptNo, openDrawer });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.jobId;
}

describe('network (TCP 9100) printer', () => {
  it('receives a Chinese receipt that decodes to the sale, within 80 mm, with the drawer pulse and cut byte for byte', async () => {
    const { queue } = startQueue();
    queue.start();
    const jobId = enqueueSale(queue, '20240501-0007', true);
    await waitForEvent(queue, jobDone(jobId));
    await receiptsReceived(1);

    const bytes = emulator.received();
    const decoded = decodeEscPos(bytes);
    // The drawer pulse goes first (it skips the status check), then the status check, then the receipt.
    expect(Array.from(bytes.subarray(0, 5))).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    expect(Array.from(bytes.subarray(5, 11))).toEqual([0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);
    expect(Array.from(bytes.subarray(-4))).toEqual([0x1d, 0x56, 0x42, 0x00]);
    expect(decoded.statusQueries).toEqual([2, 4]);
    expect(emulator.statusRequests).toEqual([2, 4]);
    expect(decoded.pulses).toEqual([{ pin: 2, onMs: 50, offMs: 500 }]);
    expect(decoded.lines[0]?.text).toBe('好邻居便利店');
    expect(decoded.lines.map((l) => l.text.trim())).toContain('谢谢惠顾，欢迎再次光临');
    expect(decoded.qrs.map((q) => q.payload)).toEqual(['POSR:T01:20240501-0007']);
    expect(Math.max(...decoded.lines.map((l) => l.columns))).toBeLessThanOrEqual(paperColumns(80));
  });

  it('holds the receipt while the printer reports paper out, tells the cashier, and prints once paper is back', async () => {
    emulator.setCondition('paper-out');
    const { queue, db } = startQueue();
    queue.start();
    const paperOut = waitForEvent(queue, (e) => e.type === 'printer' && e.problem === 'paper-out');
    const jobId = enqueueSale(queue, 'P-1');
    expect(await paperOut).toMatchObject({ message: { zh: '打印机缺纸', en: 'Printer is out of paper' } });
    expect(printJobs.getPrintJob(db, jobId)?.state).toBe('queued');
    expect(decodeEscPos(emulator.received()).lines).toHaveLength(0);

    emulator.setCondition('ready');
    const ready = waitForEvent(queue, (e) => e.type === 'printer' && e.problem === null);
    queue.retryNow();
    await waitForEvent(queue, jobDone(jobId));
    await receiptsReceived(1);
    expect(await ready).toMatchObject({ message: { zh: '打印机就绪' } });
    expect(decodeEscPos(emulator.received()).qrs.map((q) => q.payload)).toEqual(['POSR:T01:P-1']);
  });

  it('keeps retrying while the printer is off and prints when it comes back', async () => {
    await emulator.goOffline();
    const { queue } = startQueue();
    queue.start();
    const offline = waitForEvent(queue, (e) => e.type === 'printer' && e.problem === 'offline');
    const jobId = enqueueSale(queue, 'R-1');
    expect(await offline).toMatchObject({ message: { zh: '打印机未连接或已关机' } });

    const done = waitForEvent(queue, jobDone(jobId));
    await emulator.goOnline();
    await done;
    await receiptsReceived(1);
    expect(decodeEscPos(emulator.received()).qrs.map((q) => q.payload)).toEqual(['POSR:T01:R-1']);
  });

  it('survives a restart: jobs queued (or cut off mid-print) before it print after it, in order', async () => {
    await emulator.goOffline();
    const first = startQueue();
    first.queue.start();
    const offline = waitForEvent(first.queue, (e) => e.type === 'printer' && e.problem === 'offline');
    const a = enqueueSale(first.queue, 'S-1');
    const b = enqueueSale(first.queue, 'S-2');
    await offline;
    await first.queue.stop();
    // As if the power went while S-1 was being sent.
    first.db.prepare("UPDATE print_jobs SET state = 'printing' WHERE id = ?").run(a);
    first.db.close();

    await emulator.goOnline();
    const second = startQueue();
    const bothDone = Promise.all([waitForEvent(second.queue, jobDone(a)), waitForEvent(second.queue, jobDone(b))]);
    second.queue.start();
    await bothDone;
    await receiptsReceived(2);
    expect(decodeEscPos(emulator.received()).qrs.map((q) => q.payload)).toEqual(['POSR:T01:S-1', 'POSR:T01:S-2']);
    expect(printJobs.getPrintJob(second.db, a)?.attempts).toBeGreaterThanOrEqual(2);
  });
});
