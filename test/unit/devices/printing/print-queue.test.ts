import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appMigrations } from '../../../../electron/db/migrations';
import { migration0002PrintJobs } from '../../../../electron/db/migrations/0002-print-jobs';
import { openDatabase, type Database } from '../../../../electron/db/open';
import * as printJobs from '../../../../electron/db/print-jobs';
import { UNKNOWN_STATUS, type PrinterStatus } from '../../../../electron/devices/escpos/status';
import { saleReceiptDocument } from '../../../../electron/devices/printer/layouts/sale-receipt';
import { PrintQueue, type PrintQueueEvent } from '../../../../electron/devices/printer/print-queue';
import {
  PrinterUnreachableError,
  type HtmlPrinterSink,
  type PrinterSink,
} from '../../../../electron/devices/printer/sink';
import { ManualClock } from '../../../../shared/clock';
import { MemoryLogger } from '../../../../shared/log';
import { decodeEscPos } from '../../../helpers/escpos-decoder';
import { SOLD_AT, sampleSale } from './fixtures';

const READY: PrinterStatus = { known: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false };

/** An in-memory ESC/POS printer whose reachability and status the test sets. */
class FakeSink implements PrinterSink {
  readonly format = 'escpos';
  readonly description = 'fake';
  readonly jobs: Uint8Array[] = [];
  reachable = true;
  status: PrinterStatus = READY;
  statusReads = 0;

  write(bytes: Uint8Array): Promise<void> {
    if (!this.reachable) return Promise.reject(new PrinterUnreachableError('fake: connect ECONNREFUSED'));
    this.jobs.push(bytes);
    return Promise.resolve();
  }

  readStatus(): Promise<PrinterStatus> {
    this.statusReads += 1;
    if (!this.reachable) return Promise.reject(new PrinterUnreachableError('fake: connect ECONNREFUSED'));
    return Promise.resolve(this.status);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

let db: Database;
let clock: ManualClock;
let sink: FakeSink;
let queue: PrintQueue;
let events: PrintQueueEvent[];

beforeEach(() => {
  db = openDatabase(':memory:', appMigrations);
  clock = new ManualClock(SOLD_AT);
  sink = new FakeSink();
  queue = new PrintQueue({ db, sink, paper: 58, clock, logger: new MemoryLogger() });
  events = [];
  queue.onEvent((event) => events.push(event));
});

afterEach(async () => {
  await queue.stop();
  if (db.open) db.close();
});

const receipt = (receiptNo = '20240501-0007') => saleReceiptDocument(sampleSale({ receiptNo }));
const printerEvents = () => events.filter((e) => e.type === 'printer');
const jobState = (id: number) => printJobs.getPrintJob(db, id)?.state;

function enqueueSale(receiptNo?: string, openDrawer = false): { jobId: number; drawerJobId: number | null } {
  const result = queue.enqueueDocument('sale', receipt(receiptNo), { ref: receiptNo ?? '20240501-0007', openDrawer });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('print_jobs table (migration 2)', () => {
  it('is a STRICT table created by schema version 2', () => {
    expect(appMigrations[1]).toBe(migration0002PrintJobs);
    const upToTwo = openDatabase(':memory:', appMigrations.slice(0, 2));
    expect(upToTwo.pragma('user_version', { simple: true })).toBe(2);
    expect(upToTwo.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'print_jobs'").pluck().get()).toBe(1);
    upToTwo.close();
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'print_jobs'").pluck().get() as string;
    expect(sql).toMatch(/\) STRICT$/);
  });

  it('refuses a job with neither a document nor bytes, or with an unknown state', () => {
    expect(() => printJobs.insertPrintJob(db, { kind: 'sale' }, 0)).toThrow(/CHECK constraint/);
    const id = printJobs.insertPrintJob(db, { kind: 'raw', bytes: Uint8Array.of(1) }, 0);
    expect(() => db.prepare("UPDATE print_jobs SET state = 'lost' WHERE id = ?").run(id)).toThrow(/CHECK constraint/);
  });
});

describe('print queue', () => {
  it('prints a queued receipt after checking the printer status, and reports each state', async () => {
    const { jobId } = enqueueSale();
    expect(await queue.processNext()).toBe('printed');
    expect(await queue.processNext()).toBe('idle');
    expect(sink.statusReads).toBe(1);
    expect(decodeEscPos(sink.jobs[0]!).qrs[0]?.payload).toBe('POSR:T01:20240501-0007');
    expect(events.filter((e) => e.type === 'job').map((e) => e.type === 'job' && e.state)).toEqual(['queued', 'printing', 'done']);
    expect(printJobs.getPrintJob(db, jobId)).toMatchObject({ state: 'done', attempts: 1, printedAt: SOLD_AT });
  });

  it('keeps jobs queued while the printer is offline and prints them in order when it is back', async () => {
    sink.reachable = false;
    const first = enqueueSale('A-1').jobId;
    const second = enqueueSale('A-2').jobId;
    expect(await queue.processNext()).toBe('blocked');
    expect(printJobs.getPrintJob(db, first)).toMatchObject({ state: 'queued', attempts: 1 });
    expect(printJobs.getPrintJob(db, first)?.lastError).toMatch(/^offline: fake: connect ECONNREFUSED/);
    expect(printerEvents().at(-1)).toMatchObject({ problem: 'offline', message: { zh: '打印机未连接或已关机' } });

    sink.reachable = true;
    expect(await queue.processNext()).toBe('printed');
    expect(await queue.processNext()).toBe('printed');
    expect(sink.jobs.map((bytes) => decodeEscPos(bytes).qrs[0]?.payload)).toEqual(['POSR:T01:A-1', 'POSR:T01:A-2']);
    expect([jobState(first), jobState(second)]).toEqual(['done', 'done']);
    expect(printerEvents().at(-1)).toMatchObject({ problem: null, message: { zh: '打印机就绪' } });
  });

  it('does not print into an empty printer: paper-out holds the job and says so', async () => {
    sink.status = { ...READY, paperOut: true };
    const { jobId } = enqueueSale();
    expect(await queue.processNext()).toBe('blocked');
    expect(sink.jobs).toHaveLength(0);
    expect(jobState(jobId)).toBe('queued');
    expect(printerEvents().at(-1)).toMatchObject({ problem: 'paper-out', message: { zh: '打印机缺纸', en: 'Printer is out of paper' } });
    expect(queue.printerState()).toMatchObject({ problem: 'paper-out', message: { zh: '打印机缺纸' }, pendingJobs: 1 });

    sink.status = { ...READY, coverOpen: true };
    expect(await queue.processNext()).toBe('blocked');
    expect(printerEvents().at(-1)).toMatchObject({ problem: 'cover-open', message: { zh: '打印机盖未关好' } });

    sink.status = { ...READY, paperNearEnd: true };
    expect(await queue.processNext()).toBe('printed');
    expect(printerEvents().at(-1)).toMatchObject({ problem: null, warning: 'paper-near-end', message: { zh: '打印纸即将用完' } });
  });

  it('prints when the printer cannot report its status', async () => {
    sink.status = UNKNOWN_STATUS;
    enqueueSale();
    expect(await queue.processNext()).toBe('printed');
  });

  it('opens the drawer ahead of a receipt stuck on paper-out, with the exact pulse bytes', async () => {
    sink.status = { ...READY, paperOut: true };
    enqueueSale('A-1');
    expect(await queue.processNext()).toBe('blocked');
    const { drawerJobId } = enqueueSale('A-2', true);
    expect(await queue.processNext()).toBe('printed');
    expect(Array.from(sink.jobs[0]!)).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    expect(printJobs.getPrintJob(db, drawerJobId!)).toMatchObject({ kind: 'drawer', ref: 'sale:A-2', state: 'done' });
    expect(await queue.processNext()).toBe('blocked');
    expect(printerEvents().at(-1)).toMatchObject({ problem: 'paper-out' });
  });

  it('never opens the drawer late: an unsent pulse expires', async () => {
    sink.reachable = false;
    const opened = queue.openDrawer('no-sale');
    expect(opened.ok).toBe(true);
    expect(await queue.processNext()).toBe('blocked');
    sink.reachable = true;
    clock.advance(31_000);
    expect(await queue.processNext()).toBe('failed');
    expect(sink.jobs).toHaveLength(0);
    expect(opened.ok && printJobs.getPrintJob(db, opened.value.jobId)?.lastError).toMatch(/^expired/);
    expect(printJobs.countDrawerOpenings(db, 'no-sale', SOLD_AT, SOLD_AT + 1)).toBe(1);
  });

  it('reprints an earlier receipt marked 重打', async () => {
    const { jobId } = enqueueSale();
    await queue.processNext();
    const again = queue.reprintLatest('sale', '20240501-0007');
    expect(again.ok).toBe(true);
    await queue.processNext();
    const lines = decodeEscPos(sink.jobs[1]!).lines.map((l) => l.text);
    expect(lines[0]).toBe('*** 重打 ***');
    expect(again.ok && printJobs.getPrintJob(db, again.value.jobId)).toMatchObject({ copyOf: jobId, kind: 'sale' });
    expect(queue.reprint(9999)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('puts jobs interrupted by a crash back in the queue on start', async () => {
    const { jobId } = enqueueSale();
    db.prepare("UPDATE print_jobs SET state = 'printing' WHERE id = ?").run(jobId);
    queue.start();
    await queue.stop();
    expect(printJobs.getPrintJob(db, jobId)?.state).toBe('done');
    expect(sink.jobs).toHaveLength(1);
  });

  it('cancels a queued job', async () => {
    sink.reachable = false;
    const { jobId } = enqueueSale();
    expect(queue.cancel(jobId)).toBe(true);
    expect(await queue.processNext()).toBe('idle');
    expect(printJobs.getPrintJob(db, jobId)).toMatchObject({ state: 'failed', lastError: 'cancelled' });
  });

  it('never throws at the caller, even when the job cannot be stored', () => {
    db.close();
    const result = queue.enqueueDocument('sale', receipt());
    expect(result).toMatchObject({ ok: false, error: { code: 'PRINT_QUEUE' } });
  });

  it('sends the HTML rendering to an OS printer and refuses raw bytes there', async () => {
    const printed: string[] = [];
    const html: HtmlPrinterSink = {
      format: 'html',
      description: 'os:XP-80C',
      printHtml: (page) => {
        printed.push(page);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    await queue.setSink(html);
    enqueueSale();
    const raw = queue.enqueueBytes(Uint8Array.of(0x1b, 0x40));
    expect(await queue.processNext()).toBe('printed');
    expect(printed[0]).toContain('好邻居便利店');
    expect(await queue.processNext()).toBe('failed');
    expect(raw.ok && printJobs.getPrintJob(db, raw.value.jobId)?.lastError).toMatch(/prints HTML only/);
    const drawer = queue.openDrawer('no-sale');
    expect(await queue.processNext()).toBe('failed');
    expect(drawer.ok && printJobs.getPrintJob(db, drawer.value.jobId)?.lastError).toMatch(/cannot open the cash drawer/);
  });
});
