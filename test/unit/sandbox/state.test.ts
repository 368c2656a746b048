import { describe, expect, it } from 'vitest';
import type { OrderRow } from '../../../electron/sandbox/ledger/orders';
import { orderAt, refundAt } from '../../../electron/sandbox/state';

const T0 = 1_715_306_400_000;

function order(overrides: Partial<OrderRow>): OrderRow {
  return {
    outTradeNo: 'O1', transactionId: '4200', tradeType: 'MICROPAY', state: 'USERPAYING', totalFee: 100, body: 'b',
    attach: null, deviceInfo: null, fingerprint: 'f', wallet: 'password', openid: 'o', bankType: 'CMB_DEBIT',
    codeUrl: null, prepayId: null, createdAt: T0, timeExpire: null, paysAt: null, failsAt: null, paidAt: null,
    closedAt: null, origin: 'api', ...overrides,
  };
}

describe('order transitions on the clock', () => {
  it('keeps a payer entering the password USERPAYING until the payment instant, then SUCCESS at that instant', () => {
    const o = order({ paysAt: T0 + 12_000 });
    expect(orderAt(o, T0 + 11_999).state).toBe('USERPAYING');
    const paid = orderAt(o, T0 + 30_000);
    expect(paid.state).toBe('SUCCESS');
    expect(paid.paidAt).toBe(T0 + 12_000);
  });

  it('revokes an order still waiting for the password 45 s after creation', () => {
    const o = order({ paysAt: null });
    expect(orderAt(o, T0 + 44_999).state).toBe('USERPAYING');
    const revoked = orderAt(o, T0 + 45_000);
    expect(revoked.state).toBe('REVOKED');
    expect(revoked.closedAt).toBe(T0 + 45_000);
  });

  it('lets the revocation win over a payment that would come after 45 s', () => {
    expect(orderAt(order({ paysAt: T0 + 50_000 }), T0 + 60_000).state).toBe('REVOKED');
  });

  it('turns a cancelled password entry into PAYERROR', () => {
    expect(orderAt(order({ failsAt: T0 + 5_000 }), T0 + 6_000).state).toBe('PAYERROR');
  });

  it('pays a native order when the customer scans before it expires, not after', () => {
    const native = order({ tradeType: 'NATIVE', state: 'NOTPAY', timeExpire: T0 + 300_000 });
    expect(orderAt({ ...native, paysAt: T0 + 10_000 }, T0 + 10_000).state).toBe('SUCCESS');
    expect(orderAt({ ...native, paysAt: T0 + 400_000 }, T0 + 500_000).state).toBe('NOTPAY');
  });

  it('completes an accepted refund once its delay has passed', () => {
    const refund = {
      outRefundNo: 'R1', refundId: '5030', outTradeNo: 'O1', refundFee: 10, totalFee: 100, reason: null,
      status: 'PROCESSING' as const, createdAt: T0, succeedsAt: T0 + 5_000, successAt: null, origin: 'api' as const,
    };
    expect(refundAt(refund, T0 + 4_999).status).toBe('PROCESSING');
    expect(refundAt(refund, T0 + 5_000)).toMatchObject({ status: 'SUCCESS', successAt: T0 + 5_000 });
  });
});
