/** Languages the app speaks. Simplified Chinese is the default everywhere. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/**
 * Language is per window (issue 18): switching one never switches another. The cashier window follows whoever is
 * signed in there; the manager window and the customer display have their own; printed slips and reports follow
 * the receipt language.
 */
export interface WindowLanguages {
  cashier: Language;
  manager: Language;
  display: Language;
  receipt: Language;
}

/** A message in both languages, for texts made on the main side (failure reasons, device states...). */
export interface Localized {
  zh: string;
  en: string;
}

export function pick(text: Localized, language: Language): string {
  return language === 'en' ? text.en : text.zh;
}

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/**
 * Main-side messages written as one string follow the convention '中文 / English'. Splits such a message into its
 * two languages at the first ' / ' with Chinese before it and none after; null when the message is not a pair.
 */
export function splitBilingual(message: string): Localized | null {
  for (let at = message.indexOf(' / '); at >= 0; at = message.indexOf(' / ', at + 1)) {
    const zh = message.slice(0, at).trim();
    const en = message.slice(at + 3).trim();
    if (CJK.test(zh) && en !== '' && !CJK.test(en)) return { zh, en };
  }
  return null;
}
