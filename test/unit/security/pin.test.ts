import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_COST, hashPin, needsRehash, pinProblem, verifyPin } from '../../../electron/security/pin';
import { TEST_SCRYPT } from './fixture';

describe('PIN hashes', () => {
  it('are salted scrypt with their cost parameters stored alongside', () => {
    const a = hashPin('482615');
    const b = hashPin('482615');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('482615');
  });

  it('verify the right PIN only, even after the default cost changed', () => {
    const stored = hashPin('482615', TEST_SCRYPT);
    expect(verifyPin('482615', stored)).toBe(true);
    expect(verifyPin('482616', stored)).toBe(false);
    expect(needsRehash(stored, DEFAULT_SCRYPT_COST)).toBe(true);
    expect(needsRehash(hashPin('482615'), DEFAULT_SCRYPT_COST)).toBe(false);
  });

  it('never match a malformed stored hash', () => {
    expect(verifyPin('1111', 'scrypt$0$8$1$abc$def')).toBe(false);
    expect(verifyPin('1111', 'plain:1111')).toBe(false);
  });
});

describe('PIN policy', () => {
  it('wants 4–8 digits from cashiers and 6–8 from managers and owners', () => {
    expect(pinProblem('4826', 'cashier')).toBeNull();
    expect(pinProblem('4826', 'manager')?.en).toMatch(/6–8 digits/);
    expect(pinProblem('135792', 'owner')).toBeNull();
    expect(pinProblem('12a4', 'cashier')).not.toBeNull();
    expect(pinProblem('123456789', 'cashier')).not.toBeNull();
  });

  it('refuses repeated and consecutive digits', () => {
    for (const pin of ['1111', '000000', '1234', '987654', '890123']) expect(pinProblem(pin, 'cashier'), pin).not.toBeNull();
  });
});
