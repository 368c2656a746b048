import { HUB_ROUTES } from '../routes';
import { useHubShell } from './context';
import { dateTime } from './format';
import { hrefOf, useHubLocation } from './router';

/** Header (who, language, sign out), the navigation of the pages this person may open, and the current page. */
export function HubLayout() {
  const { t, session, language, setLanguage, signOut } = useHubShell();
  const where = useHubLocation();
  const role = session.user.role;
  const allowed = HUB_ROUTES.filter((r) => r.roles.includes(role));
  const current = where.path === '' ? allowed[0] : HUB_ROUTES.find((r) => r.path === where.path);
  const mayOpen = current !== undefined && current.roles.includes(role);
  return (
    <div className="hub-frame">
      <header className="hub-header">
        <strong className="hub-brand">{t('app.title')}</strong>
        <span className="hub-who">{t('app.signedInAs', { name: session.user.name, role: t(`role.${role}`) })}</span>
        <span className="hub-session" title={t('app.sessionEnds', { time: dateTime(session.expiresAt, language) })}>
          {t('app.sessionEnds', { time: dateTime(session.expiresAt, language) })}
        </span>
        <button type="button" className="hub-language" onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}>
          {t('app.switchLanguage')}
        </button>
        <button type="button" onClick={() => void signOut()}>{t('app.signOut')}</button>
      </header>
      <nav className="hub-nav" aria-label={t('nav.label')}>
        {allowed.map((r) => (
          <a key={r.path} href={hrefOf(r.path)} aria-current={r === current ? 'page' : undefined}>{t(r.navKey)}</a>
        ))}
      </nav>
      <main className="hub-main">
        {current === undefined ? <p role="alert">{t('app.notFound')}</p> : mayOpen ? <current.Page key={current.path} /> : <p role="alert">{t('app.noAccess')}</p>}
      </main>
    </div>
  );
}
