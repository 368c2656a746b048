import { describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import type { AttemptView, SaleView } from '../../../shared/payments';
import type { ShiftReport } from '../../../shared/shifts';
import { attemptsOf, percentile, refundShare, salesByHour, scanToResult, successRate, tenderMix } from '../../../renderer/manager/stats';

const HOUR = 3_600_000;
const BEIJING = 8 * HOUR;
/** 2024-05-01 09:00 Beijing time. */
const NINE = Date.UTC(2024, 4, 1, 1, 0, 0);

function attempt(overrides: Partial<AttemptView>): AttemptView {
  return {
    id: 1, saleId: 1, tenderId: 1, mode: 'micropay', outTradeNo: 'T01x', amountFen: fen(100), state: 'paid', final: true, superseded: false,
    cancelRequested: false, authCodeMasked: null, createdAt: NINE, sendDeadlineAt: null, resolveBy: null, lastAnswer: null, networkTrouble: false,
    failure: null, transactionId: null, payerMasked: null, codeUrl: null, qrExpiresAt: null, resolvedAt: NINE + 2000, updatedAt: NINE, ...overrides,
  };
}

function sale(paidAt: number | null, paidFen: number, attempts: AttemptView[] = []): SaleView {
  return {
    id: 1, terminalId: 'T01', receiptNo: 1, cashierId: 'c', shiftId: 's', state: paidAt === null ? 'open' : 'paid', description: '', totalFen: fen(paidFen),
    paidFen: fen(paidFen), dueFen: fen(0), refundedFen: fen(0), lines: [], createdAt: paidAt ?? NINE, paidAt, voidedAt: null,
    tenders: attempts.map((a, i) => ({ id: i, kind: 'wechat-code', amountFen: a.amountFen, state: 'paid', tenderedFen: null, changeFen: null, createdAt: a.createdAt, settledAt: null, attempt: a })),
  };
}

function report(byTender: ShiftReport['sales']['byTender'], refundsFen: number): ShiftReport {
  const amount = byTender.reduce((s, t) => s + t.amountFen, 0);
  return { sales: { byTender, count: byTender.length, amountFen: fen(amount) }, refunds: { byTender: [], count: 1, amountFen: fen(refundsFen) } } as unknown as ShiftReport;
}

describe('the shift charts figures', () => {
  it('sums paid sales per Beijing clock hour across the whole shift, midnight included', () => {
    const buckets = salesByHour([sale(NINE + 10 * 60_000, 500), sale(NINE + 50 * 60_000, 250), sale(NINE + 2 * HOUR + 1, 1000), sale(null, 9999)], { from: NINE + 5 * 60_000, to: NINE + 2 * HOUR + 30 * 60_000 }, BEIJING);
    expect(buckets.map((b) => b.amountFen)).toEqual([750, 0, 1000]);
    expect(buckets[0]?.start).toBe(NINE);
    const overnight = salesByHour([sale(NINE + 15 * HOUR, 100)], { from: NINE + 14 * HOUR, to: NINE + 17 * HOUR }, BEIJING);
    expect(overnight).toHaveLength(4);
    expect(overnight[1]?.amountFen).toBe(100);
  });

  it('gives the tender mix as shares and the refund share of sales', () => {
    const r = report([{ kind: 'cash', count: 1, amountFen: fen(300) }, { kind: 'wechat-code', count: 1, amountFen: fen(100) }, { kind: 'wechat-qr', count: 0, amountFen: fen(0) }], 100);
    expect(tenderMix(r)).toEqual([{ kind: 'cash', amountFen: 300, share: 0.75 }, { kind: 'wechat-code', amountFen: 100, share: 0.25 }]);
    expect(refundShare(r)).toBe(0.25);
    expect(refundShare(report([], 0))).toBeNull();
  });

  it('counts the success rate over finished attempts, leaving out superseded ones', () => {
    const attempts = attemptsOf([
      sale(NINE, 100, [attempt({ state: 'paid' }), attempt({ state: 'failed' }), attempt({ state: 'reversed', superseded: true }), attempt({ state: 'confirming', final: false })]),
    ]);
    expect(successRate(attempts)).toEqual({ paid: 1, total: 2, rate: 0.5 });
    expect(successRate([]).rate).toBeNull();
  });

  it('takes nearest-rank percentiles of the scan-to-result times', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95)).toBe(19);
    expect(percentile([], 50)).toBeNull();
    const times = scanToResult([attempt({ resolvedAt: NINE + 1000 }), attempt({ resolvedAt: NINE + 3000 }), attempt({ resolvedAt: null })]);
    expect(times).toEqual({ p50: 1000, p95: 3000, count: 2 });
  });
});
