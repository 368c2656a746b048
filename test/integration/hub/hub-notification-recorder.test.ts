import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import type { HubDatabase } from '../../../electron/hub/db/database';
import { migrateHub } from '../../../electron/hub/db/migrate';
import { HUB_MIGRATIONS } from '../../../electron/hub/db/migrations';
import type { HubTables } from '../../../electron/hub/db/schema';
import { createNotificationRecorder } from '../../../electron/hub/notify/recorder';
import type { PaymentNotification } from '../../../electron/wechat/notification';

/**
 * The hub's SQLite notification recorder (group commit): notifications that arrive together share one commit (one
 * fsync), each still recorded exactly once with its own outcome, and one that fails takes only itself down.
 * Commits are counted on Kysely's query log (BEGIN / COMMIT go through it), not by asking the recorder.
 */

const payment = (i: number, over: Partial<PaymentNotification> = {}): PaymentNotification => ({
  kind: 'payment', api: 'v3', id: `evt-${i}`, eventType: 'TRANSACTION.SUCCESS', mchid: '1900000001', appid: 'wx00000000000000a1',
  outTradeNo: `T1abcdefgh261207P${String(i).padStart(6, '0')}`, transactionId: `42000000012026120700000${String(i).padStart(5, '0')}`, tradeState: 'SUCCESS',
  tradeType: 'NATIVE', totalFen: fen(100 + i), payerTotalFen: fen(100 + i), successTime: 1_765_000_000_000, payerOpenidMasked: null, attach: null, ...over,
});

describe('the hub\'s notification recorder on sqlite', () => {
  let dir: string;
  let database: HubDatabase;
  let commits = 0;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-recorder-'));
    const sqlite = new BetterSqlite3(join(dir, 'hub.sqlite'));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    const db = new Kysely<HubTables>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => {
        if (event.level === 'query' && event.query.sql.toLowerCase() === 'commit') commits += 1;
      },
    });
    await migrateHub(db as unknown as Kysely<unknown>, 'sqlite', HUB_MIGRATIONS);
    database = { db, engine: 'sqlite', close: () => db.destroy() };
    commits = 0;
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = () => database.db.selectFrom('hub_notifications').select(['notification_id', 'outcome', 'terminal_id']).orderBy('notification_id').execute();

  it('records eight notifications that arrive together in one commit, each once, and a copy among them as a duplicate', async () => {
    const recorder = createNotificationRecorder(database);
    const arriving = [...Array.from({ length: 8 }, (_, i) => payment(i + 1)), payment(3)];
    const results = await Promise.all(arriving.map((n) => recorder.record(n, 1_765_000_000_000)));
    expect(commits).toBe(1);
    expect(results.map((r) => r.outcome)).toEqual([...Array.from({ length: 8 }, () => 'awaiting-order'), 'duplicate']);
    expect(results[0]?.terminalId).toBe('T1');
    expect(await rows()).toHaveLength(8);
  });

  it('fails only the notification whose writes fail in a shared commit: the others are recorded and answered', async () => {
    // A planted failure for one order (as a full disk or a broken row would be), in SQLite itself.
    await sql`create trigger planted before insert on hub_notifications when new.out_trade_no like '%P000002' begin select raise(abort, 'planted'); end`.execute(database.db);
    const recorder = createNotificationRecorder(database);
    const settled = await Promise.allSettled([1, 2, 3].map((i) => recorder.record(payment(i), 1_765_000_000_000)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(commits).toBe(1);
    expect((await rows()).map((r) => r.notification_id)).toEqual(['evt-1', 'evt-3']);
    // WeChat's retry of the failed one goes through once the trouble is gone.
    await sql`drop trigger planted`.execute(database.db);
    expect(await recorder.record(payment(2), 1_765_000_000_500)).toMatchObject({ outcome: 'awaiting-order' });
    expect(await rows()).toHaveLength(3);
  });

  it('records a notification arriving during a commit in the next one, and answers none before its own commit', async () => {
    const recorder = createNotificationRecorder(database);
    const first = recorder.record(payment(1), 1);
    const second = first.then(() => {
      // Answered means committed: another connection already sees the row.
      const other = new BetterSqlite3(join(dir, 'hub.sqlite'), { readonly: true });
      try {
        return other.prepare('select count(*) as n from hub_notifications').get() as { n: number };
      } finally {
        other.close();
      }
    });
    const later = recorder.record(payment(2), 2);
    expect((await second).n).toBeGreaterThanOrEqual(1);
    await later;
    expect(await rows()).toHaveLength(2);
  });
});
