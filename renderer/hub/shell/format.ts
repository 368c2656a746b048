import { fen, formatYuan } from '../../../shared/money';
import type { Language } from '../../../shared/i18n';

/** 1250 → ￥12.50 (the counter's own formatting, shared/money.ts). */
export const money = (amountFen: number): string => formatYuan(fen(amountFen));

/** A time as the head office reads it: China time whatever the browser's zone (the stores are in China). */
export function dateTime(ms: number, language: Language): string {
  return new Date(ms).toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

export function timeOfDay(ms: number, language: Language): string {
  return new Date(ms).toLocaleTimeString(language === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

/** Today's date in China (YYYY-MM-DD), the business day a store closes. */
export function chinaDate(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}
