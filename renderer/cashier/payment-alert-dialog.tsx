import { useRef, useState } from 'react';
import { formatYuan } from '../../shared/money';
import type { Localized } from '../../shared/i18n';
import type { PaymentAlertView } from '../../shared/payments';
import { useApp } from '../app-context';
import { Dialog, KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { localized } from '../i18n/messages';
import { formatListTime } from './format';
import { ManagerPinField } from './refund-dialog';

/**
 * A WeChat payment arrived for a sale the counter was not showing (after a restart, a late answer): the customer
 * may have paid this basket twice. The cashier says which: 1 keep (it was this basket), 2 refund (it was paid
 * another way: the whole payment goes back, with a manager's PIN as for any refund). Esc puts it off; the alert
 * stays open (on the counter, the manager's screen and the X/Z report) until someone resolves it.
 */
export function PaymentAlertDialog({
  alert,
  now,
  onResolved,
  onClose,
}: {
  alert: PaymentAlertView;
  now: number;
  onResolved: (message: Localized) => void;
  onClose: () => void;
}) {
  const { t, language, api, timeZone } = useApp();
  const [step, setStep] = useState<'ask' | 'refund'>('ask');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const amount = formatYuan(alert.amountFen);

  const keep = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const result = await api.call('paymentAlert.keep', { alertId: alert.id });
    setBusy(false);
    if (!result.ok) return setProblem(result.error.message);
    onResolved(localized('paymentAlert.keptDone', { no: alert.receiptNo, amount }));
  };

  const refund = async (): Promise<void> => {
    const pin = pinRef.current?.value ?? '';
    if (busy) return;
    if (!/^\d{4,8}$/.test(pin)) return setProblem(t('manager.pinFormat'));
    setBusy(true);
    const result = await api.call('paymentAlert.refund', { alertId: alert.id, managerPin: pin });
    setBusy(false);
    if (!result.ok) return setProblem(result.error.message);
    onResolved(localized('paymentAlert.refundedDone', { no: alert.receiptNo, amount }));
  };

  useInputLayer({
    onKey: (event) => {
      if (event.key === 'Escape') onClose();
      else if (step === 'refund' && event.key === 'Enter') void refund();
      else return;
      event.preventDefault();
    },
    onTyped: (text) => {
      if (step !== 'ask') return;
      if (text === '1') void keep();
      else if (text === '2') setStep('refund');
    },
  });

  return (
    <Dialog title={t('paymentAlert.title')} onClose={onClose} closeLabel={t('paymentAlert.later')} testId="payment-alert-dialog">
      <div className="form-fields">
        <p role="alert">
          {t('paymentAlert.body', { no: alert.receiptNo, amount, time: formatListTime(alert.paidAt, now, language, timeZone) })}
        </p>
        {alert.counterReceiptNo !== null && <p>{t('paymentAlert.counterShowed', { no: alert.counterReceiptNo })}</p>}
        {step === 'ask' ? (
          <>
            <p>{t('paymentAlert.question')}</p>
            <KeyButton className="primary" label={t('paymentAlert.keep')} keyLabel="1" ariaKeys="1" onClick={() => void keep()} disabled={busy} />
            <KeyButton label={t('paymentAlert.refund', { amount })} keyLabel="2" ariaKeys="2" onClick={() => setStep('refund')} disabled={busy} />
          </>
        ) : (
          <>
            <p>{t('paymentAlert.refundConfirm', { amount })}</p>
            <ManagerPinField inputRef={pinRef} autoFocus />
            <KeyButton className="primary" label={t('refund.submit')} keyLabel="Enter" ariaKeys="Enter" onClick={() => void refund()} disabled={busy} />
          </>
        )}
        {problem && (
          <p className="dialog-error" role="alert">
            {problem}
          </p>
        )}
      </div>
    </Dialog>
  );
}
