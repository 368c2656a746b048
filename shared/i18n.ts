/** Languages the app speaks. Simplified Chinese is the default everywhere. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/** A message in both languages, for texts made on the main side (failure reasons, device states...). */
export interface Localized {
  zh: string;
  en: string;
}

export function pick(text: Localized, language: Language): string {
  return language === 'en' ? text.en : text.zh;
}
