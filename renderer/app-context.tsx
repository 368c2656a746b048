import { createContext, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiEvents, AppInfo, EventName, PosApi, WindowRole } from '../shared/api';
import { DEFAULT_STORE_TIME_ZONE } from '../shared/clock';
import { DEFAULT_LANGUAGE, type Language } from '../shared/i18n';
import { withErrorsInLanguage } from './client/errors-in-language';
import { translate, type MessageKey } from './i18n/messages';

export interface AppContextValue {
  api: PosApi;
  info: AppInfo | null;
  language: Language;
  /** The store's time zone (settings): every time a window shows is in it, whatever the machine's zone. */
  timeZone: string;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppContext');
  return value;
}

/** The latest payload of an event (null until the first one arrives). */
export function useEvent<E extends EventName>(api: PosApi, event: E): ApiEvents[E] | null {
  const [payload, setPayload] = useState<ApiEvents[E] | null>(null);
  useEffect(() => api.on(event, setPayload), [api, event]);
  return payload;
}

/** The window's context: its own language (`languages[role]`: switching one window never switches another). */
export function useAppInfo(api: PosApi, role: WindowRole): AppContextValue {
  const pushed = useEvent(api, 'app.info');
  const [fetched, setFetched] = useState<AppInfo | null>(null);
  useEffect(() => {
    void api.call('app.getInfo', {}).then((r) => {
      if (r.ok) setFetched(r.value);
    });
  }, [api]);
  const info = pushed ?? fetched;
  const language = info?.languages[role] ?? DEFAULT_LANGUAGE;
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const languageNow = useRef(language);
  languageNow.current = language;
  const screensApi = useMemo(() => withErrorsInLanguage(api, () => languageNow.current), [api]);
  return { api: screensApi, info, language, timeZone: info?.timeZone ?? DEFAULT_STORE_TIME_ZONE, t: (key, params) => translate(language, key, params) };
}
