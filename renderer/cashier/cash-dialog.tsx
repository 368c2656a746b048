import { useRef, useState } from 'react';
import { formatYuan, fenToYuanString, ZERO_FEN, type Fen } from '../../shared/money';
import { useApp } from '../app-context';
import { Dialog, KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { Numpad } from '../components/numpad';
import { amountTextFrom, amountTextToFen, applyAmountKey, type AmountKey } from './amount-entry';
import { changeFor, suggestedNotes } from './payment-progress';

type Field = 'part' | 'tendered';
const NOTE_KEYS = ['F5', 'F6', 'F7'] as const;

/**
 * Cash: how much of the sale is paid in cash (all that is due, or a part for a split tender) and what the customer
 * handed over; the change is shown big before confirming. Enter with nothing typed takes the exact amount.
 */
export function CashDialog({ dueFen, onPay, onClose }: { dueFen: Fen; onPay: (amountFen: Fen, tenderedFen: Fen) => Promise<boolean>; onClose: () => void }) {
  const { t } = useApp();
  const [part, setPart] = useState(fenToYuanString(dueFen));
  const [tendered, setTendered] = useState('');
  const [active, setActive] = useState<Field>('tendered');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const partRef = useRef<HTMLInputElement>(null);
  const tenderedRef = useRef<HTMLInputElement>(null);

  const partFen = amountTextToFen(part);
  const tenderedFen = amountTextToFen(tendered);
  const change = partFen !== null && tenderedFen !== null ? changeFor(partFen, tenderedFen) : null;

  const confirm = async (exact = false): Promise<void> => {
    // Read the fields: typing released by the wedge detector may not have re-rendered yet.
    const amount = amountTextToFen(partRef.current?.value ?? part);
    const given = exact ? amount : (amountTextToFen(tenderedRef.current?.value ?? tendered) ?? amount);
    if (busy || amount === null || amount <= 0 || amount > dueFen) {
      setProblem(t('cash.partInvalid', { due: formatYuan(dueFen) }));
      return;
    }
    if (given === null || given < amount) {
      setProblem(t('cash.tooLittle', { amount: formatYuan(amount) }));
      return;
    }
    setBusy(true);
    const paid = await onPay(amount, given);
    setBusy(false);
    if (paid) onClose();
  };

  const setField = (field: Field, change: (text: string) => string): void => {
    setProblem(null);
    if (field === 'part') setPart(change);
    else setTendered(change);
  };

  const note = (amount: Fen): void => {
    setTendered(fenToYuanString(amount));
    setProblem(null);
  };
  const notes = suggestedNotes(partFen ?? dueFen);

  useInputLayer({
    onKey: (event) => {
      const noteIndex = NOTE_KEYS.indexOf(event.key as (typeof NOTE_KEYS)[number]);
      if (event.key === 'Escape') onClose();
      else if (event.key === 'Enter') void confirm();
      else if (event.key === 'F3') void confirm(true);
      else if (noteIndex >= 0 && notes[noteIndex] !== undefined) note(notes[noteIndex]);
      else if (event.key === 'Delete' && !(event.target instanceof HTMLInputElement)) setField(active, () => '');
      else return;
      event.preventDefault();
    },
    onTyped: (text) => setField(active, (current) => amountTextFrom(current + text)),
  });

  return (
    <Dialog title={t('cash.title')} onClose={onClose} closeLabel={t('dialog.cancel')} testId="cash-dialog">
      <div className="cash-grid">
        <div className="cash-fields">
          <p className="cash-due">
            {t('sale.due')} <strong>{formatYuan(dueFen)}</strong>
          </p>
          <label>
            {t('cash.part')}
            <input
              ref={partRef}
              inputMode="decimal"
              autoComplete="off"
              value={part}
              onFocus={() => setActive('part')}
              onChange={(e) => setField('part', () => amountTextFrom(e.target.value))}
            />
          </label>
          <label>
            {t('cash.tendered')}
            <input
              ref={tenderedRef}
              inputMode="decimal"
              autoComplete="off"
              autoFocus
              placeholder={formatYuan(partFen ?? dueFen)}
              value={tendered}
              onFocus={() => setActive('tendered')}
              onChange={(e) => setField('tendered', () => amountTextFrom(e.target.value))}
            />
          </label>
          <p className="cash-change" data-testid="cash-change" aria-live="polite">
            {t('payment.change')} <strong>{formatYuan(change ?? ZERO_FEN)}</strong>
          </p>
          {problem && (
            <p className="dialog-error" role="alert">
              {problem}
            </p>
          )}
          <div className="cash-notes" role="group" aria-label={t('cash.notes')}>
            <KeyButton label={t('cash.exact')} keyLabel="F3" ariaKeys="F3" onClick={() => void confirm(true)} disabled={busy} />
            {notes.map((amount, i) => (
              <KeyButton key={amount} label={formatYuan(amount)} keyLabel={NOTE_KEYS[i] ?? ''} ariaKeys={NOTE_KEYS[i] ?? ''} onClick={() => note(amount)} />
            ))}
          </div>
          <KeyButton className="primary" label={t('cash.confirm')} keyLabel="Enter" ariaKeys="Enter" onClick={() => void confirm()} disabled={busy} />
        </div>
        <Numpad
          compact
          labels={{ group: t('cashier.numpad'), backspace: t('cashier.backspace'), clear: t('cashier.clear'), clearKey: 'Del' }}
          onKey={(key: AmountKey) => setField(active, (current) => applyAmountKey(current, key))}
        />
      </div>
    </Dialog>
  );
}
