import { useEffect, useState } from 'react';
import { fen, formatYuan } from '../../shared/money';
import { describeAttempt } from '../../shared/payments';
import { useEvent } from '../app-context';
import { useLoad, useManager } from './use-manager';

/** “3 分 20 秒” / “3 min 20 s”. */
export function formatDuration(ms: number, language: 'zh-CN' | 'en'): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = language === 'en' ? [h && `${h} h`, (h || min) && `${min} min`, `${s} s`] : [h && `${h} 小时`, (h || min) && `${min} 分`, `${s} 秒`];
  return parts.filter(Boolean).join(' ');
}

function useNowEverySecond(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The outbox and the WeChat connection at a glance, and the attempts a person should look at. */
export function SyncTab() {
  const { api, m, time, text, language } = useManager();
  const loaded = useLoad(api, 'sync.getStatus', {});
  const pushed = useEvent(api, 'sync.status');
  const attempts = useLoad(api, 'attempts.listForReview', {});
  const now = useNowEverySecond();
  const status = pushed ?? loaded.value;
  const connectivity = status ? { online: m('sync.online'), offline: m('sync.offline'), unknown: m('sync.unknown') }[status.connectivity] : '—';
  const oldestAge = status?.oldestCreatedAt != null ? now - status.oldestCreatedAt : (status?.oldestAgeMs ?? null);

  return (
    <section className="mgr-section" aria-labelledby="mgr-sync-title">
      <div className="mgr-toolbar">
        <h2 id="mgr-sync-title">{m('sync.title')}</h2>
        <button
          type="button"
          onClick={() => {
            loaded.reload();
            attempts.reload();
          }}
        >
          {m('common.refresh')}
        </button>
      </div>
      {loaded.error && (
        <p className="mgr-error" role="alert">
          {loaded.error}
        </p>
      )}
      <dl className="mgr-facts mgr-sync" data-testid="sync-health">
        <dt>{m('sync.connectivity')}</dt>
        <dd className={status?.connectivity === 'offline' ? 'mgr-bad' : undefined}>{connectivity}</dd>
        <dt>{m('sync.queue')}</dt>
        <dd>{status?.queueLength ?? '—'}</dd>
        <dt>{m('sync.oldest')}</dt>
        <dd>{oldestAge === null ? m('common.none') : formatDuration(oldestAge, language)}</dd>
        <dt>{m('sync.lastError')}</dt>
        <dd className={status?.lastError ? 'mgr-bad' : undefined}>{status?.lastError ? `${status.lastProblem ? text(status.lastProblem) : m('sync.problemGeneric')} (${time(status.lastErrorAt)})` : m('common.none')}</dd>
        <dt>{m('sync.lastSuccess')}</dt>
        <dd>{status?.lastSuccessAt ? `${time(status.lastSuccessAt)} (${m('sync.ago', { value: formatDuration(now - status.lastSuccessAt, language) })})` : m('common.never')}</dd>
      </dl>
      <h3>{m('sync.attempts')}</h3>
      {attempts.error && (
        <p className="mgr-error" role="alert">
          {attempts.error}
        </p>
      )}
      {attempts.value?.length === 0 && <p className="mgr-empty">{m('sync.noAttempts')}</p>}
      {attempts.value && attempts.value.length > 0 && (
        <table className="mgr-table" aria-label={m('sync.attempts')}>
          <thead>
            <tr>
              <th>{m('sync.created')}</th>
              <th>{m('recon.order')}</th>
              <th className="num">{m('report.amount')}</th>
              <th>{m('sync.state')}</th>
            </tr>
          </thead>
          <tbody>
            {attempts.value.map((a) => (
              <tr key={a.id}>
                <td>{time(a.createdAt)}</td>
                <td className="mgr-ref">{a.outTradeNo}</td>
                <td className="num">{formatYuan(fen(a.amountFen))}</td>
                <td>{text(describeAttempt(a, { now, online: status?.connectivity !== 'offline' }))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
