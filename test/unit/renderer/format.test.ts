import { describe, expect, it } from 'vitest';
import { amountTextFrom, applyDigitKey } from '../../../renderer/cashier/amount-entry';
import { formatClock, formatListTime, parseReceiptNo } from '../../../renderer/cashier/format';
import { formatCountdown, secondsUntil, visibleLines } from '../../../renderer/display/display-lines';

const SHANGHAI = 'Asia/Shanghai';
// 2026-11-24 09:05:07 in Beijing.
const MORNING = Date.UTC(2026, 10, 24, 1, 5, 7);

describe('times and numbers on screen', () => {
  it('shows a time of day in 24-hour form', () => {
    expect(formatClock(MORNING, 'zh-CN', SHANGHAI)).toBe('09:05:07');
    expect(formatClock(MORNING, 'en', SHANGHAI)).toBe('09:05:07');
  });

  it('lists today by time only and older sales with their date', () => {
    expect(formatListTime(MORNING, MORNING + 3_600_000, 'zh-CN', SHANGHAI)).toBe('09:05:07');
    const yesterday = formatListTime(MORNING - 86_400_000, MORNING, 'zh-CN', SHANGHAI);
    expect(yesterday).toMatch(/^11月23日 09:05$/);
  });

  it('reads receipt numbers typed or scanned, and nothing else', () => {
    expect(parseReceiptNo('42')).toBe(42);
    expect(parseReceiptNo(' 0042 ')).toBe(42);
    expect(parseReceiptNo('0')).toBeNull();
    expect(parseReceiptNo('4a')).toBeNull();
    expect(parseReceiptNo('')).toBeNull();
  });

  it('turns typed or pasted text into a valid amount text', () => {
    expect(amountTextFrom('¥12.345')).toBe('12.34');
    expect(amountTextFrom('1..5')).toBe('1.5');
    expect(amountTextFrom('abc')).toBe('');
  });

  it('edits digit-only entries (PINs, codes) and ignores the point', () => {
    expect(['1', '2', '.', '3'].reduce((t, k) => applyDigitKey(t, k as '1', 3), '')).toBe('123');
    expect(applyDigitKey('1234', '5', 4)).toBe('1234');
    expect(applyDigitKey('12', 'backspace', 4)).toBe('1');
    expect(applyDigitKey('12', 'clear', 4)).toBe('');
  });
});

describe('the customer display', () => {
  it('shows the newest lines and folds the older ones into one row', () => {
    const lines = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(visibleLines(lines, 8)).toEqual({ shown: lines, hidden: 0 });
    expect(visibleLines(lines, 6)).toEqual({ shown: [4, 5, 6, 7, 8], hidden: 3 });
  });

  it('counts down in minutes and seconds, never below zero', () => {
    expect(secondsUntil(10_500, 1_000)).toBe(10);
    expect(secondsUntil(1_000, 5_000)).toBe(0);
    expect(formatCountdown(299)).toBe('4:59');
    expect(formatCountdown(7)).toBe('0:07');
  });
});
