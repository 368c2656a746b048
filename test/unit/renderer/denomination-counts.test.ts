import { describe, expect, it } from 'vitest';
import { countsToSubmit, countsTotalFen, countTextFrom, denominationLabel, EMPTY_COUNTS } from '../../../renderer/components/denomination-counts';
import { countTotalFen, DENOMINATIONS_FEN } from '../../../shared/shifts';

describe('counting cash by denomination', () => {
  it('keeps only digits in a count field, without leading zeros, at most five of them', () => {
    expect(countTextFrom('12a')).toBe('12');
    expect(countTextFrom('007')).toBe('7');
    expect(countTextFrom('-3.5')).toBe('35');
    expect(countTextFrom('1234567')).toBe('12345');
    expect(countTextFrom('')).toBe('');
  });

  it('totals the count in fen, the same as the main side does', () => {
    const texts = { ...EMPTY_COUNTS, 10000: '3', 5000: '2', 50: '1', 10: '4' };
    expect(countsTotalFen(texts)).toBe(40_090);
    expect(countTotalFen(countsToSubmit(texts))).toBe(40_090);
    expect(countsTotalFen(EMPTY_COUNTS)).toBe(0);
  });

  it('submits every denomination, an empty field as zero', () => {
    const counts = countsToSubmit({ ...EMPTY_COUNTS, 100: '5' });
    expect(counts.map((c) => c.denominationFen)).toEqual([...DENOMINATIONS_FEN]);
    expect(counts.find((c) => c.denominationFen === 100)?.count).toBe(5);
    expect(counts.filter((c) => c.count === 0)).toHaveLength(DENOMINATIONS_FEN.length - 1);
  });

  it('names notes and coins as printed on them', () => {
    expect(DENOMINATIONS_FEN.map(denominationLabel)).toEqual(['￥100', '￥50', '￥20', '￥10', '￥5', '￥1', '￥0.50', '￥0.10']);
  });
});
