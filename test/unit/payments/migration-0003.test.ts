import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/open';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0003Payments } from '../../../electron/db/migrations/0003-payments';

describe('migration 0003-payments', () => {
  it('is version 3 in the app list and creates strict payment tables', () => {
    expect(appMigrations[2]).toBe(migration0003Payments);
    const db = openDatabase(':memory:', appMigrations);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(3);
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
    for (const name of ['sequences', 'sales', 'sale_lines', 'tenders', 'wechat_attempts', 'refunds', 'outbox', 'wechat_report_trades']) {
      const table = tables.find((t) => t.name === name);
      expect(table?.sql, name).toMatch(/\) STRICT$/);
    }
    db.close();
  });

  it('refuses impossible rows: a zero total, a duplicate receipt number, an out_trade_no over 32 characters', () => {
    const db = openDatabase(':memory:', appMigrations);
    const sale = db.prepare(
      "INSERT INTO sales (terminal_id, receipt_no, cashier_id, state, description, total_fen, created_at) VALUES ('T1', ?, 'c', 'open', 'x', ?, 0)",
    );
    expect(() => sale.run(1, 0)).toThrow(/CHECK/);
    sale.run(1, 100);
    expect(() => sale.run(1, 100)).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO tenders (sale_id, kind, amount_fen, state, created_at) VALUES (1, 'wechat-code', 100, 'pending', 0)").run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO wechat_attempts (tender_id, sale_id, mode, out_trade_no, amount_fen, description, state, created_at, updated_at) VALUES (1, 1, 'micropay', ?, 100, 'x', 'queued', 0, 0)",
        )
        .run('X'.repeat(33)),
    ).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO outbox (operation, payload, idempotency_key, order_key, state, next_attempt_at, created_at, updated_at) VALUES ('x', 'not json', 'k', 'o', 'pending', 0, 0, 0)").run()).toThrow();
    db.close();
  });
});
