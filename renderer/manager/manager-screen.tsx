import { useApp } from '../app-context';
import { HeaderBar } from '../components/header-bar';

/** The manager's window. Shift review, reconciliation and settings screens are added here. */
export function ManagerScreen() {
  const { info, t } = useApp();
  return (
    <div className="manager">
      <HeaderBar />
      <main>
        <h1>{t('manager.title')}</h1>
        {info && (
          <dl className="manager-facts">
            <dt>{t('manager.store')}</dt>
            <dd>{info.storeName}</dd>
            <dt>{t('app.terminal')}</dt>
            <dd>{info.terminalId}</dd>
            <dt>{t('manager.version')}</dt>
            <dd>{info.version}</dd>
          </dl>
        )}
      </main>
    </div>
  );
}
