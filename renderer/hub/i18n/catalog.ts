import type { Language } from '../../../shared/i18n';
import { dashboardMessages } from '../dashboard/messages';
import { refdataMessages } from '../refdata/messages';
import { settlementMessages } from '../settlement/messages';
import { shellMessages } from '../shell/messages';
import { dictionaryFor, fill, type KeysOf } from './messages';

// Every page's messages, one line per page (see renderer/hub/README.md). A key missing in English fails typecheck.
const catalogs = [
  shellMessages,
  dashboardMessages,
  refdataMessages,
  settlementMessages,
] as const;

export type HubMessageKey = KeysOf<(typeof catalogs)[number]>;

const dictionaries: Record<Language, Record<HubMessageKey, string>> = {
  'zh-CN': dictionaryFor<HubMessageKey>('zh-CN', catalogs),
  en: dictionaryFor<HubMessageKey>('en', catalogs),
};

export function translateHub(language: Language, key: HubMessageKey, params: Record<string, string | number> = {}): string {
  return fill(dictionaries[language][key], params);
}
