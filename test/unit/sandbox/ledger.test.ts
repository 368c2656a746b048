import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../electron/db/open';
import { sandboxMigrations } from '../../../electron/sandbox/ledger/migrations';
import { getOrder } from '../../../electron/sandbox/ledger/orders';
import { applyRefund, MAX_REFUNDS_PER_ORDER, REFUND_SETTLE_MS } from '../../../electron/sandbox/refund-trades';
import { changeOrderAmount, plantPayment, plantRefund, PlantingError } from '../../../electron/sandbox/planting';
import { chargePaymentCode, closeOrder, createNativeOrder, payCodeUrl } from '../../../electron/sandbox/trades';

const T0 = Date.UTC(2024, 4, 10, 2, 0, 0);
let db: Database;

beforeEach(() => {
  db = openDatabase(':memory:', sandboxMigrations);
});
afterEach(() => db.close());

const pay = (outTradeNo: string, totalFee: number, authCode = `1340${String(Math.random()).slice(2, 16).padEnd(14, '7')}`) =>
  chargePaymentCode(db, T0, { outTradeNo, authCode, totalFee, body: 'coffee' });

describe('sandbox ledger', () => {
  it('migrates an empty database to the current schema', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(sandboxMigrations.length);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual([
      'sandbox_auth_codes',
      'sandbox_notification_attempts',
      'sandbox_notifications',
      'sandbox_notify_targets',
      'sandbox_order_owners',
      'sandbox_orders',
      'sandbox_ps_finished',
      'sandbox_ps_lines',
      'sandbox_ps_orders',
      'sandbox_ps_receivers',
      'sandbox_ps_returns',
      'sandbox_refunds',
      'sandbox_reports',
    ]);
  });

  it('answers the same micropay request again with the same order, and a different amount with OUT_TRADE_NO_USED', () => {
    const code = '134111111111111111';
    const first = chargePaymentCode(db, T0, { outTradeNo: 'S1', authCode: code, totalFee: 100, body: 'b' });
    const again = chargePaymentCode(db, T0 + 1000, { outTradeNo: 'S1', authCode: code, totalFee: 100, body: 'b' });
    expect(first.ok && again.ok && first.value.transactionId === again.value.transactionId).toBe(true);
    const other = chargePaymentCode(db, T0 + 2000, { outTradeNo: 'S1', authCode: code, totalFee: 200, body: 'b' });
    expect(other.ok ? null : other.error.code).toBe('OUT_TRADE_NO_USED');
  });

  it('refuses a payment code used for another order with AUTH_CODE_ERROR', () => {
    const code = '134222222222222222';
    expect(chargePaymentCode(db, T0, { outTradeNo: 'C1', authCode: code, totalFee: 1, body: 'b' }).ok).toBe(true);
    const second = chargePaymentCode(db, T0, { outTradeNo: 'C2', authCode: code, totalFee: 1, body: 'b' });
    expect(second.ok ? null : second.error.code).toBe('AUTH_CODE_ERROR');
  });

  it('keeps only a hash of payment codes', () => {
    const code = '134333333333333333';
    pay('H1', 1, code);
    const dump = JSON.stringify(db.prepare('SELECT * FROM sandbox_auth_codes').all()) + JSON.stringify(getOrder(db, 'H1'));
    expect(dump).not.toContain(code);
  });

  it('lets a close that comes after the customer paid answer ORDERPAID, and one before cancel the payment', () => {
    const a = createNativeOrder(db, T0, { outTradeNo: 'N1', totalFee: 500, body: 'b', timeExpire: null });
    const b = createNativeOrder(db, T0, { outTradeNo: 'N2', totalFee: 500, body: 'b', timeExpire: null });
    if (!a.ok || !b.ok) throw new Error('native orders not created');
    payCodeUrl(db, T0, a.value.codeUrl ?? '', 3_000);
    payCodeUrl(db, T0, b.value.codeUrl ?? '', 3_000);
    const late = closeOrder(db, T0 + 3_000, 'N1');
    expect(late.ok ? null : late.error.code).toBe('ORDERPAID');
    expect(closeOrder(db, T0 + 2_999, 'N2').ok).toBe(true);
    expect(getOrder(db, 'N2')?.state).toBe('CLOSED');
  });

  it('never refunds more than was paid, in one refund or in several', () => {
    pay('R1', 1000);
    const refund = (no: string, fee: number) =>
      applyRefund(db, T0, { order: { outTradeNo: 'R1' }, outRefundNo: no, totalFee: 1000, refundFee: fee });
    expect(refund('RF1', 600).ok).toBe(true);
    const over = refund('RF2', 500);
    expect(over.ok ? null : over.error.code).toBe('REFUND_EXCEEDS');
    expect(refund('RF3', 400).ok).toBe(true);
    const full = refund('RF4', 1);
    expect(full.ok ? null : full.error.code).toBe('FULLY_REFUNDED');
  });

  it('accepts at most 50 partial refunds per order', () => {
    pay('L1', 10_000);
    for (let i = 0; i < MAX_REFUNDS_PER_ORDER; i += 1) {
      expect(applyRefund(db, T0, { order: { outTradeNo: 'L1' }, outRefundNo: `L1R${i}`, totalFee: 10_000, refundFee: 1 }).ok).toBe(true);
    }
    const extra = applyRefund(db, T0, { order: { outTradeNo: 'L1' }, outRefundNo: 'L1R50', totalFee: 10_000, refundFee: 1 });
    expect(extra.ok ? null : extra.error.code).toBe('REFUND_LIMIT');
  });

  it('treats the same out_refund_no as the same refund, and different amounts as a mismatch', () => {
    pay('I1', 300);
    const first = applyRefund(db, T0, { order: { outTradeNo: 'I1' }, outRefundNo: 'IR', totalFee: 300, refundFee: 100 });
    const again = applyRefund(db, T0 + REFUND_SETTLE_MS, { order: { outTradeNo: 'I1' }, outRefundNo: 'IR', totalFee: 300, refundFee: 100 });
    expect(first.ok && first.value.refund.status).toBe('PROCESSING');
    expect(again.ok && again.value.refund.status).toBe('SUCCESS');
    expect(again.ok && first.ok && again.value.refund.refundId === first.value.refund.refundId).toBe(true);
    const changed = applyRefund(db, T0, { order: { outTradeNo: 'I1' }, outRefundNo: 'IR', totalFee: 300, refundFee: 50 });
    expect(changed.ok ? null : changed.error.code).toBe('REFUND_FEE_MISMATCH');
  });

  it('plants payments, amount changes and outside refunds for reconciliation tests', () => {
    const planted = plantPayment(db, T0, { totalFen: 888 });
    expect(planted.origin).toBe('planted');
    pay('P1', 500);
    expect(changeOrderAmount(db, T0, 'P1', 450).totalFee).toBe(450);
    const refund = plantRefund(db, T0, { outTradeNo: 'P1', refundFen: 100 });
    expect(refund.status).toBe('SUCCESS');
    expect(getOrder(db, 'P1')?.state).toBe('REFUND');
    expect(() => plantRefund(db, T0, { outTradeNo: 'P1', refundFen: 10_000 })).toThrow(PlantingError);
  });
});
