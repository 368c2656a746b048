import { describe, expect, it } from 'vitest';
import { COMMAND_KEYS, commandAriaKeys, commandForKey, commandKeyLabel, digitsOf, interpretTyped, type CounterCommand } from '../../../renderer/cashier/key-map';

describe('the counter keys', () => {
  it('charges by payment code with Enter or F1, QR with F2, cash with F3', () => {
    expect(commandForKey('Enter')).toBe('charge-code');
    expect(commandForKey('F1')).toBe('charge-code');
    expect(commandForKey('F2')).toBe('charge-qr');
    expect(commandForKey('F3')).toBe('charge-cash');
    expect(commandForKey('Escape')).toBe('cancel');
    expect(commandForKey('a')).toBeNull();
  });

  it('opens the shift menu (cash in/out, X report, 交班) with F10', () => {
    expect(commandForKey('F10')).toBe('shift');
    expect(commandKeyLabel('shift')).toBe('F10');
  });

  it('gives every key to one command only', () => {
    const keys = Object.values(COMMAND_KEYS).flat();
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('prints the first key on the button and lists all keys for assistive technology', () => {
    expect(commandKeyLabel('charge-code')).toBe('F1');
    expect(commandAriaKeys('charge-code')).toBe('F1 Enter');
    expect(commandKeyLabel('cancel')).toBe('Esc');
    const labelled: CounterCommand[] = ['charge-qr', 'charge-cash', 'supersede', 'recent', 'stuck', 'drawer', 'void', 'sign-out', 'shift', 'language'];
    for (const command of labelled) expect(commandKeyLabel(command)).toMatch(/^F\d+$/);
  });

  it('reads typed characters: digits and point for the amount, letters for quick items, + and - for quantity', () => {
    expect(interpretTyped('1.5', 8)).toEqual([
      { kind: 'amount', key: '1' },
      { kind: 'amount', key: '.' },
      { kind: 'amount', key: '5' },
    ]);
    expect(interpretTyped('aB+-', 8)).toEqual([
      { kind: 'quick-item', index: 0 },
      { kind: 'quick-item', index: 1 },
      { kind: 'quantity', delta: 1 },
      { kind: 'quantity', delta: -1 },
    ]);
  });

  it('ignores letters beyond the quick items and anything else', () => {
    expect(interpretTyped('Z', 8)).toEqual([]);
    expect(interpretTyped('#/ ', 8)).toEqual([]);
    expect(digitsOf('12a3 4')).toBe('1234');
  });
});
