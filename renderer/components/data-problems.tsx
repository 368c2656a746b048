import type { DataProblem } from '../../shared/api';
import { useApp } from '../app-context';
import type { MessageKey } from '../i18n/messages';

const TITLES: Record<DataProblem['kind'], MessageKey> = {
  'database-damaged': 'app.dataProblem.database-damaged',
  'database-missing': 'app.dataProblem.database-missing',
  'disk-full': 'app.dataProblem.disk-full',
  'audit-broken': 'app.dataProblem.audit-broken',
};

/**
 * Damage or tampering in the store's data, in words, on the cashier's strip and the manager's header: what
 * happened, what to do, and (database damaged or missing) the command that restores the newest good backup.
 */
export function DataProblemsNotice() {
  const { info, language, t } = useApp();
  if (!info || info.dataProblems.length === 0) return null;
  return (
    <>
      {info.dataProblems.map((problem) => (
        <div key={problem.kind} className="settings-problem data-problem" role="alert" data-testid={`data-problem-${problem.kind}`}>
          <strong>{t(TITLES[problem.kind])}</strong> {language === 'en' ? problem.message.en : problem.message.zh}
          {problem.restore && (
            <div>
              {t('app.dataProblem.restoreCommand')}: <code className="restore-command">{problem.restore.command}</code>
            </div>
          )}
        </div>
      ))}
    </>
  );
}
