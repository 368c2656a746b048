import type { Language, Localized } from '../../shared/i18n';
import { en } from './messages-en';
import { zh } from './messages-zh';

/** Every text the windows show, in both languages. Keys are checked by TypeScript: a missing one fails typecheck. */
export type MessageKey = keyof typeof zh;

const dictionaries: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** A message in both languages, for state that outlives a language switch (errors and notices on the counter). */
export function localized(key: MessageKey, params: Record<string, string | number> = {}): Localized {
  return { zh: translate('zh-CN', key, params), en: translate('en', key, params) };
}
