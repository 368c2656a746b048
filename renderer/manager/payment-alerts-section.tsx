import { useState } from 'react';
import { formatYuan } from '../../shared/money';
import { Feedback, PinInput } from './pin-input';
import { isPin, useLoad, useManager } from './use-manager';

/**
 * Payments on a sale the counter was not showing (issue 21): the customer may have paid one basket twice. The
 * manager sees them as they arrive and can resolve one too: keep it, or refund it with the PIN typed above.
 */
export function PaymentAlertsSection() {
  const { api, m, time } = useManager();
  const alerts = useLoad(api, 'paymentAlert.list', { openOnly: false }, 'payment.alert');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { reload } = alerts;

  const keep = async (alertId: number): Promise<void> => {
    const r = await api.call('paymentAlert.keep', { alertId });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    reload();
  };
  const refund = async (alertId: number): Promise<void> => {
    if (!isPin(pin)) return setError(m('pin.format'));
    const r = await api.call('paymentAlert.refund', { alertId, managerPin: pin });
    setPin('');
    if (!r.ok) return setError(r.error.message);
    setError(null);
    reload();
  };

  return (
    <section className="mgr-section" aria-labelledby="mgr-payment-alerts-title">
      <div className="mgr-toolbar">
        <h2 id="mgr-payment-alerts-title">{m('paymentAlerts.title')}</h2>
        <PinInput value={pin} onChange={setPin} />
      </div>
      <Feedback error={error ?? alerts.error} />
      {alerts.value?.length === 0 && <p className="mgr-empty">{m('paymentAlerts.none')}</p>}
      {alerts.value && alerts.value.length > 0 && (
        <table className="mgr-table" aria-label={m('paymentAlerts.title')}>
          <thead>
            <tr>
              <th>{m('alerts.at')}</th>
              <th>{m('paymentAlerts.sale')}</th>
              <th>{m('paymentAlerts.amount')}</th>
              <th>{m('paymentAlerts.state')}</th>
            </tr>
          </thead>
          <tbody>
            {alerts.value.map((a) => (
              <tr key={a.id} className={a.state === 'open' ? 'mgr-row-differs' : undefined}>
                <td>{time(a.paidAt)}</td>
                <td>{`${a.terminalId}-${a.receiptNo}`}</td>
                <td>{formatYuan(a.amountFen)}</td>
                <td>
                  {a.state === 'open' ? (
                    <>
                      <button type="button" onClick={() => void keep(a.id)}>
                        {m('paymentAlerts.keep')}
                      </button>{' '}
                      <button type="button" onClick={() => void refund(a.id)}>
                        {m('paymentAlerts.refund')}
                      </button>
                    </>
                  ) : (
                    m(a.state === 'kept' ? 'paymentAlerts.kept' : 'paymentAlerts.refunded', { who: a.resolvedBy ?? '' })
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
