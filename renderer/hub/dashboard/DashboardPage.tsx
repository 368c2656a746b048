import { useHubShell } from '../shell/context';

/** Placeholder: the chain dashboards (issue 15) replace this component; the route and nav entry stay. */
export function DashboardPage() {
  const { t } = useHubShell();
  return (
    <section className="hub-page" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t('dashboard.title')}</h1>
      <p>{t('dashboard.placeholder')}</p>
    </section>
  );
}
