import type { Language } from '../../shared/i18n';
import { en } from './messages-en';
import { zh } from './messages-zh';

/** The manager window's own texts (zh-CN default, en). Keys are checked by TypeScript: a missing one fails typecheck. */
export type ManagerMessageKey = keyof typeof zh;

const dictionaries: Record<Language, Record<ManagerMessageKey, string>> = { 'zh-CN': zh, en };

export type ManagerTranslate = (key: ManagerMessageKey, params?: Record<string, string | number>) => string;

export function managerText(language: Language, key: ManagerMessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
