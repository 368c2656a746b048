import { useRef, useState } from 'react';
import { formatYuan } from '../../shared/money';
import type { ShiftView } from '../../shared/shifts';
import { useApp } from '../app-context';
import { Dialog, KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { Numpad } from '../components/numpad';
import { localized, type MessageKey } from '../i18n/messages';
import { amountTextFrom, amountTextToFen, applyAmountKey } from './amount-entry';
import { formatClock } from './format';
import { ManagerPinField } from './refund-dialog';
import './shift.css';
import type { Counter } from './use-counter';

type View = 'menu' | 'in' | 'out';
const MENU_KEYS = { cashIn: 'F1', cashOut: 'F2', printX: 'F3', close: 'F4' } as const;
/** The usual reasons, each for the way the money goes: change is put in; a safe drop and a small expense go out. */
const REASONS: Record<'in' | 'out', readonly MessageKey[]> = {
  in: ['cashMove.reasonChange'],
  out: ['cashMove.reasonDrop', 'cashMove.reasonExpense'],
};
const REASON_KEYS = ['F5', 'F6', 'F7'] as const;

/**
 * The shift menu on the counter (F10): cash in or out with a reason, the X report, and 交班 (closing opens its own
 * dialog). Nothing here shows the expected cash: the count at closing is blind.
 */
export function ShiftMenuDialog({ counter, shift, onClose, onCloseShift }: { counter: Counter; shift: ShiftView; onClose: () => void; onCloseShift: () => void }) {
  const { t, language, timeZone } = useApp();
  const [view, setView] = useState<View>('menu');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const printX = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const printed = await counter.run('shift.print', { shiftId: shift.id, kind: 'X' });
    setBusy(false);
    if (!printed) return;
    counter.showNotice(localized('shiftMenu.xPrinted'), 'after-step');
    onClose();
  };

  const closeShift = (): void => {
    if (counter.sale?.state === 'open') {
      setProblem(t('shiftMenu.finishSaleFirst'));
      return;
    }
    onCloseShift();
  };

  useInputLayer({
    onKey: (event) => {
      if (view !== 'menu') return;
      if (event.key === 'Escape') onClose();
      else if (event.key === MENU_KEYS.cashIn) setView('in');
      else if (event.key === MENU_KEYS.cashOut) setView('out');
      else if (event.key === MENU_KEYS.printX) void printX();
      else if (event.key === MENU_KEYS.close) closeShift();
      else return;
      event.preventDefault();
    },
  });

  if (view !== 'menu') return <CashMoveDialog counter={counter} shift={shift} kind={view} onDone={onClose} onBack={() => setView('menu')} />;
  return (
    <Dialog title={t('shiftMenu.title')} onClose={onClose} closeLabel={t('dialog.cancel')} testId="shift-menu">
      <p className="dialog-help">
        {t('shiftMenu.summary', { time: formatClock(shift.openedAt, language, timeZone).slice(0, 5), name: shift.cashierName, amount: formatYuan(shift.openingFloatFen) })}
      </p>
      {problem && (
        <p className="dialog-error" role="alert">
          {problem}
        </p>
      )}
      <div className="shift-menu-actions">
        <KeyButton label={t('shiftMenu.cashIn')} keyLabel={MENU_KEYS.cashIn} ariaKeys={MENU_KEYS.cashIn} onClick={() => setView('in')} />
        <KeyButton label={t('shiftMenu.cashOut')} keyLabel={MENU_KEYS.cashOut} ariaKeys={MENU_KEYS.cashOut} onClick={() => setView('out')} />
        <KeyButton label={t('shiftMenu.printX')} keyLabel={MENU_KEYS.printX} ariaKeys={MENU_KEYS.printX} onClick={() => void printX()} disabled={busy} />
        <KeyButton className="primary" label={t('shiftMenu.close')} keyLabel={MENU_KEYS.close} ariaKeys={MENU_KEYS.close} onClick={closeShift} />
      </div>
    </Dialog>
  );
}

/**
 * Cash put into or taken out of the drawer: the amount (numpad or keys) and a reason; Enter confirms, the drawer
 * opens. A cash-out above the limit or the drawer's expected cash is answered CASH_OUT_APPROVAL: the dialog then
 * asks for the manager's PIN and sends the same movement again with it (the approval is for this amount only).
 */
function CashMoveDialog({ counter, shift, kind, onDone, onBack }: { counter: Counter; shift: ShiftView; kind: 'in' | 'out'; onDone: () => void; onBack: () => void }) {
  const { t, api } = useApp();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [askPin, setAskPin] = useState(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  const submit = async (): Promise<void> => {
    const amountFen = amountTextToFen(amountRef.current?.value ?? amount);
    const why = (reasonRef.current?.value ?? reason).trim();
    if (busy) return;
    if (amountFen === null || amountFen <= 0) return setProblem(t('cashMove.invalidAmount'));
    if (why === '') {
      reasonRef.current?.focus();
      return setProblem(t('cashMove.reasonRequired'));
    }
    const pin = pinRef.current?.value ?? '';
    if (askPin && !/^\d{4,8}$/.test(pin)) {
      pinRef.current?.focus();
      return setProblem(t('manager.pinFormat'));
    }
    setBusy(true);
    setProblem(null);
    const result = await api.call('shift.cashMove', { shiftId: shift.id, kind, amountFen, reason: why, ...(askPin ? { managerPin: pin } : {}) });
    setBusy(false);
    if (!result.ok) {
      if (result.error.code === 'CASH_OUT_APPROVAL') setAskPin(true);
      return setProblem(result.error.message);
    }
    counter.showNotice(localized(kind === 'in' ? 'cashMove.doneIn' : 'cashMove.doneOut', { amount: formatYuan(result.value.amountFen) }), 'after-step');
    onDone();
  };

  const pickReason = (key: MessageKey): void => {
    setProblem(null);
    setReason(t(key));
  };

  useInputLayer({
    onKey: (event) => {
      const reasonIndex = REASON_KEYS.indexOf(event.key as (typeof REASON_KEYS)[number]);
      const preset = REASONS[kind][reasonIndex];
      if (event.key === 'Escape') onBack();
      else if (event.key === 'Enter') void submit();
      else if (preset) pickReason(preset);
      else return;
      event.preventDefault();
    },
    onTyped: (text) => {
      setProblem(null);
      setAskPin(false);
      setAmount((current) => amountTextFrom(current + text));
    },
  });

  return (
    <Dialog title={kind === 'in' ? t('cashMove.titleIn') : t('cashMove.titleOut')} onClose={onBack} closeLabel={t('dialog.cancel')} testId="cash-move-dialog">
      <div className="cash-grid">
        <div className="cash-fields">
          <label>
            {t('cashMove.amount')}
            <input
              ref={amountRef}
              inputMode="decimal"
              autoComplete="off"
              autoFocus
              placeholder="￥0.00"
              value={amount}
              onChange={(e) => {
                setProblem(null);
                setAskPin(false);
                setAmount(amountTextFrom(e.target.value));
              }}
            />
          </label>
          <label>
            {t('cashMove.reason')}
            <input
              ref={reasonRef}
              autoComplete="off"
              maxLength={100}
              value={reason}
              onChange={(e) => {
                setProblem(null);
                setReason(e.target.value);
              }}
            />
          </label>
          <div className="cash-notes" role="group" aria-label={t('cashMove.reasons')}>
            {REASONS[kind].map((key, i) => (
              <KeyButton key={key} label={t(key)} keyLabel={REASON_KEYS[i] ?? ''} ariaKeys={REASON_KEYS[i] ?? ''} onClick={() => pickReason(key)} />
            ))}
          </div>
          {askPin && (
            <>
              <p className="dialog-help">{t('cashMove.needsManager')}</p>
              <ManagerPinField inputRef={pinRef} autoFocus />
            </>
          )}
          {problem && (
            <p className="dialog-error" role="alert">
              {problem}
            </p>
          )}
          <KeyButton className="primary" label={t('cashMove.submit')} keyLabel="Enter" ariaKeys="Enter" onClick={() => void submit()} disabled={busy} />
        </div>
        <Numpad
          compact
          labels={{ group: t('cashier.numpad'), backspace: t('cashier.backspace'), clear: t('cashier.clear'), clearKey: 'Del' }}
          onKey={(key) => {
            setProblem(null);
            setAskPin(false);
            setAmount((current) => applyAmountKey(current, key));
          }}
        />
      </div>
    </Dialog>
  );
}
