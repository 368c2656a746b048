import { describe, expect, it } from 'vitest';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0010PaymentAlerts } from '../../../electron/db/migrations/0010-payment-alerts';
import { openDatabase } from '../../../electron/db/open';
import {
  getCounterSale,
  insertPaymentAlert,
  listOpenPaymentAlertsOfTerminal,
  listPaymentAlerts,
  resolvePaymentAlert,
  setCounterSale,
} from '../../../electron/db/payment-alerts';

function dbWithPaidAttempt(): ReturnType<typeof openDatabase> {
  const db = openDatabase(':memory:', appMigrations);
  db.exec(`
    INSERT INTO sales (id, terminal_id, receipt_no, cashier_id, state, description, total_fen, created_at) VALUES (1, 'T01', 1, 'c1', 'paid', 's', 2345, 0);
    INSERT INTO tenders (id, sale_id, kind, amount_fen, state, created_at) VALUES (1, 1, 'wechat-qr', 2345, 'paid', 0);
    INSERT INTO wechat_attempts (id, tender_id, sale_id, mode, out_trade_no, amount_fen, description, state, created_at, updated_at)
      VALUES (1, 1, 1, 'native', 'T01P1', 2345, 's', 'paid', 0, 0);
  `);
  return db;
}

describe('migration 0010-payment-alerts', () => {
  it('is version 10 in the app list and creates strict tables', () => {
    expect(appMigrations[9]).toBe(migration0010PaymentAlerts);
    const db = openDatabase(':memory:', appMigrations);
    for (const name of ['counter_sale', 'payment_alerts']) {
      const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) as { sql: string } | undefined;
      expect(table?.sql).toMatch(/\) STRICT$/);
    }
    db.close();
  });

  it('keeps one counter sale per terminal, and tells "never ran" from "empty"', () => {
    const db = dbWithPaidAttempt();
    expect(getCounterSale(db, 'T01')).toBeUndefined();
    setCounterSale(db, 'T01', 1, 10);
    expect(getCounterSale(db, 'T01')).toEqual({ sale_id: 1 });
    setCounterSale(db, 'T01', null, 20);
    expect(getCounterSale(db, 'T01')).toEqual({ sale_id: null });
    expect(() => setCounterSale(db, 'T02', 99, 30)).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('raises one alert per payment, resolved once, and refuses a half-resolved row', () => {
    const db = dbWithPaidAttempt();
    const alert = { saleId: 1, attemptId: 1, amountFen: 2345, paidAt: 100, counterSaleId: null };
    const id = insertPaymentAlert(db, alert);
    expect(id).not.toBeNull();
    expect(insertPaymentAlert(db, alert)).toBeNull();
    expect(listOpenPaymentAlertsOfTerminal(db, 'T01').map((a) => a.receipt_no)).toEqual([1]);
    expect(resolvePaymentAlert(db, id!, 'kept', 'c1', 200)).toBe(true);
    expect(resolvePaymentAlert(db, id!, 'refunded', 'c1', 300)).toBe(false);
    expect(listPaymentAlerts(db, true, 10)).toEqual([]);
    expect(listPaymentAlerts(db, false, 10)[0]).toMatchObject({ state: 'kept', resolved_by: 'c1', resolved_at: 200 });
    expect(() => db.prepare("UPDATE payment_alerts SET state = 'open' WHERE id = ?").run(id)).toThrow(/CHECK/);
    expect(() => insertPaymentAlert(db, { ...alert, attemptId: 1, amountFen: 0 })).toThrow(/CHECK/);
    db.close();
  });
});
