import type { Database } from 'better-sqlite3';
import { isFinalAttemptState, LOCAL_REASONS } from '../../shared/payments';
import { backoffDelay } from '../sync/backoff';
import { callThen, type OperationHandler, type OutboxJob, type Settled, type Transition } from '../sync/types';
import type { WechatOutcome } from '../wechat/types';
import type { AttemptRow } from '../db/wechat-attempts';
import { finishAttempt, mustGetAttempt, reasonOf, storedFailure, updateAndTrack } from './attempt-lifecycle';
import { ChangeSet } from './changes';
import type { PaymentContext } from './context';
import { MICROPAY_OPS, payloadOf, type MicropaySteps } from './micropay-steps';
import { ENDPOINTS } from './policy';

/**
 * Reverse: not within 15 s of creation, again while WeChat answers recall=Y (a few quick retries, then backoff),
 * a definite refusal sends the order back to a query (bounded), and past the 7-day window a manager takes over.
 */
export function micropayReverseHandler(ctx: PaymentContext, steps: MicropaySteps): OperationHandler {
  const { client, policy, random } = ctx;
  const { retryDelay, publishing, queryAt, noteUnknown } = steps;

  function applyCleanupReverse(job: OutboxJob, outcome: WechatOutcome<{ recall: boolean }>, a: AttemptRow, now: number): Transition {
    if (outcome.kind === 'success' && !outcome.value.recall) return { kind: 'done' };
    if (outcome.kind === 'failure') return { kind: 'done' };
    if (now > (a.first_sent_at ?? now) + policy.reverseGiveUpMs) return { kind: 'failed', error: 'clean-up reverse gave up' };
    return { kind: 'retry', at: now + (outcome.kind === 'success' ? policy.recallDelayMs : retryDelay(job)) };
  }

  function applyReverse(tx: Database, job: OutboxJob, outcome: WechatOutcome<{ recall: boolean }>, now: number): Settled {
    const changes = new ChangeSet();
    const notify = publishing(changes);
    const a = mustGetAttempt(tx, payloadOf(job).attemptId);
    if (payloadOf(job).cleanup) return { transition: applyCleanupReverse(job, outcome, a, now) };
    if (outcome.kind === 'success') {
      if (!outcome.value.recall) {
        finishAttempt(tx, a, storedFailure(a) ? 'failed' : 'reversed', storedFailure(a) ?? LOCAL_REASONS.revoked, policy, now, changes);
        return { transition: { kind: 'done' }, notify };
      }
      const count = a.reverse_count + 1;
      updateAndTrack(tx, a, { reverse_count: count, last_answer: 'recall', network_trouble: 0 }, now, changes);
      const delay = count <= policy.quickRecalls ? policy.recallDelayMs : backoffDelay(count - policy.quickRecalls, policy.retry, random);
      return { transition: { kind: 'retry', at: now + delay }, notify };
    }
    if (outcome.kind === 'failure') {
      switch (outcome.code) {
        case 'ORDERNOTEXIST':
          finishAttempt(tx, a, storedFailure(a) ? 'failed' : 'cancelled', storedFailure(a) ?? LOCAL_REASONS.neverReached, policy, now, changes);
          return { transition: { kind: 'done' }, notify };
        case 'ORDERREVERSED':
        case 'ORDERCLOSED':
          finishAttempt(tx, a, 'reversed', LOCAL_REASONS.revoked, policy, now, changes);
          return { transition: { kind: 'done' }, notify };
        case 'REVERSE_EXPIRE':
          finishAttempt(tx, a, 'needs-attention', reasonOf(outcome.code, outcome.reason), policy, now, changes);
          return { transition: { kind: 'done' }, notify };
        default: {
          const rejections = a.reverse_rejections + 1;
          if (rejections >= policy.maxReverseRejections) {
            finishAttempt(tx, a, 'needs-attention', reasonOf(outcome.code, outcome.reason), policy, now, changes);
            return { transition: { kind: 'done' }, notify };
          }
          // Refused: look at the order again; the query decides between paid and another reverse.
          updateAndTrack(tx, a, { reverse_rejections: rejections, last_answer: outcome.code, network_trouble: 0 }, now, changes);
          return { transition: queryAt(a, now + policy.systemErrorQueryMs), notify };
        }
      }
    }
    noteUnknown(tx, a, outcome, now, changes);
    if (now > (a.first_sent_at ?? now) + policy.reverseGiveUpMs) {
      finishAttempt(tx, a, 'needs-attention', LOCAL_REASONS.manager, policy, now, changes);
      return { transition: { kind: 'done' }, notify };
    }
    const delay = outcome.cause === 'user-paying' ? policy.userPayingQueryMs : retryDelay(job);
    return { transition: { kind: 'retry', at: now + delay }, notify };
  }

  const reverse: OperationHandler = {
    operation: MICROPAY_OPS.reverse,
    prepare(db, job, now) {
      const payload = payloadOf(job);
      const a = mustGetAttempt(db, payload.attemptId);
      const changes = new ChangeSet();
      if (!payload.cleanup) {
        if (isFinalAttemptState(a.state)) return { kind: 'settle', settled: { transition: { kind: 'done' } } };
        if (a.first_sent_at === null) {
          finishAttempt(db, a, 'cancelled', a.superseded_at !== null ? LOCAL_REASONS.superseded : LOCAL_REASONS.neverSent, policy, now, changes);
          return { kind: 'settle', settled: { transition: { kind: 'done' }, notify: publishing(changes) } };
        }
      }
      const earliest = (a.first_sent_at ?? now) + policy.micropayMinReverseMs;
      if (now < earliest) return { kind: 'settle', settled: { transition: { kind: 'retry', at: earliest } } };
      if (!payload.cleanup && a.state !== 'reversing') updateAndTrack(db, a, { state: 'reversing', auth_code: null }, now, changes);
      return callThen(
        ENDPOINTS.reverse,
        () => client.reverseOrder(a.out_trade_no),
        (tx, outcome, at) => applyReverse(tx, job, outcome, at),
        publishing(changes),
      );
    },
  };

  return reverse;
}
