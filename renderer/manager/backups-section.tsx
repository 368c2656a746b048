import { useState } from 'react';
import { Feedback } from './pin-input';
import { useLoad, useManager } from './use-manager';

/** The database backups kept, and one now. */
export function BackupsSection() {
  const { api, m, time } = useManager();
  const backups = useLoad(api, 'backup.list', {});
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = async (): Promise<void> => {
    setBusy(true);
    const r = await api.call('backup.now', {});
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setOk(m('settings.backupDone', { file: r.value.file }));
    backups.reload();
  };
  return (
    <section className="mgr-section mgr-card" aria-labelledby="mgr-backups-title">
      <div className="mgr-toolbar">
        <h2 id="mgr-backups-title">{m('settings.backups')}</h2>
        <button type="button" onClick={() => void now()} disabled={busy}>
          {m('settings.backupNow')}
        </button>
      </div>
      <Feedback error={error ?? backups.error} ok={ok} />
      {backups.value?.length === 0 && <p className="mgr-empty">{m('settings.noBackups')}</p>}
      {backups.value && backups.value.length > 0 && (
        <table className="mgr-table" aria-label={m('settings.backups')}>
          <thead>
            <tr>
              <th>{m('audit.at')}</th>
              <th>{m('settings.backupFile')}</th>
              <th className="num">{m('settings.backupSize')}</th>
            </tr>
          </thead>
          <tbody>
            {backups.value.map((b) => (
              <tr key={b.file}>
                <td>{time(b.at)}</td>
                <td className="mgr-ref">{b.file}</td>
                <td className="num">{(b.bytes / 1024).toFixed(0)} KiB</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
