import { useRef, useState } from 'react';
import { pick } from '../../shared/i18n';
import { formatYuan, fenToYuanString, type Fen } from '../../shared/money';
import { describeRefund, type SaleView } from '../../shared/payments';
import { useApp } from '../app-context';
import { Dialog, KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { amountTextFrom, amountTextToFen } from './amount-entry';
import { digitsOf } from './key-map';
import { cashToHandBack, refundLineKey } from './refund-words';

/** A manager's PIN field: digits only, masked, never kept after the call. */
export function ManagerPinField({ inputRef, autoFocus = false }: { inputRef: React.RefObject<HTMLInputElement | null>; autoFocus?: boolean }) {
  const { t } = useApp();
  const [pin, setPin] = useState('');
  return (
    <label>
      {t('manager.pin')}
      <input
        ref={inputRef}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        autoFocus={autoFocus}
        maxLength={8}
        value={pin}
        onChange={(e) => setPin(digitsOf(e.target.value).slice(0, 8))}
      />
    </label>
  );
}

/** Refund all or part of a paid sale; the manager approves with a PIN. WeChat parts may finish later (pending). */
export function RefundDialog({
  sale,
  refundableFen,
  onDone,
  onClose,
}: {
  sale: SaleView;
  refundableFen: Fen;
  /** The words of the result, and the cash to hand back to the customer (zero when none). */
  onDone: (message: string, cashFen: Fen) => void;
  onClose: () => void;
}) {
  const { t, language, api } = useApp();
  const [amount, setAmount] = useState(fenToYuanString(refundableFen));
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  const submit = async (): Promise<void> => {
    const amountFen = amountTextToFen(amountRef.current?.value ?? amount);
    const pin = pinRef.current?.value ?? '';
    if (busy) return;
    if (amountFen === null || amountFen <= 0 || amountFen > refundableFen) {
      setProblem(t('refund.amountInvalid', { max: formatYuan(refundableFen) }));
      return;
    }
    if (!/^\d{4,8}$/.test(pin)) {
      setProblem(t('manager.pinFormat'));
      return;
    }
    setBusy(true);
    const request = { saleId: sale.id, amountFen, managerPin: pin, ...(reason.trim() ? { reason: reason.trim().slice(0, 100) } : {}) };
    const result = await api.call('refund.request', request);
    setBusy(false);
    if (!result.ok) {
      setProblem(result.error.message);
      return;
    }
    // Each part with the tender it goes back to; cash parts leave the drawer now, so the cashier is told to hand them over.
    const words = result.value.refunds.map((r) => `${t(refundLineKey(r), { amount: formatYuan(r.amountFen) })} ${pick(describeRefund(r), language)}`).join('；');
    onDone(result.value.pending ? t('refund.donePending', { words }) : t('refund.done', { words }), cashToHandBack(result.value.refunds));
  };

  useInputLayer({
    onKey: (event) => {
      if (event.key === 'Escape') onClose();
      else if (event.key === 'Enter') void submit();
      else return;
      event.preventDefault();
    },
    onTyped: (text) => setAmount((current) => amountTextFrom(current + text)),
  });

  return (
    <Dialog title={t('refund.title', { no: sale.receiptNo })} onClose={onClose} closeLabel={t('dialog.cancel')} testId="refund-dialog">
      <div className="form-fields">
        <p>
          {t('refund.refundable')} <strong>{formatYuan(refundableFen)}</strong>
        </p>
        <label>
          {t('refund.amount')}
          <input ref={amountRef} inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(amountTextFrom(e.target.value))} />
        </label>
        <ManagerPinField inputRef={pinRef} autoFocus />
        <label>
          {t('refund.reason')}
          <input type="text" autoComplete="off" maxLength={100} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        {problem && (
          <p className="dialog-error" role="alert">
            {problem}
          </p>
        )}
        <KeyButton className="primary" label={t('refund.submit')} keyLabel="Enter" ariaKeys="Enter" onClick={() => void submit()} disabled={busy} />
      </div>
    </Dialog>
  );
}
