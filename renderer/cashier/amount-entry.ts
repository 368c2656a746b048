import { parseYuan, type Fen } from '../../shared/money';

/** Keys of the amount numpad: digits, the decimal point, backspace and clear. */
export type AmountKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | '.' | 'backspace' | 'clear';

const MAX_WHOLE_DIGITS = 6;

/**
 * The text on the amount display after a key. Input that would make an invalid amount (two points, a third
 * decimal, more than ¥999,999) is ignored rather than shown, so the display is always a valid amount.
 */
export function applyAmountKey(text: string, key: AmountKey): string {
  if (key === 'clear') return '';
  if (key === 'backspace') return text.slice(0, -1);
  if (key === '.') return text.includes('.') ? text : `${text || '0'}.`;
  const next = text === '0' ? key.replace(/^0+/, '') || '0' : text + key;
  const [whole = '', decimals] = next.split('.');
  if (decimals !== undefined && decimals.length > 2) return text;
  if (whole.length > MAX_WHOLE_DIGITS) return text;
  return next;
}

export function amountTextToFen(text: string): Fen | null {
  if (text === '') return null;
  return parseYuan(text.endsWith('.') ? text.slice(0, -1) : text);
}

export function keyFromKeyboard(key: string): AmountKey | null {
  if (/^[0-9]$/.test(key)) return key as AmountKey;
  if (key === '.' || key === 'Decimal') return '.';
  if (key === 'Backspace') return 'backspace';
  if (key === 'Delete') return 'clear';
  return null;
}

/** The amount text a typed or pasted string makes, key by key: anything but digits and one point is ignored. */
export function amountTextFrom(raw: string): string {
  let text = '';
  for (const char of raw) if (/^[0-9.]$/.test(char)) text = applyAmountKey(text, char as AmountKey);
  return text;
}

/** Applies a numpad key to a digits-only text (PINs, payment codes, receipt numbers): the point is ignored. */
export function applyDigitKey(text: string, key: AmountKey, maxLength: number): string {
  if (key === 'clear') return '';
  if (key === 'backspace') return text.slice(0, -1);
  if (key === '.') return text;
  return (text + key).slice(0, maxLength);
}
