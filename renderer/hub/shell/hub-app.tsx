import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SignedInAnswer, StoreView } from '../../../shared/hub-admin-api';
import { DEFAULT_LANGUAGE, pick, type Language, type Localized } from '../../../shared/i18n';
import { HubApiError, hubApi, setSignedOutHandler } from '../client/hub-client';
import { translateHub, type HubMessageKey } from '../i18n/catalog';
import { HubShellContext, type HubShell } from './context';
import { HubLayout } from './hub-layout';
import { SignInPage } from './sign-in-page';

const LANGUAGE_KEY = 'hub.language';

function savedLanguage(): Language {
  return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : DEFAULT_LANGUAGE;
}

type Phase =
  | { kind: 'loading' }
  | { kind: 'unreachable'; text: Localized }
  | { kind: 'not-set-up' }
  | { kind: 'signed-out'; notice: HubMessageKey | null }
  | { kind: 'signed-in'; session: SignedInAnswer; stores: StoreView[] };

/**
 * The head office's page: asks the hub whether it is set up and who the cookie signs in, then shows the sign-in
 * page or the pages. A 401 from any call (the session expired or was ended) and the session's own end time both
 * bring back the sign-in page with a notice.
 */
export function HubApp() {
  const [language, setLanguageState] = useState<Language>(savedLanguage);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const t = useCallback((key: HubMessageKey, params?: Record<string, string | number>) => translateHub(language, key, params), [language]);

  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(LANGUAGE_KEY, next);
    setLanguageState(next);
  }, []);

  const enter = useCallback(async (session: SignedInAnswer) => {
    setPhase({ kind: 'signed-in', session, stores: await hubApi.stores() });
  }, []);

  const start = useCallback(async () => {
    try {
      const state = await hubApi.state();
      if (!state.setUp) return setPhase({ kind: 'not-set-up' });
      await enter(await hubApi.session());
    } catch (error) {
      if (error instanceof HubApiError && error.status === 401) return setPhase({ kind: 'signed-out', notice: null });
      setPhase({ kind: 'unreachable', text: error instanceof HubApiError ? error.text : { zh: String(error), en: String(error) } });
    }
  }, [enter]);

  useEffect(() => {
    void start();
  }, [start]);

  useEffect(() => {
    setSignedOutHandler(() => setPhase({ kind: 'signed-out', notice: 'signIn.expired' }));
    return () => setSignedOutHandler(null);
  }, []);

  // The session's end: back to sign-in without waiting for the next call to be refused.
  const expiresAt = phase.kind === 'signed-in' ? phase.session.expiresAt : null;
  useEffect(() => {
    if (expiresAt === null) return;
    const timer = setTimeout(() => setPhase({ kind: 'signed-out', notice: 'signIn.expired' }), Math.max(0, expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [expiresAt]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = translateHub(language, 'app.title');
  }, [language]);

  const shell = useMemo<HubShell | null>(() => {
    if (phase.kind !== 'signed-in') return null;
    return {
      session: phase.session,
      language,
      setLanguage,
      t,
      pick: (text: Localized) => pick(text, language),
      stores: phase.stores,
      reloadStores: async () => {
        const stores = await hubApi.stores();
        setPhase((p) => (p.kind === 'signed-in' ? { ...p, stores } : p));
      },
      signOut: async () => {
        await hubApi.signOut().catch(() => undefined);
        setPhase({ kind: 'signed-out', notice: 'signIn.signedOut' });
      },
    };
  }, [phase, language, setLanguage, t]);

  if (shell) {
    return (
      <HubShellContext.Provider value={shell}>
        <HubLayout />
      </HubShellContext.Provider>
    );
  }
  const languageButton = (
    <button type="button" className="hub-language" onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}>
      {t('app.switchLanguage')}
    </button>
  );
  if (phase.kind === 'signed-out') return <SignInPage t={t} pick={(text) => pick(text, language)} notice={phase.notice} onSignedIn={enter} languageButton={languageButton} />;
  return (
    <main className="hub-center">
      {languageButton}
      <h1>{t('app.title')}</h1>
      {phase.kind === 'loading' && <p role="status">{t('app.loading')}</p>}
      {phase.kind === 'not-set-up' && <p role="alert">{t('app.notSetUp')}</p>}
      {phase.kind === 'unreachable' && (
        <>
          <p role="alert">{pick(phase.text, language)}</p>
          <button type="button" onClick={() => void start()}>{t('app.retry')}</button>
        </>
      )}
    </main>
  );
}
