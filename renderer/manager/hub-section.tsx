import { useState } from 'react';
import { Feedback } from './pin-input';
import { useLoad, useManager } from './use-manager';

/**
 * 总部 / Hub: enrol this counter with the store's hub (URL + pairing code made at the hub), then its store,
 * terminal id and how the facts link is doing (reachable, backlog, the oldest fact not yet at the hub).
 */
export function HubSection() {
  const { api, m, time } = useManager();
  const status = useLoad(api, 'hub.status', {}, 'hub.status');
  const [hubUrl, setHubUrl] = useState('');
  const [pairingCode, setPairingCode] = useState('');
  const [counterName, setCounterName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const s = status.value;
  const enrol = async (): Promise<void> => {
    setBusy(true);
    const r = await api.call('hub.enrol', { hubUrl, pairingCode, counterName });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setPairingCode('');
    setOk(m('hub.enrolled', { store: r.value.storeName ?? '', terminal: r.value.terminalId ?? '' }));
    status.reload();
  };
  const canEnrol = !s?.enrolled || s.stopped !== null;
  return (
    <section className="mgr-section mgr-card" aria-labelledby="mgr-hub-title">
      <h2 id="mgr-hub-title">{m('hub.title')}</h2>
      <Feedback error={error ?? status.error} ok={ok} />
      {s && !s.enrolled && <p className="mgr-empty">{m('hub.notEnrolled')}</p>}
      {s?.enrolled && (
        <dl className="mgr-facts" aria-label={m('hub.title')}>
          <div>
            <dt>{m('hub.store')}</dt>
            <dd>
              {s.storeName} <span className="mgr-ref">{s.storeId}</span>
            </dd>
          </div>
          <div>
            <dt>{m('hub.terminal')}</dt>
            <dd className="mgr-ref">{s.terminalId}</dd>
          </div>
          <div>
            <dt>{m('hub.url')}</dt>
            <dd className="mgr-ref">{s.hubUrl}</dd>
          </div>
          <div>
            <dt>{m('hub.state')}</dt>
            <dd className={s.stopped || s.reachable === false ? 'mgr-bad' : undefined}>
              {s.stopped ? m('hub.stopped', { reason: s.stopped.reason }) : s.reachable === false ? m('hub.unreachable') : s.reachable ? m('hub.reachable') : m('hub.unknown')}
            </dd>
          </div>
          <div>
            <dt>{m('hub.backlog')}</dt>
            <dd>{s.backlog === 0 ? m('hub.allSent') : m('hub.waiting', { count: s.backlog, since: s.oldestUnsentAt ? time(s.oldestUnsentAt) : '—' })}</dd>
          </div>
          {s.problem && (
            <div>
              <dt>{m('hub.problem')}</dt>
              <dd className="mgr-bad">{s.problem}</dd>
            </div>
          )}
        </dl>
      )}
      {canEnrol && (
        <div className="mgr-form">
          <label className="mgr-field">
            {m('hub.url')}
            <input type="url" placeholder="https://hub.example.com" value={hubUrl} onChange={(e) => setHubUrl(e.target.value)} />
          </label>
          <label className="mgr-field">
            {m('hub.pairingCode')}
            <input autoComplete="off" spellCheck={false} value={pairingCode} onChange={(e) => setPairingCode(e.target.value)} />
          </label>
          <label className="mgr-field">
            {m('hub.counterName')}
            <input maxLength={40} placeholder={m('hub.counterNamePlaceholder')} value={counterName} onChange={(e) => setCounterName(e.target.value)} />
          </label>
          <div className="mgr-actions">
            <button type="button" onClick={() => void enrol()} disabled={busy || !hubUrl || !pairingCode || !counterName.trim()}>
              {m('hub.enrol')}
            </button>
          </div>
          <p className="mgr-hint">{m('hub.restartHint')}</p>
        </div>
      )}
    </section>
  );
}
