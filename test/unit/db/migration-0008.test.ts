import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { getBillProblem, recordBillProblem } from '../../../electron/db/bill-problems';
import { migrate } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0008BillProblems } from '../../../electron/db/migrations/0008-bill-problems';

const problem = { bill_date: '2025-03-14', kind: 'unreadable' as const, line: 3, column_name: '手续费', message: 'line 2 手续费: not a fee', raw_path: '/x.csv', sha1: 'ab', detected_at: 1 };

describe('migration 0008-bill-problems', () => {
  it('is version 8 in the app list', () => {
    expect(appMigrations[7]).toBe(migration0008BillProblems);
  });

  it('keeps the risk alerts already raised and accepts the bill-unreadable kind, still refusing unknown kinds', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, appMigrations.slice(0, 7));
    db.prepare("INSERT INTO risk_alerts (kind, actor_id, count, window_ms, at) VALUES ('refund-burst', 'u1', 3, 60000, 5)").run();
    migrate(db, appMigrations.slice(0, 8));
    expect(db.prepare('SELECT id, kind, actor_id, count FROM risk_alerts').all()).toEqual([{ id: 1, kind: 'refund-burst', actor_id: 'u1', count: 3 }]);
    db.prepare("INSERT INTO risk_alerts (kind, actor_id, count, window_ms, at) VALUES ('bill-unreadable', 'bill:2025-03-14', 1, 1, 6)").run();
    expect(() => db.prepare("INSERT INTO risk_alerts (kind, actor_id, count, window_ms, at) VALUES ('other', 'x', 1, 1, 6)").run()).toThrow(/CHECK/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'risk_alerts_open'").get()).toEqual({ name: 'risk_alerts_open' });
    db.close();
  });

  it('stores one problem per day, replaced by the next, and refuses an impossible line or an empty message', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, appMigrations);
    recordBillProblem(db, problem);
    recordBillProblem(db, { ...problem, kind: 'deadline', line: null, column_name: null, message: 'no bill by the deadline' });
    expect(getBillProblem(db, '2025-03-14')).toMatchObject({ kind: 'deadline', line: null, message: 'no bill by the deadline' });
    expect(() => recordBillProblem(db, { ...problem, bill_date: '2025-03-15', line: 0 })).toThrow(/CHECK/);
    expect(() => recordBillProblem(db, { ...problem, bill_date: '2025-03-15', message: '' })).toThrow(/CHECK/);
    db.close();
  });
});
