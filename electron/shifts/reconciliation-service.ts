import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import type { BillView, MismatchClass, ReconciliationMismatchView } from '../../shared/shifts';
import { getBill, listBills } from '../db/bills';
import { countOpenMismatches, getMismatch, listMismatches, resolveMismatch } from '../db/reconciliation-mismatches';
import type { Actor } from '../security/audit-log';
import type { Random } from '../sync/backoff';
import type { WechatPayClient } from '../wechat/types';
import { beijingDayStart } from './beijing-day';
import { billDownloadHandler, queueBillDownload, queueDueBills } from './bill-download';
import { shiftRefusal } from './errors';
import type { ReconcileCounts } from './reconcile';
import type { AuditSink, OutboxRegistry } from './service';
import { billView, mismatchView } from './views';

export interface ReconciliationDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  client: WechatPayClient;
  worker: OutboxRegistry;
  audit: AuditSink;
  random?: Random;
  /** How far back missing bills are fetched (WeChat keeps them about three months). Default 7. */
  lookbackDays?: number;
  /** How often the app looks for a bill to fetch. Default 10 minutes. */
  pollMs?: number;
  onReconciled?: (billDate: string, counts: ReconcileCounts) => void;
}

/**
 * The next-day bill: after 10:00 Beijing the previous day's bill is fetched through the outbox (retries on its
 * own), parsed, stored and matched; mismatches wait for a manager's note.
 */
export class ReconciliationService {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: ReconciliationDeps) {
    deps.worker.registerHandler(
      billDownloadHandler({ client: deps.client, random: deps.random ?? Math.random, logger: deps.logger, onReconciled: deps.onReconciled }),
    );
  }

  /** Queues every bill now due (idempotent). The app calls it on a timer; tests call it after moving the clock. */
  queueDueBills(): string[] {
    const { db, clock } = this.deps;
    const queued = db.transaction(() => queueDueBills(db, clock.now(), this.deps.lookbackDays ?? 7))();
    if (queued.length > 0) this.deps.worker.wake();
    return queued;
  }

  /** A manager asks for a day again (after a refusal, or to re-match after fixing records). */
  redownload(billDate: string, actor: Actor): void {
    if (beijingDayStart(billDate) === null) throw shiftRefusal('INVALID_DATE', '日期无效', 'Invalid date');
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      queueBillDownload(this.deps.db, billDate, now, `bill:${billDate}:${now}`);
      this.deps.audit.append(actor, 'reconciliation.redownload', { billDate });
    })();
    this.deps.worker.wake();
  }

  listBills(limit = 31): BillView[] {
    return listBills(this.deps.db, limit).map((b) => billView(b, countOpenMismatches(this.deps.db, b.bill_date)));
  }

  getBill(billDate: string): BillView | null {
    const row = getBill(this.deps.db, billDate);
    return row ? billView(row, countOpenMismatches(this.deps.db, billDate)) : null;
  }

  listMismatches(filter: { billDate?: string; openOnly?: boolean; limit?: number } = {}): ReconciliationMismatchView[] {
    return listMismatches(this.deps.db, { billDate: filter.billDate, openOnly: filter.openOnly ?? false, limit: Math.min(filter.limit ?? 500, 5000) }).map(
      mismatchView,
    );
  }

  countsByClass(billDate: string): Record<MismatchClass, number> {
    const counts: Record<MismatchClass, number> = { 'only-in-wechat': 0, 'only-local': 0, 'amount-differs': 0, 'state-differs': 0 };
    for (const m of this.listMismatches({ billDate, limit: 5000 })) counts[m.class] += 1;
    return counts;
  }

  /**
   * Marks a mismatch looked into, with a note; audit-logged in the same transaction. The caller has checked that
   * the actor is a manager (manager PIN at the contract).
   */
  resolve(input: { id: number; note: string; actor: Actor }): ReconciliationMismatchView {
    const note = input.note.trim();
    if (!note) throw shiftRefusal('NOTE_REQUIRED', '请填写处理说明', 'A note is required');
    const { db, clock } = this.deps;
    db.transaction(() => {
      const found = getMismatch(db, input.id);
      if (!found) throw shiftRefusal('NOT_FOUND', '找不到该差异', 'Mismatch not found');
      if (!resolveMismatch(db, input.id, input.actor.id, note, clock.now())) throw shiftRefusal('ALREADY_RESOLVED', '该差异已处理', 'Already resolved');
      this.deps.audit.append(input.actor, 'reconciliation.resolved', {
        id: input.id, billDate: found.bill_date, class: found.class, outTradeNo: found.out_trade_no, outRefundNo: found.out_refund_no || null,
        note,
      });
    })();
    const row = getMismatch(db, input.id);
    if (!row) throw new Error('resolved mismatch vanished');
    return mismatchView(row);
  }

  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      try {
        this.queueDueBills();
      } catch (error) {
        this.deps.logger.error('queueing bills failed', { error: error instanceof Error ? error.message : String(error) });
      }
    };
    tick();
    this.timer = setInterval(tick, this.deps.pollMs ?? 10 * 60_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
