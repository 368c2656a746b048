import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import type { BillProblemView, BillView, MismatchClass, ReconciliationMismatchView } from '../../shared/shifts';
import { listBillProblems, type BillProblemRow } from '../db/bill-problems';
import { getBill, listBills } from '../db/bills';
import { failPendingOutboxByOrderKey } from '../db/outbox';
import { countOpenMismatches, getMismatch, listMismatches, resolveMismatch } from '../db/reconciliation-mismatches';
import type { Actor } from '../security/audit-log';
import type { Random } from '../sync/backoff';
import type { WechatPayClient } from '../wechat/types';
import { beijingDayStart } from '../wechat/bills/beijing-day';
import { billDownloadHandler, queueBillDownload, queueDueBills, type BillArchive } from './bill-download';
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
  /** Where unreadable bills are kept for support (the app: <data-dir>/bills/unreadable). */
  archive?: BillArchive;
  /** A day's bill could not be read or fetched by its deadline (recorded; the app raises an alert). */
  onProblem?: (problem: BillProblemView) => void;
}

/** The problem in words for an alert: 账单格式无法识别 with line and column, or no bill by the deadline. */
export function billProblemWords(p: BillProblemView): { zh: string; en: string } {
  if (p.kind === 'deadline') return { zh: '的账单未能在期限内下载', en: 'the bill could not be downloaded by its deadline' };
  const zhAt = [p.line === null ? '' : `第 ${p.line} 行`, p.column === null ? '' : `“${p.column}”列`].filter(Boolean).join('，');
  const enAt = [p.line === null ? '' : `line ${p.line}`, p.column === null ? '' : `column ${p.column}`].filter(Boolean).join(', ');
  return { zh: `账单格式无法识别${zhAt ? `（${zhAt}）` : ''}`, en: `bill format not recognised${enAt ? ` (${enAt})` : ''}` };
}

function problemView(row: BillProblemRow): BillProblemView {
  return {
    billDate: row.bill_date, kind: row.kind, line: row.line, column: row.column_name, detail: row.message, rawPath: row.raw_path, sha1: row.sha1,
    detectedAt: row.detected_at,
  };
}

/**
 * The next-day bill: after 10:00 Beijing the previous day's bill is fetched through the outbox (retries on its
 * own), parsed, stored and matched; mismatches wait for a manager's note.
 */
export class ReconciliationService {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: ReconciliationDeps) {
    deps.worker.registerHandler(
      billDownloadHandler({
        client: deps.client, random: deps.random ?? Math.random, logger: deps.logger, onReconciled: deps.onReconciled, archive: deps.archive,
        onProblem: (row) => deps.onProblem?.(problemView(row)),
      }),
    );
  }

  /** Queues every bill now due (idempotent). The app calls it on a timer; tests call it after moving the clock. */
  queueDueBills(): string[] {
    const { db, clock } = this.deps;
    const queued = db.transaction(() => queueDueBills(db, clock.now(), this.deps.lookbackDays ?? 7))();
    if (queued.length > 0) this.deps.worker.wake();
    return queued;
  }

  /** Days whose bill could not be read or fetched, newest first (cleared once a re-download reads the day). */
  listProblems(limit = 31): BillProblemView[] {
    return listBillProblems(this.deps.db, limit).map(problemView);
  }

  /**
   * A manager asks for a day again (after a refusal, an unreadable bill, or to re-match after fixing records). The
   * caller has checked the manager's approval (action `reconciliation-redownload`); audit-logged here.
   */
  redownload(billDate: string, actor: Actor, approvedBy: string = actor.id): void {
    if (beijingDayStart(billDate) === null) throw shiftRefusal('INVALID_DATE', '日期无效', 'Invalid date');
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      // A job still waiting for that day ("Bill Creating" retries in 30 min) would hold the new one behind it.
      failPendingOutboxByOrderKey(this.deps.db, `bill:${billDate}`, 'superseded by a re-download', now);
      // Unique per request: two re-downloads within one millisecond are still two.
      queueBillDownload(this.deps.db, billDate, now, `bill:${billDate}:${now}:${randomUUID()}`);
      this.deps.audit.append(actor, 'reconciliation.redownload', { billDate, approvedBy });
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
