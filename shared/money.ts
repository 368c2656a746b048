/**
 * Money is an integer number of fen (分) everywhere inside the app. The brand stops a yuan float or a count
 * from being passed where fen are meant; formatting to yuan happens only at the edges.
 */
export type Fen = number & { readonly __brand: 'Fen' };

export class MoneyError extends Error {}

/** Brands a value as fen after checking it is a safe, non-negative-or-negative integer. */
export function fen(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new MoneyError(`not a whole number of fen: ${value}`);
  return value as Fen;
}

export const ZERO_FEN = fen(0);

export function addFen(...values: Fen[]): Fen {
  return fen(values.reduce((sum, v) => sum + v, 0));
}

export function subFen(a: Fen, b: Fen): Fen {
  return fen(a - b);
}

export function mulFen(unit: Fen, quantity: number): Fen {
  if (!Number.isSafeInteger(quantity)) throw new MoneyError(`quantity must be whole: ${quantity}`);
  return fen(unit * quantity);
}

/** 1250 → "12.50" (no currency sign); negative amounts keep their sign. */
export function fenToYuanString(amount: Fen): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 1250 → "￥12.50". U+FFE5 is used because it exists in GB18030 printers' fonts, unlike U+00A5. */
export function formatYuan(amount: Fen): string {
  return amount < 0 ? `-￥${fenToYuanString(fen(Math.abs(amount)))}` : `￥${fenToYuanString(amount)}`;
}

/**
 * Parses what a person typed or a bill file holds ("12.5", "12.50", "0.01", "12") into fen, exactly, without
 * floating point. Returns null for anything else (three decimals, signs, letters, empty).
 */
export function parseYuan(text: string): Fen | null {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const whole = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return fen(whole * 100 + cents);
}
