import { fen, type Fen } from '../../shared/money';
import { DENOMINATIONS_FEN, type DenominationCount, type DenominationFen } from '../../shared/shifts';

/** What the count fields hold: the text typed for each denomination (digits only, '' for none). */
export type CountTexts = Readonly<Record<DenominationFen, string>>;

const MAX_DIGITS = 5;

export const EMPTY_COUNTS: CountTexts = Object.fromEntries(DENOMINATIONS_FEN.map((d) => [d, ''])) as Record<DenominationFen, string>;

/** The text of a count field after typing: digits only, at most 99,999 pieces, no leading zeros. */
export function countTextFrom(raw: string): string {
  const digits = raw.replace(/[^0-9]/g, '').slice(0, MAX_DIGITS);
  return digits === '' ? '' : String(Number(digits));
}

export function countOf(texts: CountTexts, denomination: DenominationFen): number {
  const text = texts[denomination];
  return text === '' ? 0 : Number(text);
}

/** The counts as the main side takes them (every denomination, zero included: the report shows the whole count). */
export function countsToSubmit(texts: CountTexts): DenominationCount[] {
  return DENOMINATIONS_FEN.map((denominationFen) => ({ denominationFen, count: countOf(texts, denominationFen) }));
}

export function countsTotalFen(texts: CountTexts): Fen {
  return fen(DENOMINATIONS_FEN.reduce((sum, d) => sum + d * countOf(texts, d), 0));
}

/** A denomination as printed on it: "￥100", "￥5", "￥0.50", "￥0.10". */
export function denominationLabel(denomination: DenominationFen): string {
  return denomination >= 100 ? `￥${denomination / 100}` : `￥0.${String(denomination).padStart(2, '0')}`;
}
