import type { Language } from '../../shared/i18n';

const locale = (language: Language): string => (language === 'en' ? 'en-GB' : 'zh-CN');

/** "14:03:22": the time of day, 24-hour, in the store's time zone (never the machine's own). */
export function formatClock(ms: number, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(locale(language), { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone }).format(ms);
}

/** The time for a list: just the time today, the date too for older entries. */
export function formatListTime(ms: number, now: number, language: Language, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
  if (day.format(ms) === day.format(now)) return formatClock(ms, language, timeZone);
  const date = new Intl.DateTimeFormat(locale(language), { month: 'short', day: 'numeric', timeZone }).format(ms);
  return `${date} ${formatClock(ms, language, timeZone).slice(0, 5)}`;
}

/** A receipt number as typed or scanned ("00042", "42"): a positive whole number, or null. */
export function parseReceiptNo(text: string): number | null {
  const digits = text.trim();
  if (!/^\d{1,12}$/.test(digits)) return null;
  const value = Number(digits);
  return value > 0 && Number.isSafeInteger(value) ? value : null;
}
