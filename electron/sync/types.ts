import type { Database } from 'better-sqlite3';
import type { Localized } from '../../shared/i18n';
import type { WechatOutcome } from '../wechat/types';
import { callSafely, outcomeSummary, outcomeWords, reachOf, type Reach } from './outcome';

/** A job as handlers see it: the payload parsed, the rest as stored. */
export interface OutboxJob {
  id: number;
  operation: string;
  payload: unknown;
  idempotencyKey: string;
  orderKey: string;
  saleId: number | null;
  /** Tries of the current operation, this one included once claimed. */
  attempts: number;
  nextAttemptAt: number;
  deadlineAt: number | null;
  lastError: string | null;
  createdAt: number;
}

/** What happens to the job next. */
export type Transition =
  | { kind: 'done' }
  | { kind: 'failed'; error: string }
  | {
      kind: 'retry';
      at: number;
      /** Switch to another operation of the same job (micropay.send → micropay.query); its tries count afresh. */
      operation?: string;
      payload?: unknown;
      /** Omitted: keep the current deadline. */
      deadlineAt?: number | null;
      error?: string | null;
    };

/** A transition plus what to tell the windows once the transaction has committed. */
export interface Settled {
  transition: Transition;
  notify?: () => void;
}

export interface Reply {
  reach: Reach;
  /** WeChat said we are too fast: the worker pauses the endpoint. */
  rateLimited: boolean;
  /** For last_error and the log; null on success. */
  error: string | null;
  /** The same in words for the manager's sync tab (null on success). */
  problem?: Localized | null;
  /** Runs inside the result transaction. */
  apply(db: Database, now: number): Settled;
}

export type Prepared =
  | { kind: 'settle'; settled: Settled }
  | { kind: 'call'; endpoint: string; execute(): Promise<Reply>; notify?: () => void };

/**
 * One kind of outbox operation. `prepare` runs inside the claim transaction (it records that a request is about
 * to leave, so a crash right after still knows it may have been sent), the call runs outside any transaction,
 * and the reply is applied in a new transaction.
 */
export interface OperationHandler {
  readonly operation: string;
  prepare(db: Database, job: OutboxJob, now: number): Prepared;
  /** The job's deadline passed before it could be sent. Default: fail the job. */
  expire?(db: Database, job: OutboxJob, now: number): Settled;
  /** The job was in flight when the process died. Default: try the same operation again now. */
  recover?(db: Database, job: OutboxJob, now: number): Transition;
}

/** Builds the `call` form of Prepared, keeping the outcome's type between the call and its apply step. */
export function callThen<T>(
  endpoint: string,
  call: () => Promise<WechatOutcome<T>>,
  apply: (db: Database, outcome: WechatOutcome<T>, now: number) => Settled,
  notify?: () => void,
): Prepared {
  return {
    kind: 'call',
    endpoint,
    notify,
    async execute(): Promise<Reply> {
      const outcome = await callSafely(call);
      return {
        reach: reachOf(outcome),
        rateLimited: outcome.kind === 'unknown' && outcome.cause === 'rate-limited',
        error: outcomeSummary(outcome),
        problem: outcomeWords(outcome),
        apply: (db, now) => apply(db, outcome, now),
      };
    },
  };
}
