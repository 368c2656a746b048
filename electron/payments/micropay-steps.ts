import type { Database } from 'better-sqlite3';
import { LOCAL_REASONS } from '../../shared/payments';
import type { AttemptRow } from '../db/wechat-attempts';
import { backoffDelay, jitterBetween } from '../sync/backoff';
import type { OutboxJob, Transition } from '../sync/types';
import type { OrderState, WechatOutcome } from '../wechat/types';
import { finishAttempt, mustGetAttempt, recordOrderPaid, updateAndTrack } from './attempt-lifecycle';
import type { ChangeSet } from './changes';
import type { PaymentContext } from './context';

/** The micropay job's operations: one outbox row per order, moving send → query → reverse. */
export const MICROPAY_OPS = { send: 'micropay.send', query: 'micropay.query', reverse: 'micropay.reverse' } as const;

export interface MicropayPayload {
  attemptId: number;
  /** Reverse after a definite failure, only so the order surely ends REVOKED; the cashier's view is final. */
  cleanup?: boolean;
}

export function payloadOf(job: OutboxJob): MicropayPayload {
  const p = job.payload as Partial<MicropayPayload>;
  if (typeof p.attemptId !== 'number') throw new Error(`outbox job ${job.id} has no attemptId`);
  return { attemptId: p.attemptId, cleanup: p.cleanup === true };
}

export const micropayJobKey = (outTradeNo: string): string => `micropay:${outTradeNo}`;

export const PAYMENT_FAILED = { code: 'PAYERROR', zh: '支付失败（顾客取消或银行拒绝），未扣款', en: 'Payment failed (cancelled by the payer or refused by the bank); no money taken' };

const UNREACHABLE_CAUSES = new Set(['network', 'timeout', 'http-5xx']);

/** Where a micropay order goes next, shared by the send, query and reverse steps. */
export function micropaySteps(ctx: PaymentContext) {
  const { policy, random } = ctx;
  const queryDelay = (): number => jitterBetween(policy.queryIntervalMinMs, policy.queryIntervalMaxMs, random);
  const retryDelay = (job: OutboxJob): number => backoffDelay(job.attempts + 1, policy.retry, random);
  const publishing = (changes: ChangeSet) => (): void => ctx.publish(changes);

  const reverseAt = (a: AttemptRow, now: number): Transition => ({
    kind: 'retry',
    operation: MICROPAY_OPS.reverse,
    payload: { attemptId: a.id } satisfies MicropayPayload,
    at: Math.max(now, (a.first_sent_at ?? now) + policy.micropayMinReverseMs),
    deadlineAt: null,
  });
  /** After a definite failure: reverse only so the order surely ends REVOKED (an order may exist, e.g. NOTENOUGH). */
  const cleanupReverseAt = (a: AttemptRow, now: number): Transition => ({
    kind: 'retry',
    operation: MICROPAY_OPS.reverse,
    payload: { attemptId: a.id, cleanup: true } satisfies MicropayPayload,
    at: Math.max(now, (a.first_sent_at ?? now) + policy.micropayMinReverseMs),
    deadlineAt: null,
  });
  const queryAt = (a: AttemptRow, at: number): Transition => ({
    kind: 'retry',
    operation: MICROPAY_OPS.query,
    payload: { attemptId: a.id } satisfies MicropayPayload,
    at,
    deadlineAt: null,
  });

  /** WeChat answered and the order is not paid (yet): keep querying until 45 s, then reverse. */
  function afterNotPaidAnswer(a: AttemptRow, now: number, delay: number): Transition {
    const first = a.first_sent_at ?? now;
    if (a.superseded_at !== null || now >= first + policy.micropayResolveMs) return reverseAt(a, now);
    return queryAt(a, Math.min(now + delay, first + policy.micropayResolveMs));
  }

  /**
   * No answer. Before 45 s keep the query cadence; after it keep querying with backoff until WeChat answers, so
   * an order paid during an outage is recorded as paid rather than reversed blindly.
   */
  function afterNoAnswer(a: AttemptRow, job: OutboxJob, now: number): Transition {
    const first = a.first_sent_at ?? now;
    if (a.superseded_at !== null) return reverseAt(a, now);
    if (now < first + policy.micropayResolveMs) return queryAt(a, Math.min(now + queryDelay(), first + policy.micropayResolveMs));
    return queryAt(a, now + retryDelay(job));
  }

  function onPaid(tx: Database, a: AttemptRow, order: OrderState, now: number, changes: ChangeSet): Transition {
    if (order.totalFen !== a.amount_fen) {
      finishAttempt(tx, a, 'needs-attention', { ...LOCAL_REASONS.manager, code: 'LOCAL_AMOUNT_MISMATCH' }, policy, now, changes);
      ctx.logger.error('paid amount differs from the order amount', { outTradeNo: a.out_trade_no, paid: order.totalFen, expected: a.amount_fen });
      return { kind: 'done' };
    }
    const result = recordOrderPaid(tx, a, order, policy, now, changes);
    return result === 'paid' ? { kind: 'done' } : reverseAt(a, now);
  }

  /** Erases the code once it can no longer be sent (its deadline passed). */
  function eraseExpiredCode(tx: Database, a: AttemptRow, now: number, changes: ChangeSet): AttemptRow {
    if (a.auth_code !== null && a.send_deadline_at !== null && now >= a.send_deadline_at) {
      updateAndTrack(tx, a, { auth_code: null }, now, changes);
      return mustGetAttempt(tx, a.id);
    }
    return a;
  }

  function noteUnknown(tx: Database, a: AttemptRow, outcome: Extract<WechatOutcome<unknown>, { kind: 'unknown' }>, now: number, changes: ChangeSet): void {
    updateAndTrack(
      tx,
      a,
      {
        state: a.state === 'reversing' ? 'reversing' : outcome.cause === 'user-paying' ? 'user-paying' : 'confirming',
        last_answer: outcome.code ?? outcome.cause,
        network_trouble: UNREACHABLE_CAUSES.has(outcome.cause) ? 1 : 0,
      },
      now,
      changes,
    );
  }


  return {
    queryDelay,
    retryDelay,
    publishing,
    reverseAt,
    cleanupReverseAt,
    queryAt,
    afterNotPaidAnswer,
    afterNoAnswer,
    onPaid,
    eraseExpiredCode,
    noteUnknown,
  };
}

export type MicropaySteps = ReturnType<typeof micropaySteps>;
