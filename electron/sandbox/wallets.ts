/**
 * Test wallets: the payment code a cashier scans decides how the sandbox's payer behaves, so tests and demos are
 * scripted by choosing a code. Layout of an 18-digit code (it must still look real: /^1[0-5]\d{16}$/):
 *
 *   1 3 | W W | S S | 0 0 0 0 | x x x x x x x x
 *   pfx | wallet | seconds | marker | anything (make it unique: every code is single use)
 *
 * The four zeros at digits 7–10 mark a test wallet, so a random real-looking code almost never selects one by
 * accident: any code that is not marked, or whose wallet number is not in the table, simply pays at once.
 */

export type WalletKind =
  | 'instant'
  | 'password'
  | 'password-never'
  | 'not-enough'
  | 'expired'
  | 'already-used'
  | 'bank-error'
  | 'password-cancel';

export interface Wallet {
  kind: WalletKind;
  /** For the password wallets: seconds after the order is created when the payer finishes (or cancels). */
  seconds: number;
}

export interface WalletRow {
  digits: string;
  kind: WalletKind;
  behaviour: string;
  example: string;
}

/** Seconds a password wallet takes when digits 5–6 are 00, and what a big amount takes on the default wallet. */
export const DEFAULT_PASSWORD_SECONDS = 10;

/** Above ¥1000 the real service always asks for the password, whatever the wallet. */
export const PASSWORD_REQUIRED_ABOVE_FEN = 100_000;

/** WeChat revokes a micropay order that is still waiting for the password this long after creation. */
export const USERPAYING_REVOKE_MS = 45_000;

/** A reverse inside this window while the payer is still entering the password answers USERPAYING. */
export const REVERSE_BLOCKED_WHILE_PAYING_MS = 15_000;

export const WALLET_TABLE: readonly WalletRow[] = [
  { digits: '01', kind: 'instant', behaviour: 'pays at once, no password (same as any unmarked code)', example: '130100000000000001' },
  {
    digits: '02',
    kind: 'password',
    behaviour: 'asks for the password (USERPAYING), pays SS seconds after the order was created (00 → 10 s); SS ≥ 45 never pays in time and is revoked',
    example: '130212000000000002',
  },
  { digits: '03', kind: 'password-never', behaviour: 'asks for the password and never pays: USERPAYING, REVOKED 45 s after creation', example: '130300000000000003' },
  { digits: '04', kind: 'not-enough', behaviour: 'not enough money: NOTENOUGH, the order ends PAYERROR', example: '130400000000000004' },
  { digits: '05', kind: 'expired', behaviour: 'expired code: AUTHCODEEXPIRE, no order is created', example: '130500000000000005' },
  { digits: '06', kind: 'already-used', behaviour: 'code already used elsewhere: AUTH_CODE_ERROR, no order is created', example: '130600000000000006' },
  {
    digits: '07',
    kind: 'bank-error',
    behaviour: 'bank error then success: the first answer is BANKERROR, yet the order is paid (query shows SUCCESS)',
    example: '130700000000000007',
  },
  {
    digits: '08',
    kind: 'password-cancel',
    behaviour: 'asks for the password, then the payer cancels SS seconds after creation (00 → 10 s): PAYERROR',
    example: '130810000000000008',
  },
];

const PAYMENT_CODE = /^1[0-5]\d{16}$/;

export function isPaymentCodeFormat(code: string): boolean {
  return PAYMENT_CODE.test(code);
}

/** The wallet behind a code that has the payment-code format. Unmarked or unknown codes pay at once. */
export function walletFor(code: string): Wallet {
  const instant: Wallet = { kind: 'instant', seconds: 0 };
  if (code.slice(6, 10) !== '0000') return instant;
  const row = WALLET_TABLE.find((r) => r.digits === code.slice(2, 4));
  if (!row) return instant;
  const seconds = Number(code.slice(4, 6));
  return { kind: row.kind, seconds: seconds === 0 ? DEFAULT_PASSWORD_SECONDS : seconds };
}

/** bank_type the payer pays with: 零钱 reports OTHERS, the card wallets a debit card. */
export function bankTypeFor(kind: WalletKind): string {
  if (kind === 'instant') return 'OTHERS';
  if (kind === 'bank-error') return 'ICBC_DEBIT';
  return 'CMB_DEBIT';
}

/** The wallet table as markdown, for the README and the sandbox's own page. */
export function walletTableMarkdown(): string {
  const lines = ['| digits 3–4 | wallet | behaviour | example code |', '|---|---|---|---|'];
  for (const row of WALLET_TABLE) lines.push(`| \`${row.digits}\` | ${row.kind} | ${row.behaviour} | \`${row.example}\` |`);
  return lines.join('\n');
}
