import { useRef, useState } from 'react';
import { pick } from '../../shared/i18n';
import { formatYuan } from '../../shared/money';
import { useApp } from '../app-context';
import { KeyButton } from '../components/dialog';
import { DenominationCount } from '../components/denomination-count';
import { countsTotalFen, EMPTY_COUNTS, type CountTexts } from '../components/denomination-counts';
import { useInputLayer } from '../components/input-layers';
import { Numpad } from '../components/numpad';
import { useNow } from '../components/use-now';
import { localized } from '../i18n/messages';
import { amountTextFrom, amountTextToFen, applyAmountKey } from './amount-entry';
import { useCountLabels } from './count-labels';
import './shift.css';
import type { Counter } from './use-counter';

type Mode = 'amount' | 'denominations';
const NOTICE_MS = 15_000;

/**
 * 开班: no shift is open on this terminal, so no sale can be taken yet. The cashier counts the opening float and
 * enters it as one amount (keyboard or numpad) or by denomination; Enter opens the shift.
 */
export function ShiftOpenScreen({ counter, onSignOut }: { counter: Counter; onSignOut: () => void }) {
  const { api, t, language } = useApp();
  const [mode, setMode] = useState<Mode>('amount');
  const [amount, setAmount] = useState('');
  const [counts, setCounts] = useState<CountTexts>(EMPTY_COUNTS);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const now = useNow();
  const countLabels = useCountLabels();

  const submit = async (): Promise<void> => {
    // Read the field itself: typing released by the wedge detector may not have re-rendered yet.
    const floatFen = mode === 'amount' ? amountTextToFen(field.current?.value ?? amount) : countsTotalFen(counts);
    if (busy) return;
    if (floatFen === null) {
      setProblem(t('shiftOpen.invalid'));
      return;
    }
    setBusy(true);
    const result = await api.call('shift.open', { openingFloatFen: floatFen });
    setBusy(false);
    if (!result.ok) {
      if (result.error.code === 'NOT_SIGNED_IN') counter.setUser(null);
      setProblem(result.error.message);
      return;
    }
    counter.setShift(result.value);
    counter.showNotice(localized('shiftOpen.opened', { amount: formatYuan(result.value.openingFloatFen) }));
  };

  const switchMode = (): void => {
    setProblem(null);
    setMode((current) => (current === 'amount' ? 'denominations' : 'amount'));
  };

  useInputLayer({
    onKey: (event) => {
      // 开班 has its own key, F1, that works from any row of the count: Enter there walks down the denominations
      // (a cashier counting ￥100, ￥50, … presses it after every row), so it cannot also mean "open" except on the last.
      if (event.key === 'Enter' || event.key === 'F1') void submit();
      else if (event.key === 'F2') switchMode();
      else if (event.key === 'F9') onSignOut();
      else if (event.key === 'Escape' && mode === 'amount') setAmount('');
      else return;
      event.preventDefault();
    },
    onTyped: (text) => {
      if (mode !== 'amount') return;
      setProblem(null);
      setAmount((current) => amountTextFrom(current + text));
    },
  });

  const notice = counter.notice && now - counter.notice.at < NOTICE_MS ? counter.notice : null;
  return (
    <main className="shift-open" aria-labelledby="shift-open-title">
      <h1 id="shift-open-title">{t('shiftOpen.title')}</h1>
      <p className="shift-open-help">
        {counter.user && t('shiftOpen.who', { name: counter.user.name })} · {t('shiftOpen.help')}
      </p>
      {notice && (
        <p className="message message-notice" role="status">
          {pick(notice.message, language)}
        </p>
      )}
      {mode === 'amount' ? (
        <div className="shift-open-amount">
          <label className="shift-float-label">
            {t('shiftOpen.float')}
            <input
              ref={field}
              className="shift-float-field"
              inputMode="decimal"
              autoComplete="off"
              autoFocus
              placeholder="￥0.00"
              value={amount}
              onChange={(e) => {
                setProblem(null);
                setAmount(amountTextFrom(e.target.value));
              }}
            />
          </label>
          <Numpad
            labels={{ group: t('cashier.numpad'), backspace: t('cashier.backspace'), clear: t('cashier.clear'), clearKey: 'Esc' }}
            onKey={(key) => {
              setProblem(null);
              setAmount((current) => applyAmountKey(current, key));
            }}
          />
        </div>
      ) : (
        <div className="shift-open-count">
          <DenominationCount texts={counts} onChange={setCounts} labels={countLabels} onSubmit={() => void submit()} autoFocus />
        </div>
      )}
      {problem && (
        <p className="sign-in-error" role="alert">
          {problem}
        </p>
      )}
      <div className="shift-open-actions">
        <KeyButton
          label={mode === 'amount' ? t('shiftOpen.byDenomination') : t('shiftOpen.byAmount')}
          keyLabel="F2"
          ariaKeys="F2"
          onClick={switchMode}
        />
        <KeyButton label={t('status.signOut')} keyLabel="F9" ariaKeys="F9" onClick={onSignOut} />
        <KeyButton
          className="primary"
          label={t('shiftOpen.submit')}
          keyLabel={mode === 'amount' ? 'Enter' : 'F1'}
          ariaKeys="F1 Enter"
          onClick={() => void submit()}
          disabled={busy}
        />
      </div>
    </main>
  );
}
