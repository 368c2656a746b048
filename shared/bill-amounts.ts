import { fen, MoneyError, type Fen } from './money';

/**
 * Amounts in WeChat Pay bills that are not money to the fen. WeChat writes fees (手续费, 手续费总金额) with five
 * decimals of yuan (`0.00000`, `0.01000`, `-0.00600`; see the samples in test/fixtures/bills/) and rates as
 * percentages (`0.60%`, `0.38%`). Both are kept exactly as integers, never as floats:
 * - a fee is a whole number of 0.00001 yuan, i.e. thousandths of a fen ("milli-fen"): `0.04000` → 4000;
 * - a rate is a whole number of parts per million: `0.60%` → 6000 (four decimals of a percent fit).
 */

export type FeeMilliFen = number & { readonly __brand: 'FeeMilliFen' };
export type RatePpm = number & { readonly __brand: 'RatePpm' };

export const MILLI_FEN_PER_FEN = 1000;
/** Five decimals of yuan: what the live service writes in the fee columns. */
export const FEE_DECIMALS = 5;
/** At most nine digits of whole yuan, as for every amount the app reads (parseYuan's limit). */
const FEE_PATTERN = /^(-?)(\d{1,9})(?:\.(\d{1,5}))?$/;
const RATE_PATTERN = /^(\d{1,3})(?:\.(\d{1,4}))?%$/;

export function feeMilliFen(value: number): FeeMilliFen {
  if (!Number.isSafeInteger(value)) throw new MoneyError(`not a whole number of milli-fen: ${value}`);
  return value as FeeMilliFen;
}

/** `0.01000`, `-0.006`, `0`, `12.5` → milli-fen exactly; null for anything else (six decimals, letters, spaces). */
export function parseFeeYuan(text: string): FeeMilliFen | null {
  const m = FEE_PATTERN.exec(text);
  if (!m) return null;
  const value = Number(m[2]) * 100_000 + Number((m[3] ?? '').padEnd(FEE_DECIMALS, '0'));
  return feeMilliFen(m[1] === '-' ? 0 - value : value);
}

/**
 * A fee to the fen, **rounded half away from zero** (0.00500 → 0.01, 0.00499 → 0.00, -0.00500 → -0.01): the
 * rounding WeChat applies when it charges a fee (四舍五入 to the fen), so a fee WeChat wrote as `0.04000` is 4 fen
 * either way. Used where the app stores fees in fen (bill_lines.fee_fen); the exact value stays in the summary.
 */
export function feeToFen(fee: FeeMilliFen): Fen {
  const abs = Math.abs(fee);
  const rounded = Math.floor((abs + MILLI_FEN_PER_FEN / 2) / MILLI_FEN_PER_FEN);
  return fen(fee < 0 ? 0 - rounded : rounded);
}

export function fenToFee(amount: Fen): FeeMilliFen {
  return feeMilliFen(amount * MILLI_FEN_PER_FEN);
}

/** 4000 → "0.04000", -600 → "-0.00600": the five-decimal form of the bill files. */
export function formatFeeYuan(fee: FeeMilliFen): string {
  const sign = fee < 0 ? '-' : '';
  const abs = Math.abs(fee);
  return `${sign}${Math.floor(abs / 100_000)}.${String(abs % 100_000).padStart(FEE_DECIMALS, '0')}`;
}

/** `0.60%` → 6000 ppm; null for anything else (no percent sign, five decimals, a sign). */
export function parseRatePercent(text: string): RatePpm | null {
  const m = RATE_PATTERN.exec(text);
  if (!m) return null;
  return (Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'))) as RatePpm;
}

/** 6000 → "0.60%": at least two decimals, as the bills write it; more only when the rate has them. */
export function formatRatePercent(rate: RatePpm): string {
  const whole = Math.floor(rate / 10_000);
  let decimals = String(rate % 10_000).padStart(4, '0');
  while (decimals.length > 2 && decimals.endsWith('0')) decimals = decimals.slice(0, -1);
  return `${whole}.${decimals}%`;
}

/**
 * The fee WeChat charges on an amount at a rate: amount × rate rounded half away from zero to the fen (so the
 * five-decimal text always ends in 000, as in WeChat's own bills). A refund's fee is the negative of the fee on
 * the refunded amount.
 */
export function feeFor(amount: Fen, rate: RatePpm): FeeMilliFen {
  // |amount| × rate / 1e6 fen, rounded half away from zero, in integers (BigInt: the product can pass 2^53).
  const fenRounded = Number((BigInt(Math.abs(amount)) * BigInt(rate) + 500_000n) / 1_000_000n);
  return fenToFee(fen(amount < 0 ? 0 - fenRounded : fenRounded));
}
