import { useCallback, useEffect } from 'react';
import { useApp } from '../app-context';
import { DataProblemsNotice } from './data-problems';

/** The strip at the top of the cashier and manager windows: who, where, and whether money is real. */
export function HeaderBar({ children }: { children?: React.ReactNode }) {
  const { info, t, api, language } = useApp();
  const switchLanguage = useCallback((): void => {
    void api.call('app.setLanguage', { language: language === 'en' ? 'zh-CN' : 'en' });
  }, [api, language]);
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
