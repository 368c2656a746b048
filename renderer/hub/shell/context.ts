import { createContext, useContext } from 'react';
import type { SignedInAnswer, StoreView } from '../../../shared/hub-admin-api';
import type { Language, Localized } from '../../../shared/i18n';
import type { HubMessageKey } from '../i18n/catalog';

/** What every page gets from the shell: who is signed in, the language, texts, the stores this person may see. */
export interface HubShell {
  session: SignedInAnswer;
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: HubMessageKey, params?: Record<string, string | number>) => string;
  /** A bilingual text from the hub (an error) in the chosen language. */
  pick: (text: Localized) => string;
  /** The stores the signed-in person may see (a manager: theirs only). */
  stores: StoreView[];
  reloadStores: () => Promise<void>;
  signOut: () => Promise<void>;
}

export const HubShellContext = createContext<HubShell | null>(null);

export function useHubShell(): HubShell {
  const shell = useContext(HubShellContext);
  if (!shell) throw new Error('useHubShell outside the hub shell');
  return shell;
}
