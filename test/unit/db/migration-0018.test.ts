import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0018RefundClearance } from '../../../electron/db/migrations/0018-refund-clearance';
import { openDatabase } from '../../../electron/db/open';
import { describeRefundClearance } from '../../../shared/payments';

describe('migration 0018-refund-clearance', () => {
  it('is version 18 in the app list', () => {
    expect(appMigrations[17]).toBe(migration0018RefundClearance);
  });

  it('adds the hub clearance to refunds, empty for refunds made before, and refuses unknown states', () => {
    const db = openDatabase(':memory:', appMigrations.slice(0, 17));
    // The row alone (its sale is not what this migration is about).
    db.pragma('foreign_keys = OFF');
    db.exec(`INSERT INTO refunds (sale_id, tender_id, kind, out_refund_no, amount_fen, state, approved_by, requested_at, requested_offline, updated_at)
      VALUES (1, 1, 'cash', 'R1', 100, 'succeeded', 'm1', 1, 0, 1)`);
    migrate(db, appMigrations);
    expect(db.prepare('SELECT clearance, clearance_problem, clearance_detail, cleared_at FROM refunds').get()).toEqual({ clearance: null, clearance_problem: null, clearance_detail: null, cleared_at: null });
    expect(() => db.prepare("UPDATE refunds SET clearance = 'maybe'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE refunds SET clearance_problem = 'lost'").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('a refund waiting for the hub\'s clearance, in words', () => {
  it('says it waits for the head office to return the split money, why, and a failed return\'s own reason, in both languages', () => {
    expect(describeRefundClearance({ state: 'queued', clearance: { state: 'waiting', problem: 'return-failed', detail: 'NOT_ENOUGH: 分账接收方余额不足' } })).toEqual({
      zh: '退款等待总部分账回退：分账回退失败，请联系总部（NOT_ENOUGH: 分账接收方余额不足）',
      en: 'Waiting for head office to return split money: returning the split money failed: contact head office (NOT_ENOUGH: 分账接收方余额不足)',
    });
    expect(describeRefundClearance({ state: 'queued', clearance: { state: 'cleared', problem: null, detail: null } })).toBeNull();
    expect(describeRefundClearance({ state: 'succeeded', clearance: { state: 'waiting', problem: null, detail: null } })).toBeNull();
    expect(describeRefundClearance({ state: 'queued', clearance: null })).toBeNull();
  });
});
