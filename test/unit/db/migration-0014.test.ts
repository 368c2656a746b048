import { describe, expect, it } from 'vitest';
import { listFacts } from '../../../electron/db/facts';
import { migrate } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0014CrossCounterRefunds } from '../../../electron/db/migrations/0014-cross-counter-refunds';
import { openDatabase } from '../../../electron/db/open';
import { parseFactBody } from '../../../shared/hub-facts';
import { writeRealisticDay } from '../../helpers/fact-day';

describe('migration 0014-cross-counter-refunds', () => {
  it('is version 14 in the app list and keeps the refunds table strict', () => {
    expect(appMigrations[13]).toBe(migration0014CrossCounterRefunds);
    const db = openDatabase(':memory:', appMigrations);
    const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'refunds'").get() as { sql: string };
    expect(table.sql).toMatch(/\) STRICT$/);
    db.close();
  });

  it('keeps every refund row and id, and refund facts written afterwards still parse', () => {
    const db = openDatabase(':memory:', appMigrations.slice(0, 12));
    writeRealisticDay(db);
    const before = db.prepare('SELECT * FROM refunds ORDER BY id').all() as Record<string, unknown>[];
    expect(before.length).toBeGreaterThan(0);
    // Up to 0014 itself: later migrations may add columns of their own.
    migrate(db, appMigrations.slice(0, 14));
    const after = db.prepare('SELECT * FROM refunds ORDER BY id').all() as Record<string, unknown>[];
    expect(after.map((r) => ({ ...r, origin_terminal_id: undefined, origin_receipt_no: undefined, origin_out_trade_no: undefined, origin_total_fen: undefined })))
      .toEqual(before.map((r) => ({ ...r, origin_terminal_id: undefined, origin_receipt_no: undefined, origin_out_trade_no: undefined, origin_total_fen: undefined })));
    db.prepare("UPDATE refunds SET state = 'failed', updated_at = updated_at + 1 WHERE id = ?").run(after[0]?.id);
    const last = listFacts(db, 1, 10_000).filter((f) => f.kind === 'refund').at(-1);
    expect(last && parseFactBody('refund', last.body).ok).toBe(true);
    db.close();
  });

  it('refuses a refund naming neither its own sale nor another counter’s, and another counter’s cash', () => {
    const db = openDatabase(':memory:', appMigrations);
    const insert = (sql: string) => () => db.prepare(`INSERT INTO refunds (sale_id, tender_id, kind, out_refund_no, amount_fen, state, approved_by, requested_at,
        requested_offline, updated_at, origin_terminal_id, origin_receipt_no, origin_out_trade_no, origin_total_fen) VALUES (${sql})`).run();
    expect(insert("NULL, NULL, 'wechat', 'R1', 100, 'queued', 'm1', 1, 0, 1, NULL, NULL, NULL, NULL")).toThrow(/CHECK/);
    expect(insert("NULL, NULL, 'cash', NULL, 100, 'succeeded', 'm1', 1, 0, 1, 'AB12', 3, 'AB12P1', 500")).toThrow(/CHECK/);
    expect(insert("NULL, NULL, 'wechat', 'R2', 600, 'queued', 'm1', 1, 0, 1, 'AB12', 3, 'AB12P1', 500")).toThrow(/CHECK/);
    db.close();
  });
});
