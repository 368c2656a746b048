import { useRef, useState } from 'react';
import { formatYuan, fenToYuanString, type Fen } from '../../shared/money';
import { useApp } from '../app-context';
import { KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { amountTextFrom, amountTextToFen } from './amount-entry';
import { digitsOf } from './key-map';

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

/** What a refund form hands over once its amount and PIN are well formed. */
export interface RefundEntry {
  amountFen: Fen;
  managerPin: string;
  /** Trimmed, at most 100 characters; absent when none was typed. */
  reason?: string;
}

/**
 * The refund form both refund dialogs share (this counter's sales, and another counter's found at the hub): what is
 * refundable, the amount (all of it unless changed), the manager's PIN, a reason, the error line and the Enter key.
 * The amount and PIN are checked here; `send` makes the call and answers null when it went through (the dialog then
 * moves on) or the words of the refusal, shown on the error line. Escape closes, typed digits go to the amount.
 * A dialog whose refundable amount changes (another tender chosen) gives it a new `key`, so the form starts over.
 */
export function RefundFields({ refundableFen, send, onClose }: { refundableFen: Fen; send: (entry: RefundEntry) => Promise<string | null>; onClose: () => void }) {
  const { t } = useApp();
  const [amount, setAmount] = useState(fenToYuanString(refundableFen));
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  const submit = async (): Promise<void> => {
    if (busy) return;
    const amountFen = amountTextToFen(amountRef.current?.value ?? amount);
    const managerPin = pinRef.current?.value ?? '';
    if (amountFen === null || amountFen <= 0 || amountFen > refundableFen) {
      setProblem(t('refund.amountInvalid', { max: formatYuan(refundableFen) }));
      return;
    }
    if (!/^\d{4,8}$/.test(managerPin)) {
      setProblem(t('manager.pinFormat'));
      return;
    }
    setBusy(true);
    const refused = await send({ amountFen, managerPin, ...(reason.trim() ? { reason: reason.trim().slice(0, 100) } : {}) });
    setBusy(false);
    setProblem(refused);
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
    <>
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
    </>
  );
}
