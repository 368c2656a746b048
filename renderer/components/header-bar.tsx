import { useCallback, useEffect, useRef } from 'react';
import { useApp } from '../app-context';
import { DataProblemsNotice } from './data-problems';

/** The strip at the top of the cashier and manager windows: who, where, and whether money is real. */
export function HeaderBar({ children }: { children?: React.ReactNode }) {
  const { info, t, api, language } = useApp();
  // The language as last rendered, read when the key is pressed: a listener re-subscribed in an effect would run
  // after the paint, so an F12 pressed right after the screen changed language would still switch from the old one.
  const languageShown = useRef(language);
  languageShown.current = language;
  const switchLanguage = useCallback((): void => {
    void api.call('app.setLanguage', { language: languageShown.current === 'en' ? 'zh-CN' : 'en' });
  }, [api]);
  // The button says F12, so F12 does it here too (the cashier window, which has no header bar, has its own key layer).
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'F12') return;
      event.preventDefault();
      switchLanguage();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [switchLanguage]);
  return (
    <header className="header-bar" role="banner">
      <span className="store-name">{info?.storeName ?? t('app.connecting')}</span>
      {info && (
        <span className="terminal">
          {t('app.terminal')} {info.terminalId}
        </span>
      )}
      {info?.sandbox && (
        <span className="sandbox-badge" title={t('app.sandboxHint')} role="status">
          {t('app.sandbox')}
        </span>
      )}
      {children}
      <button type="button" className="language" onClick={switchLanguage} aria-label={t('app.language')} aria-keyshortcuts="F12">
        {t('app.switchLanguage')} <kbd>F12</kbd>
      </button>
      {info?.settingsProblem && (
        <div className="settings-problem" role="alert">
          {t('app.settingsProblem')}: {info.settingsProblem}
        </div>
      )}
      <DataProblemsNotice />
    </header>
  );
}
