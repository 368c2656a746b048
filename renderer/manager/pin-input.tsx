import { useManager } from './use-manager';

/** The manager PIN that approves an action: digits only, never shown, never autofilled. */
export function PinInput({ value, onChange, label }: { value: string; onChange: (pin: string) => void; label?: string }) {
  const { m } = useManager();
  return (
    <label className="mgr-pin-label">
      {label ?? m('pin.approve')}
      <input aria-label={label ?? m('pin.approve')} type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={value} onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))} />
    </label>
  );
}

export function Feedback({ error, ok }: { error: string | null; ok?: string | null }) {
  return (
    <>
      {ok && (
        <p className="mgr-ok" role="status">
          {ok}
        </p>
      )}
      {error && (
        <p className="mgr-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
