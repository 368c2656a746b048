import type { Database } from 'better-sqlite3';
import { fen, formatYuan } from '../../shared/money';
import type { Reason, RefundRequestInput } from '../../shared/payments';
import { enqueueOutbox } from '../db/outbox';
import { getRefund, insertRefund, sumCommittedRefundsForTender, updateRefund, type RefundPatch, type RefundRow } from '../db/refunds';
import { getSale } from '../db/sales';
import { listTenders } from '../db/tenders';
import { getAttempt, getAttemptByTender, type AttemptRow } from '../db/wechat-attempts';
import { backoffDelay, jitterBetween } from '../sync/backoff';
import { callThen, type OperationHandler, type OutboxJob, type Settled, type Transition } from '../sync/types';
import type { RefundState as WechatRefundState, WechatOutcome } from '../wechat/types';
import { finishAttempt, reasonOf } from './attempt-lifecycle';
import { ChangeSet } from './changes';
import type { PaymentContext } from './context';
import { refuse } from './errors';
import { ENDPOINTS } from './policy';
import { REFUND_CLEAR_OP, refundClearanceHandler } from './refund-clearance';
import { nextOrderNo } from './trade-no';

export const REFUND_OPS = { clear: REFUND_CLEAR_OP, send: 'refund.send', query: 'refund.query' } as const;

/** Who approved a refund the app starts on its own (a superseded QR that was paid after all). */
export const SYSTEM_APPROVER = 'system';

export const refundJobKey = (outRefundNo: string): string => `refund:${outRefundNo}`;

interface RefundPayload {
  refundId: number;
}

function refundIdOf(job: OutboxJob): number {
  const p = job.payload as Partial<RefundPayload>;
  if (typeof p.refundId !== 'number') throw new Error(`outbox job ${job.id} has no refundId`);
  return p.refundId;
}

function insertWechatRefund(
  ctx: PaymentContext,
  attempt: AttemptRow,
  amountFen: number,
  approvedBy: string,
  reason: string | null,
  automatic: boolean,
  now: number,
  changes: ChangeSet,
): number {
  const { db } = ctx;
  const outRefundNo = nextOrderNo(db, ctx.ids, now, 'R');
  // A profit-sharing order's refund asks the hub first (refund-clearance.ts), decided now and kept on the row.
  const needsClearance = ctx.clearance?.required() === true;
  const refundId = insertRefund(db, {
    saleId: attempt.sale_id,
    tenderId: attempt.tender_id,
    attemptId: automatic ? attempt.id : null,
    kind: 'wechat',
    outRefundNo,
    amountFen,
    state: 'queued',
    approvedBy,
    reason,
    requestedAt: now,
    requestedOffline: !ctx.isOnline(),
  });
  if (needsClearance) updateRefund(db, refundId, { clearance: 'waiting' }, now);
  enqueueOutbox(db, {
    operation: needsClearance ? REFUND_OPS.clear : REFUND_OPS.send,
    payload: { refundId } satisfies RefundPayload,
    idempotencyKey: refundJobKey(outRefundNo),
    // After every other call for the same order (a refund never overtakes the payment's own resolution).
    orderKey: attempt.out_trade_no,
    saleId: attempt.sale_id,
    nextAttemptAt: now,
    deadlineAt: null,
    createdAt: now,
  });
  changes.refunds.add(refundId);
  changes.sales.add(attempt.sale_id);
  return refundId;
}

/** A superseded native QR turned out paid: refund all of it (inside the transaction that found out). */
export function queueAutomaticRefund(ctx: PaymentContext, attempt: AttemptRow, now: number, changes: ChangeSet): void {
  insertWechatRefund(ctx, attempt, attempt.amount_fen, SYSTEM_APPROVER, 'superseded by another tender', true, now, changes);
}

/**
 * Gives back what is left of one WeChat payment (a payment alert resolved as "refund": the basket was paid
 * another way). Returns the refund id, or null when nothing is left to refund on it.
 */
export function recordAttemptRefund(ctx: PaymentContext, attempt: AttemptRow, approvedBy: string, reason: string, now: number, changes: ChangeSet): number | null {
  const left = attempt.amount_fen - sumCommittedRefundsForTender(ctx.db, attempt.tender_id);
  if (left <= 0) return null;
  return insertWechatRefund(ctx, attempt, left, approvedBy, reason, false, now, changes);
}

interface Refundable {
  tenderId: number;
  kind: 'wechat' | 'cash';
  attempt: AttemptRow | null;
  available: number;
}

function refundableTenders(db: Database, saleId: number): Refundable[] {
  return listTenders(db, saleId)
    .filter((t) => t.state === 'paid')
    .map((t): Refundable => ({
      tenderId: t.id,
      kind: t.kind === 'cash' ? 'cash' : 'wechat',
      attempt: t.kind === 'cash' ? null : (getAttemptByTender(db, t.id) ?? null),
      available: t.amount_fen - sumCommittedRefundsForTender(db, t.id),
    }))
    .filter((r) => r.available > 0)
    // WeChat first (traceable to the payer), then cash.
    .sort((x, y) => (x.kind === y.kind ? x.tenderId - y.tenderId : x.kind === 'wechat' ? -1 : 1));
}

/**
 * Validates and records a refund in one transaction: never above what was paid and not yet refunded, split over
 * the paid tenders (WeChat first). WeChat parts get a fixed out_refund_no and an outbox job; cash parts are done
 * at once and open the drawer. Returns the refund ids.
 */
export function recordRefundRequest(ctx: PaymentContext, input: RefundRequestInput, now: number, changes: ChangeSet): number[] {
  const { db } = ctx;
  const approvedBy = input.approvedBy.trim();
  if (approvedBy.length === 0) throw refuse('APPROVAL_REQUIRED', '退款需要店长授权', 'A refund needs a manager’s approval');
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    throw refuse('INVALID_AMOUNT', '退款金额必须大于零', 'The refund amount must be more than zero');
  }
  const sale = getSale(db, input.saleId);
  if (!sale) throw refuse('NOT_FOUND', '找不到该笔销售', 'Sale not found');
  if (sale.state !== 'paid') throw refuse('SALE_NOT_PAID', '只能对已付款的销售退款', 'Only a paid sale can be refunded');
  const tenders = refundableTenders(db, sale.id);
  const available = tenders.reduce((sum, t) => sum + t.available, 0);
  if (input.amountFen > available) {
    const max = formatYuan(fen(available));
    throw refuse('REFUND_TOO_LARGE', `退款金额超过可退金额（最多可退 ${max}）`, `The refund is more than can be refunded (at most ${max})`);
  }
  let remaining = input.amountFen;
  const ids: number[] = [];
  for (const t of tenders) {
    if (remaining === 0) break;
    const part = Math.min(remaining, t.available);
    remaining -= part;
    if (t.kind === 'wechat' && t.attempt) {
      ids.push(insertWechatRefund(ctx, t.attempt, part, approvedBy, input.reason ?? null, false, now, changes));
    } else {
      // A cash part gets its refund number from the same sequence and in the same form as a WeChat one
      // (T01…R000007), so a refund has one number on the slip, the screens and the reports whatever its tender.
      // It is never sent to WeChat: every WeChat path selects kind = 'wechat'.
      const id = insertRefund(db, {
        saleId: sale.id, tenderId: t.tenderId, attemptId: null, kind: 'cash', outRefundNo: nextOrderNo(db, ctx.ids, now, 'R'), amountFen: part,
        state: 'succeeded', approvedBy, reason: input.reason ?? null, requestedAt: now, requestedOffline: false,
      });
      ids.push(id);
      changes.refunds.add(id);
      changes.openDrawer = true;
    }
  }
  changes.sales.add(sale.id);
  return ids;
}

/** The WeChat order a refund gives back from: this counter's attempt, or another counter's order (migration 0013). */
function wechatOrderOf(db: Database, r: RefundRow): { outTradeNo: string; totalFen: number } | null {
  if (r.origin_out_trade_no !== null && r.origin_total_fen !== null) return { outTradeNo: r.origin_out_trade_no, totalFen: r.origin_total_fen };
  const attempt = r.tender_id === null ? undefined : getAttemptByTender(db, r.tender_id);
  return attempt ? { outTradeNo: attempt.out_trade_no, totalFen: attempt.amount_fen } : null;
}

function failurePatch(reason: Reason): RefundPatch {
  return { failure_code: reason.code, failure_zh: reason.zh, failure_en: reason.en };
}

const REFUND_CLOSED: Reason = { code: 'REFUNDCLOSE', zh: '退款已关闭', en: 'Refund closed' };
const REFUND_ABNORMAL: Reason = { code: 'CHANGE', zh: '退款到银行卡失败，需在商户平台处理', en: 'Refund to the bank card failed; resolve it in the merchant platform' };

export function refundHandlers(ctx: PaymentContext): OperationHandler[] {
  const { client, policy, random } = ctx;
  const retryDelay = (job: OutboxJob): number => backoffDelay(job.attempts + 1, policy.retry, random);
  const publishing = (changes: ChangeSet) => (): void => ctx.publish(changes);
  const queryAt = (at: number): Transition => ({ kind: 'retry', operation: REFUND_OPS.query, at });

  function mustGetRefund(db: Database, id: number): RefundRow {
    const r = getRefund(db, id);
    if (!r) throw new Error(`refund ${id} vanished`);
    return r;
  }

  function update(db: Database, r: RefundRow, patch: RefundPatch, now: number, changes: ChangeSet): void {
    updateRefund(db, r.id, patch, now);
    changes.refunds.add(r.id);
    if (r.sale_id !== null) changes.sales.add(r.sale_id);
  }

  /** A final state; an automatic refund also ends its attempt (refunded, or a manager must look). */
  function finish(db: Database, r: RefundRow, state: 'succeeded' | 'failed' | 'abnormal', reason: Reason | null, now: number, changes: ChangeSet): Transition {
    update(db, r, { state, finished_at: now, ...(reason ? failurePatch(reason) : {}) }, now, changes);
    const attempt = r.attempt_id === null ? undefined : getAttempt(db, r.attempt_id);
    if (attempt && attempt.state === 'refunding') {
      finishAttempt(db, attempt, state === 'succeeded' ? 'refunded' : 'needs-attention', state === 'succeeded' ? null : reason, policy, now, changes);
    }
    return { kind: 'done' };
  }

  function fromStatus(db: Database, r: RefundRow, status: WechatRefundState['status'], now: number, changes: ChangeSet): Transition {
    switch (status) {
      case 'SUCCESS':
        return finish(db, r, 'succeeded', null, now, changes);
      case 'CLOSED':
        return finish(db, r, 'failed', REFUND_CLOSED, now, changes);
      case 'ABNORMAL':
        return finish(db, r, 'abnormal', REFUND_ABNORMAL, now, changes);
      case 'PROCESSING':
        if (r.state !== 'processing') update(db, r, { state: 'processing' }, now, changes);
        return queryAt(now + jitterBetween(policy.refundQueryMinMs, policy.refundQueryMaxMs, random));
    }
  }

  function applySend(db: Database, job: OutboxJob, outcome: WechatOutcome<{ refundId?: string; status: WechatRefundState['status'] }>, now: number): Settled {
    const changes = new ChangeSet();
    const notify = publishing(changes);
    const r = mustGetRefund(db, refundIdOf(job));
    if (outcome.kind === 'success') {
      if (outcome.value.refundId) update(db, r, { refund_id: outcome.value.refundId }, now, changes);
      return { transition: fromStatus(db, mustGetRefund(db, r.id), outcome.value.status, now, changes), notify };
    }
    if (outcome.kind === 'failure') {
      const reason = reasonOf(outcome.code, outcome.reason);
      if (r.send_count > 1) {
        // An earlier send may have been accepted: the refund query decides.
        update(db, r, failurePatch(reason), now, changes);
        return { transition: queryAt(now + policy.systemErrorQueryMs), notify };
      }
      return { transition: finish(db, r, 'failed', reason, now, changes), notify };
    }
    const wait = outcome.cause === 'rate-limited' ? policy.refundRateLimitedMs : retryDelay(job);
    return { transition: { kind: 'retry', at: now + wait } };
  }

  function applyQuery(db: Database, job: OutboxJob, outcome: WechatOutcome<WechatRefundState>, now: number): Settled {
    const changes = new ChangeSet();
    const notify = publishing(changes);
    const r = mustGetRefund(db, refundIdOf(job));
    if (outcome.kind === 'success') return { transition: fromStatus(db, r, outcome.value.status, now, changes), notify };
    if (outcome.kind === 'failure' && outcome.code === 'REFUNDNOTEXIST') {
      if (r.failure_code !== null) {
        const reason = { code: r.failure_code, zh: r.failure_zh ?? '', en: r.failure_en ?? '' };
        return { transition: finish(db, r, 'failed', reason, now, changes), notify };
      }
      // Never accepted: send it again with the same out_refund_no.
      return { transition: { kind: 'retry', operation: REFUND_OPS.send, at: now } };
    }
    const wait = outcome.kind === 'unknown' && outcome.cause === 'rate-limited' ? policy.refundRateLimitedMs : retryDelay(job);
    return { transition: queryAt(now + wait) };
  }

  const send: OperationHandler = {
    operation: REFUND_OPS.send,
    prepare(db, job, now) {
      const r = mustGetRefund(db, refundIdOf(job));
      if (r.state !== 'queued' && r.state !== 'processing') return { kind: 'settle', settled: { transition: { kind: 'done' } } };
      // Never sent before the hub cleared it (分账回退 first), whatever path led here (recovery, a query finding nothing).
      if (r.clearance === 'waiting') return { kind: 'settle', settled: { transition: { kind: 'retry', operation: REFUND_OPS.clear, at: now } } };
      const order = wechatOrderOf(db, r);
      if (!order || r.out_refund_no === null) throw new Error(`refund ${r.id} has no WeChat order`);
      const outRefundNo = r.out_refund_no;
      const changes = new ChangeSet();
      update(db, r, { send_count: r.send_count + 1 }, now, changes);
      return callThen(
        ENDPOINTS.refund,
        () =>
          client.refund({
            outTradeNo: order.outTradeNo,
            outRefundNo,
            totalFen: fen(order.totalFen),
            refundFen: fen(r.amount_fen),
            ...(r.reason ? { reason: r.reason.slice(0, 80) } : {}),
          }),
        (tx, outcome, at) => applySend(tx, job, outcome, at),
      );
    },
  };

  const query: OperationHandler = {
    operation: REFUND_OPS.query,
    prepare(db, job) {
      const r = mustGetRefund(db, refundIdOf(job));
      if (r.state !== 'queued' && r.state !== 'processing') return { kind: 'settle', settled: { transition: { kind: 'done' } } };
      if (r.out_refund_no === null) throw new Error(`refund ${r.id} has no out_refund_no`);
      const outRefundNo = r.out_refund_no;
      return callThen(ENDPOINTS.refundQuery, () => client.queryRefund(outRefundNo), (tx, outcome, at) => applyQuery(tx, job, outcome, at));
    },
  };

  return [refundClearanceHandler(ctx, REFUND_OPS.send), send, query];
}
