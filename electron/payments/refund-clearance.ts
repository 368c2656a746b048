import type { Database } from 'better-sqlite3';
import type { RefundClearanceView } from '../../shared/payments';
import { splitBilingual, type Localized } from '../../shared/i18n';
import { describeRefundClearance } from '../../shared/payments';
import { getRefund, updateRefund, type RefundClearanceProblem, type RefundPatch, type RefundRow } from '../db/refunds';
import { getAttemptByTender } from '../db/wechat-attempts';
import { backoffDelay } from '../sync/backoff';
import type { OperationHandler, OutboxJob, Prepared, Settled } from '../sync/types';
import { ChangeSet } from './changes';
import type { PaymentContext } from './context';

/**
 * Refunds of profit-sharing orders ask the hub first (issue 16). WeChat refunds only money still with the merchant:
 * what the head office already split to receivers (stores, franchise owners, the brand) must be returned (分账回退)
 * before the order can be refunded. The hub does the returns (electron/hub/settlement/returns.ts, signed
 * `POST settlement/refund-clearance`) and answers `clear: true` once every return is done — at once when nothing was
 * split, and then the day's settlement takes the refund out of what it splits.
 *
 * Decision — which refunds ask: every WeChat refund of a counter that is enrolled with a hub AND whose payments are
 * made with profit sharing on (settings `wechat.profitSharing`: the same flag that puts settle_info.profit_sharing on
 * its orders, so exactly the orders that can have been split). Decided once, when the refund is written, and kept on
 * the row (migration 0018), so a settings change cannot let a queued refund skip its clearance. A counter not
 * enrolled, or a direct-mode store, refunds as before (nothing to ask, and no hub outage can hold its refunds).
 *
 * The refund's one outbox job starts at `refund.clear` and moves to `refund.send` only in the transaction that
 * records the hub's `clear: true`; `refund.send` itself refuses to send a refund still waiting (it goes back to
 * `refund.clear`). A crash anywhere re-asks the hub (the hub's clearance is idempotent by out_refund_no), and the
 * refund keeps its fixed out_refund_no, so nothing is refunded twice and nothing before its clearance.
 *
 * Waiting is not failing: returns in flight are asked again in 30 s; the hub unreachable is retried with backoff
 * (to 5 minutes); a return WeChat refused waits for the head office (asked every 10 minutes), its reason shown. Only a
 * definite refusal of the request itself (4xx other than 409 / 429: e.g. the hub knows the order as another
 * store's) fails the refund, with the hub's words: nothing was sent to WeChat, the money can be refunded again.
 */
export const REFUND_CLEAR_OP = 'refund.clear';

/** The hub's refund clearance, as the counter's hub link answers it (electron/hub-link/refund-clearance.ts). */
export interface RefundClearanceGate {
  /** Whether a new WeChat refund must be cleared first: enrolled with a hub and paying with profit sharing on. */
  required(): boolean;
  ask(request: { outTradeNo: string; outRefundNo: string; refundFen: number }): Promise<ClearanceOutcome>;
}

export type ClearanceOutcome =
  | { kind: 'answer'; clear: boolean; returns: { account: string; amountFen: number; state: 'sent' | 'done' | 'failed'; failReason: string | null }[] }
  /** 409 (the order is being split right now), 429: ask again shortly. */
  | { kind: 'busy'; message: string }
  /** No answer, 5xx, an answer that cannot be read, a clock the hub refused. */
  | { kind: 'unreachable'; detail: string }
  /** Not enrolled (any more), revoked, or this counter's hub key cannot be read. */
  | { kind: 'stopped'; detail: string }
  /** A definite refusal of this request (400, 403, 404). */
  | { kind: 'refused'; status: number; message: string };

const RETURNS_PENDING_MS = 30_000;
const HUB_BUSY_MS = 60_000;
const RETURN_FAILED_MS = 10 * 60_000;
const STOPPED_MS = 5 * 60_000;
const UNREACHABLE_BACKOFF = { baseMs: 5_000, capMs: 5 * 60_000 };

/** The refund row's clearance as the windows see it. */
export function clearanceViewOf(row: RefundRow): RefundClearanceView | null {
  if (row.clearance === null) return null;
  return { state: row.clearance, problem: row.clearance_problem, detail: row.clearance_detail };
}

export function refundClearanceHandler(ctx: PaymentContext, sendOperation: string): OperationHandler {
  return {
    operation: REFUND_CLEAR_OP,
    prepare(db, job, now): Prepared {
      const r = mustRefund(db, job);
      if (r.state !== 'queued') return { kind: 'settle', settled: { transition: { kind: 'done' } } };
      if (r.clearance !== 'waiting') return { kind: 'settle', settled: { transition: { kind: 'retry', operation: sendOperation, at: now } } };
      const order = clearanceOrderOf(db, r);
      const gate = ctx.clearance;
      if (!order || r.out_refund_no === null) throw new Error(`refund ${r.id} has no WeChat order`);
      const request = { outTradeNo: order, outRefundNo: r.out_refund_no, refundFen: r.amount_fen };
      return {
        kind: 'call',
        endpoint: 'hub-refund-clearance',
        async execute() {
          const outcome: ClearanceOutcome = gate
            ? await gate.ask(request).catch((error: unknown) => ({ kind: 'unreachable' as const, detail: error instanceof Error ? error.message : String(error) }))
            : { kind: 'stopped', detail: 'no hub link' };
          const waiting = outcome.kind !== 'answer' || !outcome.clear;
          return {
            // The hub is not WeChat: its answers (or silence) say nothing about WeChat's reachability.
            reach: 'unknown',
            rateLimited: false,
            error: waiting ? `hub clearance: ${summary(outcome)}`.slice(0, 300) : null,
            problem: waiting ? wordsOf(outcome) : null,
            apply: (tx, at) => applyClearance(ctx, tx, job, outcome, at, sendOperation),
          };
        },
      };
    },
  };
}

/** The WeChat order a refund gives back from (its local attempt, or another counter's order). */
function clearanceOrderOf(db: Database, r: RefundRow): string | null {
  if (r.origin_out_trade_no !== null) return r.origin_out_trade_no;
  const attempt = r.tender_id === null ? undefined : getAttemptByTender(db, r.tender_id);
  return attempt?.out_trade_no ?? null;
}

function applyClearance(ctx: PaymentContext, db: Database, job: OutboxJob, outcome: ClearanceOutcome, now: number, sendOperation: string): Settled {
  const changes = new ChangeSet();
  const notify = (): void => ctx.publish(changes);
  const r = mustRefund(db, job);
  const patch = (p: RefundPatch): void => {
    updateRefund(db, r.id, p, now);
    changes.refunds.add(r.id);
    if (r.sale_id !== null) changes.sales.add(r.sale_id);
  };
  if (r.state !== 'queued' || r.clearance !== 'waiting') return { transition: { kind: 'done' }, notify };
  const wait = (problem: RefundClearanceProblem, detail: string | null, at: number): Settled => {
    patch({ clearance_problem: problem, clearance_detail: detail === null ? null : detail.slice(0, 600) });
    return { transition: { kind: 'retry', at }, notify };
  };
  switch (outcome.kind) {
    case 'answer': {
      if (outcome.clear) {
        patch({ clearance: 'cleared', clearance_problem: null, clearance_detail: null, cleared_at: now });
        return { transition: { kind: 'retry', operation: sendOperation, at: now }, notify };
      }
      const failed = outcome.returns.filter((x) => x.state === 'failed');
      if (failed.length > 0) return wait('return-failed', failed.map((x) => x.failReason ?? 'FAILED').join('；'), now + RETURN_FAILED_MS);
      return wait('returns-pending', null, now + RETURNS_PENDING_MS);
    }
    case 'busy':
      return wait('hub-busy', null, now + HUB_BUSY_MS);
    case 'unreachable':
      return wait('hub-unreachable', null, now + backoffDelay(job.attempts + 1, UNREACHABLE_BACKOFF, ctx.random));
    case 'stopped':
      return wait('hub-stopped', null, now + STOPPED_MS);
    case 'refused': {
      const { zh, en } = splitBilingual(outcome.message) ?? { zh: outcome.message, en: outcome.message };
      patch({
        state: 'failed', finished_at: now, clearance_problem: null, clearance_detail: null,
        failure_code: 'HUB_REFUSED', failure_zh: `总部拒绝了分账回退：${zh}`, failure_en: `The head office refused to return the split money: ${en}`,
      });
      return { transition: { kind: 'done' }, notify };
    }
  }
}

function mustRefund(db: Database, job: OutboxJob): RefundRow {
  const id = (job.payload as { refundId?: unknown }).refundId;
  const r = typeof id === 'number' ? getRefund(db, id) : undefined;
  if (!r) throw new Error(`outbox job ${job.id}: refund not found`);
  return r;
}

function summary(outcome: ClearanceOutcome): string {
  switch (outcome.kind) {
    case 'answer':
      return outcome.returns.map((x) => `${x.state}${x.failReason ? ` ${x.failReason}` : ''}`).join(', ') || 'not clear';
    case 'busy':
    case 'refused':
      return outcome.message;
    case 'unreachable':
    case 'stopped':
      return `${outcome.kind}: ${outcome.detail}`;
  }
}

function wordsOf(outcome: ClearanceOutcome): Localized | null {
  const problem: RefundClearanceProblem | null =
    outcome.kind === 'answer' ? (outcome.returns.some((x) => x.state === 'failed') ? 'return-failed' : 'returns-pending')
      : outcome.kind === 'busy' ? 'hub-busy' : outcome.kind === 'unreachable' ? 'hub-unreachable' : outcome.kind === 'stopped' ? 'hub-stopped' : null;
  if (problem === null) return null;
  return describeRefundClearance({ state: 'queued', clearance: { state: 'waiting', problem, detail: null } });
}
