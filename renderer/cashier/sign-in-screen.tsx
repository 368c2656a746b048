import { useRef, useState } from 'react';
import type { SessionUser } from '../../shared/api';
import { useApp } from '../app-context';
import { KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { Numpad } from '../components/numpad';
import { applyDigitKey, type AmountKey } from './amount-entry';
import { digitsOf } from './key-map';

const PIN_MAX = 8;

/** The cashier signs in with a PIN: numpad or keyboard, Enter to sign in. A refusal shows the main side's reason. */
export function SignInScreen({ onSignedIn }: { onSignedIn: (user: SessionUser) => void }) {
  const { api, t, info } = useApp();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);

  const submit = async (): Promise<void> => {
    // Read the field itself: typing released by the wedge detector may not have re-rendered yet.
    const value = field.current?.value ?? pin;
    if (busy) return;
    if (!/^\d{4,8}$/.test(value)) {
      setError(t('signIn.pinFormat'));
      return;
    }
    setBusy(true);
    const result = await api.call('auth.signIn', { pin: value });
    setBusy(false);
    setPin('');
    if (result.ok) onSignedIn(result.value);
    else setError(result.error.message);
    field.current?.focus();
  };

  const press = (key: AmountKey): void => {
    setError(null);
    setPin((current) => applyDigitKey(current, key, PIN_MAX));
  };

  useInputLayer({
    onKey: (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        void submit();
      } else if (event.key === 'Escape') {
        setPin('');
      }
    },
    onTyped: (text) => setPin((current) => (current + digitsOf(text)).slice(0, PIN_MAX)),
    onScan: () => setError(t('signIn.scanFirst')),
  });

  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <label className="pin-label">
        {t('signIn.pin')}
        <input
          ref={field}
          className="pin-field"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          maxLength={PIN_MAX}
          value={pin}
          onChange={(event) => {
            setError(null);
            setPin(digitsOf(event.target.value).slice(0, PIN_MAX));
          }}
        />
      </label>
      {error && (
        <p className="sign-in-error" role="alert">
          {error}
        </p>
      )}
      <Numpad
        labels={{ group: t('signIn.numpad'), backspace: t('cashier.backspace'), clear: t('cashier.clear'), clearKey: 'Esc' }}
        onKey={press}
        withPoint={false}
      />
      <KeyButton className="primary sign-in-submit" label={t('signIn.submit')} keyLabel="Enter" ariaKeys="Enter" onClick={() => void submit()} disabled={busy} />
      {info?.sandbox && <p className="sign-in-hint">{t('signIn.demoHint')}</p>}
    </main>
  );
}
