import type { Database } from 'better-sqlite3';
import { fen } from '../../shared/money';
import { maskAuthCode } from '../../shared/mask';
import { isFinalAttemptState, LOCAL_REASONS } from '../../shared/payments';
import { enqueueOutbox, finishOutbox, getOutboxByKey, rescheduleOutbox } from '../db/outbox';
import { insertTender } from '../db/tenders';
import { insertAttempt, type AttemptRow } from '../db/wechat-attempts';
import { certainlyNotSent } from '../sync/outcome';
import { callThen, type OperationHandler, type OutboxJob, type Settled } from '../sync/types';
import type { OrderState, WechatOutcome } from '../wechat/types';
import { failurePatch, finishAttempt, mustGetAttempt, reasonOf, storedFailure, updateAndTrack } from './attempt-lifecycle';
import { ChangeSet } from './changes';
import type { PaymentContext } from './context';
import { micropayReverseHandler } from './micropay-reverse';
import { micropayJobKey, MICROPAY_OPS, micropaySteps, PAYMENT_FAILED, payloadOf, type MicropayPayload } from './micropay-steps';
import { ENDPOINTS } from './policy';
import { nextOrderNo } from './trade-no';

export { MICROPAY_OPS } from './micropay-steps';

/** Inside the scan transaction: the tender, the attempt (holding the code) and its outbox job, together. */
export function insertMicropayAttempt(
  ctx: PaymentContext,
  sale: { id: number; description: string },
  authCode: string,
  amountFen: number,
  now: number,
  changes: ChangeSet,
): number {
  const { db, policy } = ctx;
  const tenderId = insertTender(db, { saleId: sale.id, kind: 'wechat-code', amountFen, state: 'pending', createdAt: now });
  const outTradeNo = nextOrderNo(db, ctx.ids, now, 'P');
  const deadline = now + policy.micropaySendWindowMs;
  const attemptId = insertAttempt(db, {
    tenderId,
    saleId: sale.id,
    mode: 'micropay',
    outTradeNo,
    amountFen,
    description: sale.description,
    state: 'queued',
    authCode: ctx.codes.seal(authCode),
    authCodeMasked: maskAuthCode(authCode),
    createdAt: now,
    sendDeadlineAt: deadline,
    expiresAt: null,
  });
  const jobId = enqueueOutbox(db, {
    operation: MICROPAY_OPS.send,
    payload: { attemptId } satisfies MicropayPayload,
    idempotencyKey: micropayJobKey(outTradeNo),
    orderKey: outTradeNo,
    saleId: sale.id,
    nextAttemptAt: now,
    deadlineAt: deadline,
    createdAt: now,
  });
  changes.attempts.add(attemptId);
  changes.sales.add(sale.id);
  changes.sendNow.add(jobId);
  return attemptId;
}

/**
 * The cashier took another tender. A code never sent is simply dropped; one that may have reached WeChat goes
 * straight to reverse (at the earliest 15 s after it was sent). A job in flight sees the mark when it lands.
 */
export function supersedeMicropay(ctx: PaymentContext, a: AttemptRow, now: number, changes: ChangeSet): void {
  const { db, policy } = ctx;
  const job = getOutboxByKey(db, micropayJobKey(a.out_trade_no));
  if (!job || job.state !== 'pending') return;
  if (a.first_sent_at === null) {
    finishAttempt(db, mustGetAttempt(db, a.id), 'cancelled', LOCAL_REASONS.superseded, policy, now, changes);
    finishOutbox(db, job.id, 'done', 'superseded before it was sent', now);
    return;
  }
  if (job.operation === MICROPAY_OPS.reverse) return;
  rescheduleOutbox(
    db,
    job.id,
    {
      operation: MICROPAY_OPS.reverse,
      payload: { attemptId: a.id } satisfies MicropayPayload,
      nextAttemptAt: Math.max(now, a.first_sent_at + policy.micropayMinReverseMs),
      deadlineAt: null,
      lastError: null,
      resetAttempts: true,
    },
    now,
  );
}

export function micropayHandlers(ctx: PaymentContext): OperationHandler[] {
  const { client, policy } = ctx;
  const steps = micropaySteps(ctx);
  const { queryDelay, retryDelay, publishing, reverseAt, cleanupReverseAt, queryAt, afterNotPaidAnswer, afterNoAnswer, onPaid, eraseExpiredCode, noteUnknown } = steps;

  // ---- send ----

  function expireSend(tx: Database, job: OutboxJob, now: number): Settled {
    const changes = new ChangeSet();
    const a = mustGetAttempt(tx, payloadOf(job).attemptId);
    if (a.first_sent_at === null) {
      finishAttempt(tx, a, 'cancelled', LOCAL_REASONS.neverSent, policy, now, changes);
      return { transition: { kind: 'done' }, notify: publishing(changes) };
    }
    updateAndTrack(tx, a, { auth_code: null, state: 'confirming' }, now, changes);
    return { transition: queryAt(a, now), notify: publishing(changes) };
  }

  function applySend(tx: Database, job: OutboxJob, outcome: WechatOutcome<OrderState>, now: number): Settled {
    const changes = new ChangeSet();
    const notify = publishing(changes);
    const a = mustGetAttempt(tx, payloadOf(job).attemptId);
    if (outcome.kind === 'success' && outcome.value.tradeState === 'SUCCESS') {
      return { transition: onPaid(tx, a, outcome.value, now, changes), notify };
    }
    if (outcome.kind === 'failure') {
      const reason = reasonOf(outcome.code, outcome.reason);
      const confirm = outcome.code === 'ORDERPAID' || outcome.code === 'OUT_TRADE_NO_USED' || a.send_count > 1;
      if (confirm) {
        // An earlier send may have reached WeChat: only a query can tell whether this failure is the whole story.
        const keep = outcome.code === 'ORDERPAID' || outcome.code === 'OUT_TRADE_NO_USED' ? {} : failurePatch(reason);
        updateAndTrack(tx, a, { ...keep, state: 'confirming', last_answer: outcome.code, network_trouble: 0 }, now, changes);
        return { transition: queryAt(a, now + policy.systemErrorQueryMs), notify };
      }
      finishAttempt(tx, a, 'failed', reason, policy, now, changes);
      updateAndTrack(tx, a, { last_answer: outcome.code, network_trouble: 0 }, now, changes);
      return { transition: cleanupReverseAt(a, now), notify };
    }
    if (outcome.kind === 'unknown' && certainlyNotSent(outcome) && a.send_count === 1 && a.superseded_at === null) {
      // Connection refused: nothing reached WeChat, the code is still unused; keep it queued until its deadline.
      updateAndTrack(tx, a, { state: 'queued', first_sent_at: null, send_count: 0, last_answer: 'network', network_trouble: 1 }, now, changes);
      return { transition: { kind: 'retry', at: now + retryDelay(job) }, notify };
    }
    if (outcome.kind === 'unknown') {
      noteUnknown(tx, a, outcome, now, changes);
      const delay =
        outcome.cause === 'user-paying' ? policy.userPayingQueryMs : outcome.cause === 'system-error' ? policy.systemErrorQueryMs : queryDelay();
      return { transition: afterNotPaidAnswer(a, now, delay), notify };
    }
    // A "success" whose trade state is not SUCCESS: treat as not yet known.
    updateAndTrack(tx, a, { state: 'confirming', last_answer: outcome.value.tradeState }, now, changes);
    return { transition: afterNotPaidAnswer(a, now, policy.systemErrorQueryMs), notify };
  }

  const send: OperationHandler = {
    operation: MICROPAY_OPS.send,
    prepare(db, job, now) {
      const changes = new ChangeSet();
      const a = mustGetAttempt(db, payloadOf(job).attemptId);
      if (isFinalAttemptState(a.state)) return { kind: 'settle', settled: { transition: { kind: 'done' } } };
      if (a.superseded_at !== null && a.first_sent_at === null) {
        finishAttempt(db, a, 'cancelled', LOCAL_REASONS.superseded, policy, now, changes);
        return { kind: 'settle', settled: { transition: { kind: 'done' }, notify: publishing(changes) } };
      }
      if (a.superseded_at !== null) return { kind: 'settle', settled: { transition: reverseAt(a, now) } };
      const authCode = ctx.codes.open(a.auth_code);
      if (authCode === null && a.auth_code !== null && a.first_sent_at === null) {
        // Stored by a run that ended before sending it (crash, restart): this run cannot read it. Nothing reached
        // WeChat, so it ends without money and the cashier scans again.
        finishAttempt(db, a, 'cancelled', LOCAL_REASONS.codeLost, policy, now, changes);
        return { kind: 'settle', settled: { transition: { kind: 'done' }, notify: publishing(changes) } };
      }
      if (authCode === null || (a.send_deadline_at !== null && now >= a.send_deadline_at)) {
        return { kind: 'settle', settled: expireSend(db, job, now) };
      }
      updateAndTrack(
        db,
        a,
        { first_sent_at: a.first_sent_at ?? now, send_count: a.send_count + 1, state: a.state === 'queued' ? 'sending' : a.state },
        now,
        changes,
      );
      return callThen(
        ENDPOINTS.micropay,
        () =>
          client.micropay({
            outTradeNo: a.out_trade_no,
            authCode,
            totalFen: fen(a.amount_fen),
            description: a.description,
            deviceInfo: ctx.ids.terminalId,
          }),
        (tx, outcome, at) => applySend(tx, job, outcome, at),
        publishing(changes),
      );
    },
    expire: expireSend,
    recover(db, job, now) {
      // Died mid-send: the order may exist. Ask before anything else.
      const changes = new ChangeSet();
      const a = mustGetAttempt(db, payloadOf(job).attemptId);
      updateAndTrack(db, a, { state: a.state === 'sending' || a.state === 'queued' ? 'confirming' : a.state }, now, changes);
      return queryAt(a, now);
    },
  };

  // ---- query ----

  function applyQuery(tx: Database, job: OutboxJob, outcome: WechatOutcome<OrderState>, now: number): Settled {
    const changes = new ChangeSet();
    const notify = publishing(changes);
    const a = eraseExpiredCode(tx, mustGetAttempt(tx, payloadOf(job).attemptId), now, changes);
    if (outcome.kind === 'success') {
      const order = outcome.value;
      switch (order.tradeState) {
        case 'SUCCESS':
        case 'REFUND':
          return { transition: onPaid(tx, a, order, now, changes), notify };
        case 'REVOKED':
        case 'CLOSED':
          finishAttempt(tx, a, storedFailure(a) ? 'failed' : 'reversed', storedFailure(a) ?? LOCAL_REASONS.revoked, policy, now, changes);
          return { transition: { kind: 'done' }, notify };
        case 'PAYERROR':
          // The payment failed (payer cancelled, bank refused): final for the cashier, but the order is still
          // reversed in the background so it ends REVOKED.
          finishAttempt(tx, a, 'failed', storedFailure(a) ?? PAYMENT_FAILED, policy, now, changes);
          updateAndTrack(tx, a, { last_answer: 'PAYERROR', network_trouble: 0 }, now, changes);
          return { transition: cleanupReverseAt(a, now), notify };
        default: {
          updateAndTrack(
            tx,
            a,
            { state: order.tradeState === 'USERPAYING' ? 'user-paying' : 'confirming', last_answer: order.tradeState, network_trouble: 0 },
            now,
            changes,
          );
          return { transition: afterNotPaidAnswer(a, now, queryDelay()), notify };
        }
      }
    }
    if (outcome.kind === 'failure' && outcome.code === 'ORDERNOTEXIST') {
      const definite = storedFailure(a);
      if (definite) {
        finishAttempt(tx, a, 'failed', definite, policy, now, changes);
        return { transition: { kind: 'done' }, notify };
      }
      const canResend = a.superseded_at === null && ctx.codes.open(a.auth_code) !== null && a.send_deadline_at !== null && now < a.send_deadline_at;
      updateAndTrack(tx, a, { last_answer: 'ORDERNOTEXIST', network_trouble: 0 }, now, changes);
      if (canResend) {
        // Never arrived: send again with the same out_trade_no (WeChat deduplicates on it) while the code lives.
        return { transition: { kind: 'retry', operation: MICROPAY_OPS.send, at: now, deadlineAt: a.send_deadline_at }, notify };
      }
      // Too late to send: make sure it can never appear later, then it ends without money.
      return { transition: reverseAt(a, now), notify };
    }
    if (outcome.kind === 'unknown') noteUnknown(tx, a, outcome, now, changes);
    else updateAndTrack(tx, a, { last_answer: outcome.code, network_trouble: 0 }, now, changes);
    return { transition: afterNoAnswer(a, job, now), notify };
  }

  const query: OperationHandler = {
    operation: MICROPAY_OPS.query,
    prepare(db, job) {
      const a = mustGetAttempt(db, payloadOf(job).attemptId);
      if (isFinalAttemptState(a.state)) return { kind: 'settle', settled: { transition: { kind: 'done' } } };
      return callThen(ENDPOINTS.query, () => client.queryOrder(a.out_trade_no), (tx, outcome, at) => applyQuery(tx, job, outcome, at));
    },
  };

  return [send, query, micropayReverseHandler(ctx, steps)];
}
