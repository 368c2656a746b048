import { describe, expect, it } from 'vitest';
import { isPaymentCodeFormat, walletFor, WALLET_TABLE, walletTableMarkdown } from '../../../electron/sandbox/wallets';

describe('test wallets', () => {
  it('selects the wallet from digits 3-4 when digits 7-10 carry the 0000 marker', () => {
    expect(walletFor('130400000012345678')).toEqual({ kind: 'not-enough', seconds: 10 });
    expect(walletFor('130225000012345678')).toEqual({ kind: 'password', seconds: 25 });
    expect(walletFor('100300000000000000')).toEqual({ kind: 'password-never', seconds: 10 });
  });

  it('pays at once for a code without the marker, whatever digits 3-4 say', () => {
    expect(walletFor('130412345612345678').kind).toBe('instant');
    expect(walletFor('134567890123456789').kind).toBe('instant');
  });

  it('pays at once for a marked code whose wallet number is not in the table', () => {
    expect(walletFor('139900000012345678').kind).toBe('instant');
  });

  it('accepts only 18-digit codes starting 10 to 15', () => {
    expect(isPaymentCodeFormat('134567890123456789')).toBe(true);
    expect(isPaymentCodeFormat('164567890123456789')).toBe(false);
    expect(isPaymentCodeFormat('13456789012345678')).toBe(false);
    expect(isPaymentCodeFormat('13456789012345678a')).toBe(false);
  });

  it('documents every wallet with an example code that selects it', () => {
    for (const row of WALLET_TABLE) {
      expect(isPaymentCodeFormat(row.example)).toBe(true);
      expect(walletFor(row.example).kind).toBe(row.kind);
      expect(walletTableMarkdown()).toContain(row.example);
    }
  });
});
