import { useState } from 'react';
import { PaymentAlertsSection } from './payment-alerts-section';
import { Feedback, PinInput } from './pin-input';
import { isPin, useLoad, useManager, withApproval } from './use-manager';

/** Repeated failed scans or refunds: raised on the main side, acknowledged here with a manager's PIN. */
export function AlertsTab() {
  const { api, m, time, text } = useManager();
  const [openOnly, setOpenOnly] = useState(true);
  const alerts = useLoad(api, 'risk.listAlerts', { openOnly }, 'risk.alert');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { reload } = alerts;

  const acknowledge = async (alertId: number): Promise<void> => {
    if (!isPin(pin)) return setError(m('pin.format'));
    const r = await withApproval(api, 'alert-acknowledge', pin, (approvalToken) => api.call('risk.acknowledgeAlert', { alertId, approvalToken }));
    setPin('');
    if (!r.ok) return setError(r.error.message);
    setError(null);
    reload();
  };

  return (
    <>
      <PaymentAlertsSection />
      <section className="mgr-section" aria-labelledby="mgr-alerts-title">
        <div className="mgr-toolbar">
          <h2 id="mgr-alerts-title">{m('tabs.alerts')}</h2>
          <label className="mgr-check">
            <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} />
            {m('alerts.openOnly')}
          </label>
          <PinInput value={pin} onChange={setPin} />
        </div>
        <Feedback error={error ?? alerts.error} />
        {alerts.value?.length === 0 && <p className="mgr-empty">{m('alerts.none')}</p>}
        {alerts.value && alerts.value.length > 0 && (
          <table className="mgr-table" aria-label={m('tabs.alerts')}>
            <thead>
              <tr>
                <th>{m('alerts.at')}</th>
                <th>{m('alerts.message')}</th>
                <th>{m('alerts.actor')}</th>
                <th>{m('alerts.ack')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.value.map((a) => (
                <tr key={a.id} className={a.acknowledgedAt === null ? 'mgr-row-differs' : undefined}>
                  <td>{time(a.at)}</td>
                  <td>{text(a.message)}</td>
                  <td>{text(a.actorName)}</td>
                  <td>
                    {a.acknowledgedAt !== null ? (
                      m('alerts.acked', { who: a.acknowledgedBy ?? '' })
                    ) : (
                      <button type="button" onClick={() => void acknowledge(a.id)} aria-label={`${m('alerts.ack')} ${time(a.at)}`}>
                        {m('alerts.ack')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
