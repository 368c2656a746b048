import type { Database } from 'better-sqlite3';
import { fen } from '../../shared/money';
import { isFinalAttemptState, LOCAL_REASONS, type Reason } from '../../shared/payments';
import { enqueueOutbox, getOutboxByKey, rescheduleOutbox, finishOutbox } from '../db/outbox';
import { insertTender } from '../db/tenders';
import { insertAttempt, type AttemptRow } from '../db/wechat-attempts';
import { backoffDelay, jitterBetween } from '../sync/backoff';
import { callThen, type OperationHandler, type OutboxJob, type Settled, type Transition } from '../sync/types';
import type { OrderState, WechatOutcome } from '../wechat/types';
import { finishAttempt, mustGetAttempt, reasonOf, recordOrderPaid, storedFailure, updateAndTrack, failurePatch } from './attempt-lifecycle';
import { ChangeSet } from './changes';
import type { PaymentContext } from './context';
import { ENDPOINTS } from './policy';
import { queueAutomaticRefund } from './refunds';
import { nextOrderNo } from './trade-no';

export const NATIVE_OPS = { create: 'native.create', poll: 'native.poll', close: 'native.close' } as const;

interface NativePayload {
  attemptId: number;
}

function attemptIdOf(job: OutboxJob): number {
  const p = job.payload as Partial<NativePayload>;
  if (typeof p.attemptId !== 'number') throw new Error(`outbox job ${job.id} has no attemptId`);
  return p.attemptId;
}

export const nativeJobKey = (outTradeNo: string): string => `native:${outTradeNo}`;

export function insertNativeAttempt(
  ctx: PaymentContext,
  sale: { id: number; description: string },
  amountFen: number,
  now: number,
  changes: ChangeSet,
): number {
  const { db, policy } = ctx;
  const tenderId = insertTender(db, { saleId: sale.id, kind: 'wechat-qr', amountFen, state: 'pending', createdAt: now });
  const outTradeNo = nextOrderNo(db, ctx.ids, now, 'P');
  const attemptId = insertAttempt(db, {
    tenderId,
    saleId: sale.id,
    mode: 'native',
    outTradeNo,
    amountFen,
    description: sale.description,
    state: 'creating',
    authCode: null,
    authCodeMasked: null,
    createdAt: now,
    sendDeadlineAt: null,
    // Whole seconds: both API generations carry time_expire at second precision.
    expiresAt: Math.ceil((now + policy.nativeExpireMs) / 1000) * 1000,
  });
  const jobId = enqueueOutbox(db, {
    operation: NATIVE_OPS.create,
    payload: { attemptId } satisfies NativePayload,
    idempotencyKey: nativeJobKey(outTradeNo),
    orderKey: outTradeNo,
    saleId: sale.id,
    nextAttemptAt: now,
    deadlineAt: null,
    createdAt: now,
  });
  changes.attempts.add(attemptId);
  changes.sales.add(sale.id);
  changes.sendNow.add(jobId);
  return attemptId;
}

/**
 * The cashier cancelled the QR, or took another tender. A QR never requested is dropped at once; otherwise the
 * order is closed next (a job in flight sees the mark when it lands). A close answering ORDERPAID still pays.
 */
export function stopNativeAttempt(ctx: PaymentContext, a: AttemptRow, now: number, changes: ChangeSet): void {
  const { db, policy } = ctx;
  const job = getOutboxByKey(db, nativeJobKey(a.out_trade_no));
  if (!job || job.state !== 'pending' || job.operation === NATIVE_OPS.close) return;
  if (a.first_sent_at === null) {
    const fresh = mustGetAttempt(db, a.id);
    finishAttempt(db, fresh, 'closed', fresh.superseded_at !== null ? LOCAL_REASONS.superseded : LOCAL_REASONS.qrCancelled, policy, now, changes);
    finishOutbox(db, job.id, 'done', 'stopped before it was sent', now);
    return;
  }
  updateAndTrack(db, a, { state: 'closing' }, now, changes);
  rescheduleOutbox(
    db,
    job.id,
    { operation: NATIVE_OPS.close, payload: { attemptId: a.id }, nextAttemptAt: now, deadlineAt: null, lastError: null, resetAttempts: true },
    now,
  );
}

function closeReason(a: AttemptRow, now: number): Reason {
  if (a.superseded_at !== null) return LOCAL_REASONS.superseded;
  if (a.cancel_requested_at !== null) return LOCAL_REASONS.qrCancelled;
  const failure = storedFailure(a);
  if (failure) return failure;
  return a.expires_at !== null && now >= a.expires_at ? LOCAL_REASONS.qrExpired : LOCAL_REASONS.qrCancelled;
}

export function nativeHandlers(ctx: PaymentContext): OperationHandler[] {
  const { client, policy, random } = ctx;
  const pollDelay = (): number => jitterBetween(policy.nativePollMinMs, policy.nativePollMaxMs, random);
  const retryDelay = (job: OutboxJob): number => backoffDelay(job.attempts + 1, policy.retry, random);
  const publishing = (changes: ChangeSet) => (): void => ctx.publish(changes);
  const to = (operation: string, a: AttemptRow, at: number): Transition => ({
    kind: 'retry',
    operation,
    payload: { attemptId: a.id } satisfies NativePayload,
    at,
    deadlineAt: null,
  });
  const shouldStop = (a: AttemptRow, now: number): boolean =>
    a.superseded_at !== null || a.cancel_requested_at !== null || (a.expires_at !== null && now >= a.expires_at);

  function closeNow(tx: Database, a: AttemptRow, now: number, changes: ChangeSet): Transition {
    updateAndTrack(tx, a, { state: 'closing' }, now, changes);
    return to(NATIVE_OPS.close, a, now);
  }

  function onPaid(tx: Database, a: AttemptRow, order: OrderState, now: number, changes: ChangeSet): Transition {
    if (order.totalFen !== a.amount_fen) {
      finishAttempt(tx, a, 'needs-attention', { ...LOCAL_REASONS.manager, code: 'LOCAL_AMOUNT_MISMATCH' }, policy, now, changes);
      return { kind: 'done' };
    }
    if (recordOrderPaid(tx, a, order, policy, now, changes) === 'unwanted') {
      // Paid after the cashier took another tender: give the money back.
      queueAutomaticRefund(ctx, mustGetAttempt(tx, a.id), now, changes);
    }
    return { kind: 'done' };
  }

  // ---- create ----

  function applyCreate(tx: Database, job: OutboxJob, outcome: WechatOutcome<{ codeUrl: string }>, now: number): Settled {
    const changes = new ChangeSet();
    const notify = publishing(changes);
    const a = mustGetAttempt(tx, attemptIdOf(job));
    if (outcome.kind === 'success') {
      updateAndTrack(tx, a, { code_url: outcome.value.codeUrl, state: 'awaiting-scan', network_trouble: 0, last_answer: 'NOTPAY' }, now, changes);
      return { transition: shouldStop(a, now) ? closeNow(tx, a, now, changes) : to(NATIVE_OPS.poll, a, now + pollDelay()), notify };
    }
    if (outcome.kind === 'failure') {
      if (a.send_count > 1 || outcome.code === 'ORDERPAID' || outcome.code === 'OUT_TRADE_NO_USED') {
        // An earlier create may have made the order, but we have no QR to show: close it (ORDERPAID → paid).
        updateAndTrack(tx, a, failurePatch(LOCAL_REASONS.qrUnavailable), now, changes);
        return { transition: closeNow(tx, a, now, changes), notify };
      }
      finishAttempt(tx, a, 'failed', reasonOf(outcome.code, outcome.reason), policy, now, changes);
      return { transition: { kind: 'done' }, notify };
    }
    updateAndTrack(tx, a, { last_answer: outcome.code ?? outcome.cause, network_trouble: 1 }, now, changes);
    if (!shouldStop(a, now) && now < a.created_at + policy.nativeCreateGiveUpMs) {
      return { transition: { kind: 'retry', at: now + retryDelay(job) }, notify };
    }
    // The customer cannot wait longer; the order may exist, so close it to be sure nobody pays it.
    if (a.superseded_at === null && a.cancel_requested_at === null) {
      updateAndTrack(tx, a, failurePatch(LOCAL_REASONS.qrUnavailable), now, changes);
    }
    return { transition: closeNow(tx, a, now, changes), notify };
  }

  const create: OperationHandler = {
    operation: NATIVE_OPS.create,
    prepare(db, job, now) {
      const changes = new ChangeSet();
      const a = mustGetAttempt(db, attemptIdOf(job));
      if (isFinalAttemptState(a.state)) return { kind: 'settle', settled: { transition: { kind: 'done' } } };
      if (a.first_sent_at === null && (shouldStop(a, now) || now >= a.created_at + policy.nativeCreateGiveUpMs)) {
        const reason = shouldStop(a, now) ? closeReason(a, now) : LOCAL_REASONS.qrUnavailable;
        finishAttempt(db, a, shouldStop(a, now) ? 'closed' : 'failed', reason, policy, now, changes);
        return { kind: 'settle', settled: { transition: { kind: 'done' }, notify: publishing(changes) } };
      }
      if (shouldStop(a, now) || now >= a.created_at + policy.nativeCreateGiveUpMs) {
        // Too late to show a QR (or no longer wanted): an earlier create may have made the order, so close it.
        if (!shouldStop(a, now)) updateAndTrack(db, a, failurePatch(LOCAL_REASONS.qrUnavailable), now, changes);
        return { kind: 'settle', settled: { transition: closeNow(db, a, now, changes), notify: publishing(changes) } };
      }
      updateAndTrack(db, a, { first_sent_at: a.first_sent_at ?? now, send_count: a.send_count + 1 }, now, changes);
      return callThen(
        ENDPOINTS.native,
        () =>
          client.createNativeOrder({
            outTradeNo: a.out_trade_no,
            totalFen: fen(a.amount_fen),
            description: a.description,
            timeExpire: a.expires_at ?? now + policy.nativeExpireMs,
            productId: String(a.sale_id),
            deviceInfo: ctx.ids.terminalId,
          }),
        (tx, outcome, at) => applyCreate(tx, job, outcome, at),
        publishing(changes),
      );
    },
  };

  // ---- poll ----

  function applyPoll(tx: Database, job: OutboxJob, outcome: WechatOutcome<OrderState>, now: number): Settled {
    const changes = new ChangeSet();
    const notify = publishing(changes);
    const a = mustGetAttempt(tx, attemptIdOf(job));
    if (outcome.kind === 'success') {
      const state = outcome.value.tradeState;
      if (state === 'SUCCESS' || state === 'REFUND') return { transition: onPaid(tx, a, outcome.value, now, changes), notify };
      if (state === 'CLOSED' || state === 'REVOKED') {
        finishAttempt(tx, a, 'closed', closeReason(a, now), policy, now, changes);
        return { transition: { kind: 'done' }, notify };
      }
      updateAndTrack(tx, a, { last_answer: state, network_trouble: 0 }, now, changes);
    } else {
      const trouble = outcome.kind === 'unknown' && ['network', 'timeout', 'http-5xx'].includes(outcome.cause) ? 1 : 0;
      updateAndTrack(tx, a, { last_answer: outcome.kind === 'failure' ? outcome.code : (outcome.code ?? outcome.cause), network_trouble: trouble }, now, changes);
    }
    if (shouldStop(a, now) || a.state === 'closing') return { transition: closeNow(tx, a, now, changes), notify };
    return { transition: to(NATIVE_OPS.poll, a, now + pollDelay()), notify };
  }

  const poll: OperationHandler = {
    operation: NATIVE_OPS.poll,
    prepare(db, job, now) {
      const a = mustGetAttempt(db, attemptIdOf(job));
      if (isFinalAttemptState(a.state) || a.state === 'refunding') return { kind: 'settle', settled: { transition: { kind: 'done' } } };
      // After a close said ORDERPAID the poll must run even though the QR was stopped.
      if (shouldStop(a, now) && a.state !== 'closing') {
        const changes = new ChangeSet();
        return { kind: 'settle', settled: { transition: closeNow(db, a, now, changes), notify: publishing(changes) } };
      }
      return callThen(ENDPOINTS.query, () => client.queryOrder(a.out_trade_no), (tx, outcome, at) => applyPoll(tx, job, outcome, at));
    },
  };

  // ---- close ----

  function applyClose(tx: Database, job: OutboxJob, outcome: WechatOutcome<void>, now: number): Settled {
    const changes = new ChangeSet();
    const notify = publishing(changes);
    const a = mustGetAttempt(tx, attemptIdOf(job));
    if (outcome.kind === 'success' || (outcome.kind === 'failure' && (outcome.code === 'ORDERNOTEXIST' || outcome.code === 'ORDERCLOSED'))) {
      finishAttempt(tx, a, 'closed', closeReason(a, now), policy, now, changes);
      return { transition: { kind: 'done' }, notify };
    }
    if (outcome.kind === 'failure' && outcome.code === 'ORDERPAID') {
      // The customer paid between our last query and the close: query for the payment facts and record it.
      updateAndTrack(tx, a, { last_answer: 'ORDERPAID', network_trouble: 0 }, now, changes);
      return { transition: to(NATIVE_OPS.poll, a, now), notify };
    }
    const trouble = outcome.kind === 'unknown' && ['network', 'timeout', 'http-5xx'].includes(outcome.cause) ? 1 : 0;
    updateAndTrack(tx, a, { last_answer: outcome.code ?? (outcome.kind === 'unknown' ? outcome.cause : null), network_trouble: trouble }, now, changes);
    return { transition: { kind: 'retry', at: now + retryDelay(job) }, notify };
  }

  const close: OperationHandler = {
    operation: NATIVE_OPS.close,
    prepare(db, job) {
      const a = mustGetAttempt(db, attemptIdOf(job));
      if (isFinalAttemptState(a.state) || a.state === 'refunding') return { kind: 'settle', settled: { transition: { kind: 'done' } } };
      return callThen(ENDPOINTS.close, () => client.closeOrder(a.out_trade_no), (tx, outcome, at) => applyClose(tx, job, outcome, at));
    },
  };

  return [create, poll, close];
}
