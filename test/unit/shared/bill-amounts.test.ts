import { describe, expect, it } from 'vitest';
import { feeFor, feeMilliFen, feeToFen, formatFeeYuan, formatRatePercent, parseFeeYuan, parseRatePercent, type RatePpm } from '../../../shared/bill-amounts';
import { fen } from '../../../shared/money';

describe('fees as WeChat writes them (five decimals of yuan), exactly', () => {
  it('reads 0.00000, 0.01000, 0.04000 and negative refund fees into thousandths of a fen', () => {
    expect(parseFeeYuan('0.00000')).toBe(0);
    expect(parseFeeYuan('0.01000')).toBe(1000);
    expect(parseFeeYuan('0.04000')).toBe(4000);
    expect(parseFeeYuan('-0.00600')).toBe(-600);
    expect(parseFeeYuan('0.00001')).toBe(1);
    expect(parseFeeYuan('12.5')).toBe(1_250_000);
    expect(parseFeeYuan('0')).toBe(0);
  });

  it('refuses six decimals, signs in the wrong place, percentages and spaces', () => {
    for (const text of ['0.000001', '+0.01', '0.60%', ' 0.01', '1.', '.5', '', '--1', '1234567890.0']) expect(parseFeeYuan(text)).toBeNull();
  });

  it('rounds a fee to the fen half away from zero', () => {
    expect(feeToFen(feeMilliFen(4000))).toBe(4);
    expect(feeToFen(feeMilliFen(4499))).toBe(4);
    expect(feeToFen(feeMilliFen(4500))).toBe(5);
    expect(feeToFen(feeMilliFen(499))).toBe(0);
    expect(feeToFen(feeMilliFen(500))).toBe(1);
    expect(feeToFen(feeMilliFen(-500))).toBe(-1);
    expect(feeToFen(feeMilliFen(-499))).toBe(0);
  });

  it('writes a fee back with five decimals', () => {
    expect(formatFeeYuan(feeMilliFen(4000))).toBe('0.04000');
    expect(formatFeeYuan(feeMilliFen(-600))).toBe('-0.00600');
    expect(formatFeeYuan(feeMilliFen(123_456_789))).toBe('1234.56789');
  });
});

describe('rates as percentages, exactly', () => {
  it('reads 0.60%, 0.38%, 1.00% and 0.2% into parts per million, and writes them back', () => {
    expect(parseRatePercent('0.60%')).toBe(6000);
    expect(parseRatePercent('0.38%')).toBe(3800);
    expect(parseRatePercent('1.00%')).toBe(10_000);
    expect(parseRatePercent('0.2%')).toBe(2000);
    expect(parseRatePercent('0.625%')).toBe(6250);
    expect(formatRatePercent(6000 as RatePpm)).toBe('0.60%');
    expect(formatRatePercent(6250 as RatePpm)).toBe('0.625%');
  });

  it('refuses a rate without its percent sign or with five decimals', () => {
    for (const text of ['0.60', '0.00001%', '-0.6%', '%', '']) expect(parseRatePercent(text)).toBeNull();
  });

  it('charges amount × rate rounded half away from zero to the fen, negative for a refund', () => {
    const rate = 6000 as RatePpm;
    expect(feeFor(fen(1000), rate)).toBe(6000); // ￥10.00 at 0.60% → ￥0.06000
    expect(feeFor(fen(1), rate)).toBe(0); // ￥0.01 → 0.006 fen → ￥0.00000
    expect(feeFor(fen(84), rate)).toBe(1000); // 0.504 fen → 1 fen
    expect(feeFor(fen(83), rate)).toBe(0); // 0.498 fen → 0
    expect(feeFor(fen(-84), rate)).toBe(-1000);
    expect(feeFor(fen(99_999_999_999), 1_000_000 as RatePpm)).toBe(99_999_999_999_000);
  });
});
