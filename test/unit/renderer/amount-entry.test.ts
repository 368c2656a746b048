import { describe, expect, it } from 'vitest';
import { amountTextToFen, applyAmountKey, type AmountKey } from '../../../renderer/cashier/amount-entry';

const type = (keys: AmountKey[]): string => keys.reduce(applyAmountKey, '');

describe('the amount numpad', () => {
  it('builds an amount from digits and a point', () => {
    expect(type(['1', '2', '.', '5'])).toBe('12.5');
    expect(amountTextToFen('12.5')).toBe(1250);
  });

  it('ignores a third decimal and a second point instead of showing an invalid amount', () => {
    expect(type(['1', '.', '2', '3', '4'])).toBe('1.23');
    expect(type(['1', '.', '.', '2'])).toBe('1.2');
  });

  it('starts a leading point with zero and drops leading zeros', () => {
    expect(type(['.', '5'])).toBe('0.5');
    expect(type(['0', '0', '7'])).toBe('7');
  });

  it('caps the amount at six whole digits', () => {
    expect(type(['9', '9', '9', '9', '9', '9', '9'])).toBe('999999');
  });

  it('erases with backspace and clears with clear', () => {
    expect(type(['1', '2', 'backspace'])).toBe('1');
    expect(type(['1', '2', 'clear'])).toBe('');
    expect(amountTextToFen('')).toBeNull();
    expect(amountTextToFen('3.')).toBe(300);
  });
});
