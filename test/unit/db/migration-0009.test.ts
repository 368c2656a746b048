import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0009PinGuard } from '../../../electron/db/migrations/0009-pin-guard';

describe('migration 0009-pin-guard', () => {
  it('is version 9 in the app list and creates a strict pin_guard table', () => {
    expect(appMigrations[8]).toBe(migration0009PinGuard);
    const db = new Database(':memory:');
    migrate(db, appMigrations.slice(0, 9));
    const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'pin_guard'").get() as { sql: string } | undefined;
    expect(table?.sql).toMatch(/\) STRICT$/);
    expect(() => db.prepare("INSERT INTO pin_guard (scope, failures, updated_at) VALUES ('terminal', -1, 0)").run()).toThrow(/CHECK/);
    db.close();
  });

  it('keeps existing alerts and users, marks demo users as sandbox staff, and accepts the pin-guessing alert kind', () => {
    const db = new Database(':memory:');
    migrate(db, appMigrations.slice(0, 8));
    db.prepare("INSERT INTO risk_alerts (kind, actor_id, count, window_ms, at) VALUES ('refund-burst', 'u-1', 3, 60000, 5)").run();
    expect(() => db.prepare("INSERT INTO risk_alerts (kind, actor_id, count, window_ms, at) VALUES ('pin-guessing', 'terminal', 5, 60000, 6)").run()).toThrow(/CHECK/);
    const user = db.prepare("INSERT INTO users (id, name, role, pin_hash, demo, created_at, updated_at) VALUES (?, ?, 'cashier', 'scrypt$x', ?, 0, 0)");
    user.run('demo-cashier', '演示收银员', 1);
    user.run('u-real', '李收银', 0);
    migrate(db, appMigrations.slice(0, 9));
    expect(db.prepare('SELECT kind, actor_id, count FROM risk_alerts').all()).toEqual([{ kind: 'refund-burst', actor_id: 'u-1', count: 3 }]);
    db.prepare("INSERT INTO risk_alerts (kind, actor_id, count, window_ms, at) VALUES ('pin-guessing', 'terminal', 5, 60000, 6)").run();
    expect(db.prepare('SELECT id, sandbox FROM users ORDER BY id').all()).toEqual([
      { id: 'demo-cashier', sandbox: 1 },
      { id: 'u-real', sandbox: 0 },
    ]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'risk_alerts_open'").get()).toBeDefined();
    db.close();
  });
});
