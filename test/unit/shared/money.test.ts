import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fen, fenToYuanString, formatYuan, MoneyError, parseYuan } from '../../../shared/money';

describe('money', () => {
  it('formats fen as yuan with the full-width sign printers can print', () => {
    expect(formatYuan(fen(1250))).toBe('￥12.50');
    expect(formatYuan(fen(1))).toBe('￥0.01');
    expect(formatYuan(fen(0))).toBe('￥0.00');
    expect(formatYuan(fen(-305))).toBe('-￥3.05');
  });

  it('parses typed and billed yuan amounts exactly, without floating point', () => {
    expect(parseYuan('12.5')).toBe(1250);
    expect(parseYuan('0.01')).toBe(1);
    expect(parseYuan('0.29')).toBe(29);
    expect(parseYuan('1.10')).toBe(110);
    expect(parseYuan('100')).toBe(10000);
  });

  it('refuses amounts that are not money', () => {
    for (const bad of ['', '1.234', '-1', '1e3', 'abc', '.5', '1,000']) expect(parseYuan(bad)).toBeNull();
  });

  it('refuses a fractional number of fen', () => {
    expect(() => fen(12.5)).toThrow(MoneyError);
  });

  it('round-trips every amount between fen and yuan text', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (n) => parseYuan(fenToYuanString(fen(n))) === n));
  });
});
