import type { Database } from 'better-sqlite3';
import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import { markAsCopy, type PaperWidth, type ReceiptDocument, type ReceiptLang } from '../../../shared/receipt';
import { renderReceiptHtml } from '../../../shared/receipt-html';
import { fail, ok, type Result } from '../../../shared/result';
import * as jobs from '../../db/print-jobs';
import { drawerPulse, type DrawerPulse, DEFAULT_DRAWER_PULSE } from '../escpos/commands';
import { renderEscPos } from '../escpos/render';
import { describePrinterState, printerProblem, type PrinterProblem, type PrinterWarning } from '../escpos/status';
import { parseReceiptDocument } from './document-schema';
import { errorText, type AnyPrinterSink } from './sink';

/** A job changed state (queued → printing → done, back to queued on printer trouble, or failed). */
export interface PrintJobEvent {
  type: 'job';
  jobId: number;
  kind: jobs.PrintJobKind;
  ref: string | null;
  state: jobs.PrintJobState;
  attempts: number;
  error: string | null;
}

/** The printer's condition changed. `problem` null means it prints again; `message` is ready for the UI. */
export interface PrinterStateEvent {
  type: 'printer';
  problem: PrinterProblem | null;
  warning: PrinterWarning | null;
  /** Technical detail for the log / a details popover (e.g. "tcp://10.0.0.9:9100: connect ECONNREFUSED"). */
  detail: string | null;
  message: Record<ReceiptLang, string>;
}

export type PrintQueueEvent = PrintJobEvent | PrinterStateEvent;

export interface PrintQueueOptions {
  db: Database;
  sink: AnyPrinterSink;
  paper: PaperWidth;
  clock: Clock;
  logger: Logger;
  /** Delay after the first failure, doubled on each further one up to maxMs. Defaults 1 s and 30 s. */
  retry?: { baseMs: number; maxMs: number };
  /** A drawer pulse not sent within this long fails instead of opening the drawer unattended later (30 s). */
  drawerTtlMs?: number;
  drawerPulse?: DrawerPulse;
  /** End receipts with feed-and-cut (default true). */
  cut?: boolean;
}

export interface EnqueueOptions {
  ref?: string;
  /** Also open the cash drawer (cash tender): a separate, urgent job, so a jammed receipt never blocks it. */
  openDrawer?: boolean;
}

/** What one step of the worker did. */
export type StepOutcome = 'idle' | 'printed' | 'failed' | 'blocked';

/**
 * The persistent print queue. Enqueueing only writes a row and returns; a worker sends jobs one at a time in
 * order, checks the printer's status first where the transport can read it, and on trouble keeps the job
 * queued and retries with backoff. A failing printer never blocks or loses a sale.
 */
export class PrintQueue {
  private sink: AnyPrinterSink;
  private readonly listeners = new Set<(event: PrintQueueEvent) => void>();
  private running = false;
  private kickAgain: 'normal' | 'urgent' | null = null;
  private started = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private lastPrinterKey: PrinterProblem | PrinterWarning | 'ready' = 'ready';
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly options: PrintQueueOptions) {
    this.sink = options.sink;
  }

  onEvent(listener: (event: PrintQueueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-queues jobs a crash left in 'printing', then starts sending. */
  start(): void {
    const requeued = jobs.requeueInterruptedPrintJobs(this.options.db, this.options.clock.now());
    if (requeued > 0) this.options.logger.warn('print jobs interrupted by a restart are queued again', { count: requeued });
    this.started = true;
    this.kick();
  }

  /** Stops the worker after the job in progress. Queued jobs stay for the next start. */
  async stop(): Promise<void> {
    this.started = false;
    this.clearRetryTimer();
    await this.current;
  }

  /** Switches printers (settings changed); the old transport is closed. */
  async setSink(sink: AnyPrinterSink): Promise<void> {
    const old = this.sink;
    this.sink = sink;
    await old.close().catch(() => undefined);
    this.retryNow();
  }

  enqueueDocument(
    kind: Exclude<jobs.PrintJobKind, 'drawer' | 'raw'>,
    doc: ReceiptDocument,
    options: EnqueueOptions = {},
  ): Result<{ jobId: number; drawerJobId: number | null }> {
    const stored = this.store(() => {
      const drawerJobId = options.openDrawer ? this.insertDrawerJob(options.ref ? `sale:${options.ref}` : 'sale') : null;
      const jobId = jobs.insertPrintJob(this.options.db, { kind, ref: options.ref ?? null, document: JSON.stringify(doc) }, this.now());
      return { jobId, drawerJobId };
    });
    if (stored.ok) this.queued([stored.value.drawerJobId, stored.value.jobId], options.openDrawer === true);
    return stored;
  }

  enqueueBytes(bytes: Uint8Array, options: { ref?: string } = {}): Result<{ jobId: number }> {
    const stored = this.store(() => ({
      jobId: jobs.insertPrintJob(this.options.db, { kind: 'raw', ref: options.ref ?? null, bytes }, this.now()),
    }));
    if (stored.ok) this.queued([stored.value.jobId], false);
    return stored;
  }

  /** Opens the cash drawer through the printer. `reason` is kept as the job's ref: 'no-sale' for a manager's opening. */
  openDrawer(reason: string): Result<{ jobId: number }> {
    const stored = this.store(() => ({ jobId: this.insertDrawerJob(reason) }));
    if (stored.ok) this.queued([stored.value.jobId], true);
    return stored;
  }

  /** Prints an earlier job again, marked "重打"/"COPY". */
  reprint(jobId: number): Result<{ jobId: number }> {
    const original = jobs.getPrintJob(this.options.db, jobId);
    if (!original || original.kind === 'drawer') return fail('NOT_FOUND', `没有可重打的打印任务 #${jobId} / no printable job #${jobId}`);
    const stored = this.store(() => {
      const document = original.document === null ? null : JSON.stringify(markAsCopy(parseReceiptDocument(original.document)));
      const copy = { kind: original.kind, ref: original.ref, document, bytes: original.bytes, copyOf: original.id };
      return { jobId: jobs.insertPrintJob(this.options.db, copy, this.now()) };
    });
    if (stored.ok) this.queued([stored.value.jobId], false);
    return stored;
  }

  /** Reprints the newest job of a kind about `ref`, e.g. ('sale', receipt number) from the sales history. */
  reprintLatest(kind: Exclude<jobs.PrintJobKind, 'drawer'>, ref: string): Result<{ jobId: number }> {
    const latest = jobs.latestPrintJobForRef(this.options.db, kind, ref);
    if (!latest) return fail('NOT_FOUND', `没有 ${ref} 的打印记录 / nothing printed for ${ref}`);
    return this.reprint(latest.id);
  }

  /** Drops a job that has not started printing (the cashier gave up on it). */
  cancel(jobId: number): boolean {
    const cancelled = jobs.cancelQueuedPrintJob(this.options.db, jobId, 'cancelled', this.now());
    if (cancelled) this.emitJob(jobId);
    return cancelled;
  }

  /** The printer's condition as last seen, for a UI that opens after the event was sent. */
  printerState(): Omit<PrinterStateEvent, 'type' | 'detail'> & { pendingJobs: number } {
    const key = this.lastPrinterKey;
    const problem = key === 'ready' || key === 'paper-near-end' ? null : key;
    return {
      problem,
      warning: key === 'paper-near-end' ? key : null,
      message: { zh: describePrinterState(key, 'zh'), en: describePrinterState(key, 'en') },
      pendingJobs: jobs.countPendingPrintJobs(this.options.db),
    };
  }

  /** Try now instead of waiting out the backoff (the cashier pressed "retry", or the printer was changed). */
  retryNow(): void {
    this.clearRetryTimer();
    this.kick(true);
  }

  private now(): number {
    return this.options.clock.now();
  }

  /** Writes rows in one transaction. Storage failure becomes a Result, never an exception for the sale. */
  private store<T>(write: () => T): Result<T> {
    try {
      return ok(this.options.db.transaction(write)());
    } catch (error) {
      // The sale is already committed elsewhere; a print job that cannot be stored must not undo it.
      this.options.logger.error('could not queue a print job', { error: errorText(error) });
      return fail('PRINT_QUEUE', `无法加入打印队列 / could not queue the print job: ${errorText(error)}`);
    }
  }

  /** Announces new jobs and wakes the worker: at once when urgent (drawer), else unless it is backing off. */
  private queued(ids: (number | null)[], urgent: boolean): void {
    for (const id of ids) if (id !== null) this.emitJob(id);
    if (urgent) this.retryNow();
    else if (this.retryTimer === null) this.kick();
  }

  private insertDrawerJob(ref: string): number {
    const now = this.options.clock.now();
    return jobs.insertPrintJob(
      this.options.db,
      {
        kind: 'drawer',
        ref,
        bytes: drawerPulse(this.options.drawerPulse ?? DEFAULT_DRAWER_PULSE),
        priority: 1,
        expiresAt: now + (this.options.drawerTtlMs ?? 30_000),
      },
      now,
    );
  }

  private kick(urgent = false): void {
    if (!this.started) return;
    if (this.running) {
      // The worker may be past its "nothing queued" check already: make it look again when it ends.
      this.kickAgain = this.kickAgain ?? 'normal';
      if (urgent) this.kickAgain = 'urgent';
      return;
    }
    this.running = true;
    this.kickAgain = null;
    this.current = this.drain().finally(() => {
      this.running = false;
      const again = this.kickAgain;
      if (again === 'urgent') this.retryNow();
      else if (again === 'normal' && this.retryTimer === null) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.started) {
      const outcome = await this.processNext().catch((error: unknown) => {
        this.options.logger.error('print queue step failed', { error: errorText(error) });
        return 'blocked' as const;
      });
      if (outcome === 'idle') return;
      if (outcome === 'blocked') {
        this.scheduleRetry();
        return;
      }
    }
  }

  private scheduleRetry(): void {
    this.failures += 1;
    const { baseMs, maxMs } = this.options.retry ?? { baseMs: 1000, maxMs: 30_000 };
    const delay = Math.min(maxMs, baseMs * 2 ** Math.min(this.failures - 1, 30));
    this.clearRetryTimer();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, delay);
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /**
   * Sends the next job, if any. Public so tests can step the queue by hand; `start()` runs it in a loop.
   * Never throws for printer trouble: that is the 'blocked' outcome.
   */
  async processNext(): Promise<StepOutcome> {
    const { db, clock } = this.options;
    const job = jobs.nextQueuedPrintJob(db);
    if (!job) return 'idle';
    if (job.expiresAt !== null && clock.now() > job.expiresAt) {
      return this.failJob(job.id, `expired: not sent by ${new Date(job.expiresAt).toISOString()} (${this.lastPrinterKey})`);
    }
    const sink = this.sink;
    let payload: { bytes: Uint8Array } | { html: string };
    try {
      payload = this.render(job, sink);
    } catch (error) {
      return this.failJob(job.id, errorText(error));
    }
    if (!jobs.markPrintJobPrinting(db, job.id, clock.now())) return 'printed';
    this.emitJob(job.id);
    let warning: PrinterWarning | null = null;
    try {
      if (sink.format === 'escpos' && sink.readStatus && job.kind !== 'drawer') {
        // Drawer pulses skip the check: the drawer must open for change even while the paper is out.
        const status = await sink.readStatus();
        const problem = printerProblem(status);
        if (problem) return this.blocked(job.id, problem, null);
        warning = status.paperNearEnd ? 'paper-near-end' : null;
      }
      if (sink.format === 'escpos' && 'bytes' in payload) await sink.write(payload.bytes);
      else if (sink.format === 'html' && 'html' in payload) await sink.printHtml(payload.html);
    } catch (error) {
      return this.blocked(job.id, 'offline', errorText(error));
    }
    jobs.markPrintJobDone(db, job.id, clock.now());
    this.emitJob(job.id);
    // A drawer pulse going through says nothing about paper: only a receipt clears a printer problem.
    if (job.kind !== 'drawer') {
      this.failures = 0;
      this.reportPrinter(null, warning, null);
    }
    return 'printed';
  }

  private render(job: jobs.PrintJob, sink: AnyPrinterSink): { bytes: Uint8Array } | { html: string } {
    if (job.document === null) {
      if (sink.format === 'html' && job.kind === 'drawer') {
        throw new Error(`${sink.description} is driven by the OS driver and cannot open the cash drawer`);
      }
      if (sink.format === 'html') throw new Error(`${sink.description} prints HTML only; raw job #${job.id} cannot go there`);
      return { bytes: job.bytes ?? new Uint8Array() };
    }
    const doc = parseReceiptDocument(job.document);
    return sink.format === 'html'
      ? { html: renderReceiptHtml(doc, { paper: this.options.paper, title: `${job.kind} ${job.ref ?? job.id}` }) }
      : { bytes: renderEscPos(doc, { paper: this.options.paper, cut: this.options.cut ?? true }) };
  }

  private failJob(id: number, error: string): StepOutcome {
    jobs.markPrintJobFailed(this.options.db, id, error, this.options.clock.now());
    this.options.logger.warn('print job failed', { jobId: id, error });
    this.emitJob(id);
    return 'failed';
  }

  private blocked(id: number, problem: PrinterProblem, detail: string | null): StepOutcome {
    const reason = detail ? `${problem}: ${detail}` : problem;
    jobs.requeuePrintJob(this.options.db, id, reason, this.options.clock.now());
    this.emitJob(id);
    this.reportPrinter(problem, null, detail);
    return 'blocked';
  }

  private reportPrinter(problem: PrinterProblem | null, warning: PrinterWarning | null, detail: string | null): void {
    const key = problem ?? warning ?? 'ready';
    if (key === this.lastPrinterKey) return;
    this.lastPrinterKey = key;
    if (problem) this.options.logger.warn('printer not ready', { problem, detail });
    else this.options.logger.info('printer state', { state: key });
    const message = { zh: describePrinterState(key, 'zh'), en: describePrinterState(key, 'en') };
    this.emit({ type: 'printer', problem, warning, detail, message });
  }

  private emitJob(id: number): void {
    const job = jobs.getPrintJob(this.options.db, id);
    if (!job) return;
    const { kind, ref, state, attempts, lastError } = job;
    this.emit({ type: 'job', jobId: job.id, kind, ref, state, attempts, error: lastError });
  }

  private emit(event: PrintQueueEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger.error('print queue listener threw', { error: errorText(error) });
      }
    }
  }
}
