import { useEffect, useState } from 'react';
import type { SessionUser } from '../../shared/api';
import type { SetupState } from '../../shared/security';
import { isPin, useManager } from './use-manager';

/** Manager PIN sign-in; on a live install without an owner yet, creating the owner comes first. */
export function ManagerSignIn({ onSignedIn }: { onSignedIn: (user: SessionUser) => void }) {
  const { api, m } = useManager();
  const [setup, setSetup] = useState<SetupState | null>(null);
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    void api.call('setup.getState', {}).then((r) => {
      if (r.ok) setSetup(r.value);
    });
  }, [api]);
  // Nobody can sign in on a live install until its owner exists; with the sandbox's demo people it is optional.
  const mustCreate = setup?.needsOwner === true && !setup.demoUsersActive;
  if (setup && (mustCreate || creating)) {
    return (
      <CreateOwner
        pinsUnreadable={setup.pinsUnreadable}
        onCreated={() => {
          setSetup({ ...setup, needsOwner: false, pinsUnreadable: false });
          setCreating(false);
        }}
      />
    );
  }
  return (
    <PinSignIn onSignedIn={onSignedIn}>
      {setup?.needsOwner && (
        <button type="button" onClick={() => setCreating(true)}>
          {m('setup.create')}
        </button>
      )}
    </PinSignIn>
  );
}

function PinSignIn({ onSignedIn, children }: { onSignedIn: (user: SessionUser) => void; children?: React.ReactNode }) {
  const { api, m, sandbox } = useManager();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (): Promise<void> => {
    if (!isPin(pin)) return setError(m('pin.format'));
    setBusy(true);
    const result = await api.call('auth.signIn', { pin });
    setBusy(false);
    setPin('');
    if (!result.ok) return setError(result.error.message);
    if (result.value.role === 'cashier') {
      await api.call('auth.signOut', {});
      return setError(m('signIn.notManager'));
    }
    setError(null);
    onSignedIn(result.value);
  };

  return (
    <main className="mgr-signin">
      <form
        className="mgr-card mgr-signin-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h1>{m('signIn.title')}</h1>
        <label>
          {m('signIn.pin')}
          <input
            className="mgr-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={8}
            autoFocus
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {m('signIn.submit')}
        </button>
        {sandbox && <p className="mgr-hint">{m('signIn.demoHint')}</p>}
        {children}
        {error && (
          <p className="mgr-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function CreateOwner({ onCreated, pinsUnreadable }: { onCreated: () => void; pinsUnreadable: boolean }) {
  const { api, m } = useManager();
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [setupCode, setSetupCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The code appears where the app runs (its console, or the desktop app's own dialog), never in this page.
  const showCode = (): void => void api.call('setup.showCode', {});
  useEffect(showCode, [api]);

  const submit = async (): Promise<void> => {
    if (!isPin(pin)) return setError(m('pin.format'));
    if (pin !== again) return setError(m('setup.mismatch'));
    const result = await api.call('setup.createOwner', { name: name.trim(), pin, setupCode: setupCode.trim() });
    if (!result.ok) return setError(result.error.message);
    onCreated();
  };

  return (
    <main className="mgr-signin">
      <form
        className="mgr-card mgr-signin-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h1>{m('setup.title')}</h1>
        <p>{m('setup.help')}</p>
        {pinsUnreadable && (
          <p className="mgr-error" role="alert">
            {m('setup.pinsUnreadable')}
          </p>
        )}
        <label>
          {m('setup.name')}
          <input value={name} maxLength={20} autoFocus onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {m('setup.pin')}
          <input type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
        </label>
        <label>
          {m('setup.pinAgain')}
          <input type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={again} onChange={(e) => setAgain(e.target.value.replace(/\D/g, ''))} />
        </label>
        <label>
          {m('setup.code')}
          <input autoComplete="off" maxLength={20} value={setupCode} onChange={(e) => setSetupCode(e.target.value)} />
        </label>
        <p className="mgr-hint">{m('setup.codeWhere')}</p>
        <button type="button" onClick={showCode}>
          {m('setup.showCode')}
        </button>
        <button type="submit" className="primary">
          {m('setup.create')}
        </button>
        {error && (
          <p className="mgr-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
