import { sql } from 'kysely';
import type { WechatNotification } from '../../wechat/notification';
import type { HubDatabase } from '../db/database';
import { recordInTransaction, recordNotification, type RecordResult } from './record';

/**
 * Records verified notifications for the notify endpoints (http/notify-routes.ts), each exactly once with its
 * effect (notify/record.ts), and answers each only after its commit.
 *
 * SQLite: **group commit**. The hub's SQLite has one connection and synchronous=FULL, so every commit is an fsync
 * that blocks the whole process (better-sqlite3 is synchronous), and commits are serialized anyway. Profiled at 8
 * deliveries in flight, that fsync was over half of the hub's time per notification. So the notifications that
 * arrived together go into ONE transaction: the first waits one `setImmediate` (the rest of the event loop's I/O
 * phase: every delivery already read is queued by then), the batch commits once, and what arrives during that
 * commit forms the next batch. Each notification runs in its own savepoint, so one that fails (500: WeChat
 * retries) rolls back only its own rows; a failed commit fails the whole batch (500 each, nothing recorded). Nothing
 * is acknowledged before its commit, and a copy in the same batch meets its original's row (a primary-key no-op), so
 * durability and exactly-once are as before. A lone notification costs one event-loop turn more.
 *
 * PostgreSQL: one transaction per notification on the pool, as before (concurrent transactions; the server groups
 * concurrent WAL flushes itself, and one batch per connection would only hold row locks longer).
 */
export interface NotificationRecorder {
  record(n: WechatNotification, now: number): Promise<RecordResult>;
}

/** A batch never holds more than this many notifications (the writer lock is held for its whole transaction). */
export const MAX_NOTIFICATIONS_PER_COMMIT = 64;

interface Pending {
  n: WechatNotification;
  now: number;
  resolve(result: RecordResult): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; result: RecordResult } | { ok: false; error: unknown };

export function createNotificationRecorder(database: HubDatabase, maxPerCommit = MAX_NOTIFICATIONS_PER_COMMIT): NotificationRecorder {
  if (database.engine !== 'sqlite') return { record: (n, now) => recordNotification(database, n, now) };
  const queue: Pending[] = [];
  let draining = false;

  async function commitBatch(batch: readonly Pending[]): Promise<Outcome[]> {
    return database.db.transaction().execute(async (trx) => {
      // Alone, the transaction is its own savepoint: a failure rolls back exactly this notification.
      const [only] = batch;
      if (batch.length === 1 && only) return [{ ok: true as const, result: await recordInTransaction(trx, only.n, only.now) }];
      const outcomes: Outcome[] = [];
      for (const item of batch) {
        await sql`savepoint notification`.execute(trx);
        try {
          outcomes.push({ ok: true, result: await recordInTransaction(trx, item.n, item.now) });
        } catch (error) {
          await sql`rollback to savepoint notification`.execute(trx);
          outcomes.push({ ok: false, error });
        }
        await sql`release savepoint notification`.execute(trx);
      }
      return outcomes;
    });
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) {
        // Let the event loop read every delivery that arrived meanwhile (during the last commit's fsync) first.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = queue.splice(0, maxPerCommit);
        let outcomes: Outcome[];
        try {
          outcomes = await commitBatch(batch);
        } catch (error) {
          for (const item of batch) item.reject(error);
          continue;
        }
        batch.forEach((item, i) => {
          const outcome = outcomes[i];
          if (outcome?.ok) item.resolve(outcome.result);
          else item.reject(outcome ? outcome.error : new Error('notification not recorded'));
        });
      }
    } finally {
      draining = false;
    }
  }

  return {
    record(n, now) {
      return new Promise<RecordResult>((resolve, reject) => {
        queue.push({ n, now, resolve, reject });
        if (!draining) void drain();
      });
    },
  };
}
