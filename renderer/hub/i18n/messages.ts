import type { Language } from '../../../shared/i18n';

/** One page's texts in both languages; `en` must have exactly the keys of `zh` (TypeScript checks it). */
export interface PageMessages<K extends string> {
  zh: Record<K, string>;
  en: Record<K, string>;
}

export function pageMessages<K extends string>(zh: Record<K, string>, en: NoInfer<Record<K, string>>): PageMessages<K> {
  return { zh, en };
}

export type KeysOf<M> = M extends PageMessages<infer K> ? K : never;

export function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function dictionaryFor<K extends string>(language: Language, catalogs: readonly PageMessages<string>[]): Record<K, string> {
  return Object.assign({}, ...catalogs.map((c) => (language === 'en' ? c.en : c.zh))) as Record<K, string>;
}
