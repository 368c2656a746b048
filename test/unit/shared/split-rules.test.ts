import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import {
  largestRemainder,
  rulesInEffect,
  splitOrderAmount,
  splitRuleProblems,
  SplitRuleError,
  type SplitRule,
  type StoreSplitRules,
} from '../../../shared/split-rules';

const percent = (account: string, basisPoints: number): SplitRule => ({
  account,
  type: 'MERCHANT_ID',
  relationType: 'STORE_OWNER',
  share: { kind: 'percent', basisPoints },
  description: `分成 ${account}`,
});
const fixed = (account: string, amount: number): SplitRule => ({
  account,
  type: 'MERCHANT_ID',
  relationType: 'BRAND',
  share: { kind: 'fixed', fen: fen(amount) },
  description: `每笔固定 ${account}`,
});

describe('split rules', () => {
  it('splits percentages of the order and leaves the rest with the store', () => {
    const result = splitOrderAmount(fen(10_000), [percent('19000000001', 1_000), percent('19000000002', 500)]);
    expect(result.parts.map((p) => [p.account, p.amountFen])).toEqual([
      ['19000000001', 1_000],
      ['19000000002', 500],
    ]);
    expect(result).toMatchObject({ storeKeepsFen: 8_500, capped: false });
  });

  it('rounds by largest remainder, ties to the first rule, the store last', () => {
    // 101 fen × 10 % = 10.1 each; the store's 70 % = 70.7 gets the one fen left over.
    const result = splitOrderAmount(fen(101), [percent('19000000001', 1_000), percent('19000000002', 1_000), percent('19000000003', 1_000)]);
    expect(result.parts.map((p) => p.amountFen)).toEqual([10, 10, 10]);
    expect(result.storeKeepsFen).toBe(71);
    expect(largestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
  });

  it('drops parts that round to nothing: a 1-fen order stays with the store', () => {
    expect(splitOrderAmount(fen(1), [percent('19000000001', 1_000)])).toEqual({ parts: [], storeKeepsFen: 1, capped: false });
  });

  it('takes fixed fees from the store’s rest and cuts everything to the 30 % cap, reporting the shortfall', () => {
    const result = splitOrderAmount(fen(200), [fixed('19000000009', 100)]);
    expect(result.parts).toEqual([expect.objectContaining({ amountFen: 60, shortfallFen: 40 })]);
    expect(result).toMatchObject({ storeKeepsFen: 140, capped: true });
    expect(splitOrderAmount(fen(200), [fixed('19000000009', 100)], 10_000).parts[0]?.amountFen).toBe(100);
  });

  it('refuses rules that cannot work, naming each problem', () => {
    expect(splitRuleProblems([percent('19000000001', 2_000), percent('19000000001', 2_000)])).toEqual([
      'rule 2: receiver 19000000001 appears twice',
      'the percentages add up to more than the maximum share (30 %)',
    ]);
    expect(splitRuleProblems([fixed('abc', 0)])).toHaveLength(2);
    expect(() => splitOrderAmount(fen(100), [percent('19000000001', 4_000)])).toThrow(SplitRuleError);
    expect(() => splitOrderAmount(fen(0), [])).toThrow(SplitRuleError);
  });

  it('uses the latest rule set effective on the day the order was paid', () => {
    const sets: StoreSplitRules[] = [
      { storeId: 'S1', effectiveFrom: '2026-01-01', rules: [percent('19000000001', 1_000)] },
      { storeId: 'S1', effectiveFrom: '2026-03-01', rules: [percent('19000000001', 2_000)] },
      { storeId: 'S2', effectiveFrom: '2025-01-01', rules: [] },
    ];
    expect(rulesInEffect(sets, 'S1', '2026-02-28')?.effectiveFrom).toBe('2026-01-01');
    expect(rulesInEffect(sets, 'S1', '2026-03-01')?.effectiveFrom).toBe('2026-03-01');
    expect(rulesInEffect(sets, 'S1', '2025-12-31')).toBeNull();
  });
});

describe('split rules: properties', () => {
  const rule = fc.oneof(
    fc.integer({ min: 1, max: 1_500 }).map((bp) => ({ kind: 'percent' as const, bp })),
    fc.integer({ min: 1, max: 50_000 }).map((amount) => ({ kind: 'fixed' as const, amount })),
  );
  const scenario = fc.record({
    amount: fc.oneof(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 10_000_000 })),
    cap: fc.oneof(fc.constant(3_000), fc.integer({ min: 0, max: 10_000 })),
    shares: fc.array(rule, { maxLength: 8 }),
  });

  it('the parts and the store’s rest always sum to the order, and no part (nor their total) exceeds the cap', () => {
    fc.assert(
      fc.property(scenario, ({ amount, cap, shares }) => {
        const rules = shares.map((s, i) => (s.kind === 'percent' ? percent(`1900000${1000 + i}`, s.bp) : fixed(`1900000${1000 + i}`, s.amount)));
        const percentTotal = shares.reduce((sum, s) => sum + (s.kind === 'percent' ? s.bp : 0), 0);
        if (percentTotal > cap) {
          expect(() => splitOrderAmount(fen(amount), rules, cap)).toThrow(SplitRuleError);
          return;
        }
        const result = splitOrderAmount(fen(amount), rules, cap);
        const capFen = Math.floor((amount * cap) / 10_000);
        const receivers = result.parts.reduce((sum, p) => sum + p.amountFen, 0);
        expect(receivers + result.storeKeepsFen).toBe(amount);
        expect(receivers).toBeLessThanOrEqual(capFen);
        for (const part of result.parts) {
          expect(Number.isInteger(part.amountFen)).toBe(true);
          expect(part.amountFen).toBeGreaterThanOrEqual(1);
          expect(part.amountFen).toBeLessThanOrEqual(capFen);
          expect(part.shortfallFen).toBeGreaterThanOrEqual(0);
        }
        if (!result.capped) {
          // Uncapped percentage parts are within a fen of their exact share.
          rules.forEach((r) => {
            if (r.share.kind !== 'percent') return;
            const got = result.parts.find((p) => p.account === r.account)?.amountFen ?? 0;
            expect(Math.abs(got - (amount * r.share.basisPoints) / 10_000)).toBeLessThan(1);
          });
        }
        expect(splitOrderAmount(fen(amount), rules, cap)).toEqual(result);
      }),
      { numRuns: 2_000, seed: 20261207 },
    );
  });

  it('largest remainder gives every fen of the pool out, each part within a fen of its exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 10 }), (pool, weights) => {
        const total = weights.reduce((s, w) => s + w, 0);
        if (total === 0) return;
        const parts = largestRemainder(pool, weights);
        expect(parts.reduce((s, p) => s + p, 0)).toBe(pool);
        parts.forEach((p, i) => expect(Math.abs(p - (pool * (weights[i] ?? 0)) / total)).toBeLessThan(1));
      }),
      { numRuns: 1_000, seed: 7 },
    );
  });
});
