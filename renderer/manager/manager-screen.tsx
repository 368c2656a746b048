import { useEffect, useState } from 'react';
import type { SessionUser } from '../../shared/api';
import { ROLE_LABELS } from '../../shared/security';
import { HeaderBar } from '../components/header-bar';
import './manager.css';
import { ManagerSignIn } from './sign-in';
import { ManagerTabs } from './tabs';
import { useManager } from './use-manager';

/** The manager's window: nothing but the sign-in until a manager or the owner is signed in. */
export function ManagerScreen() {
  const { api, m, text } = useManager();
  const [user, setUser] = useState<SessionUser | null>(null);

  useEffect(() => {
    // In Electron the session outlives a reload of the window; under the web host a new socket starts signed out.
    void api.call('auth.current', {}).then((r) => {
      if (r.ok && r.value && r.value.role !== 'cashier') setUser({ id: r.value.id, name: r.value.name, role: r.value.role });
    });
  }, [api]);

  const signOut = (): void => {
    void api.call('auth.signOut', {}).then(() => setUser(null));
  };

  return (
    <div className="manager">
      <HeaderBar>
        {user && (
          <span className="manager-user">
            <span>{m('signIn.who', { name: user.name, role: text(ROLE_LABELS[user.role]) })}</span>
            <button type="button" className="manager-signout" onClick={signOut}>
              {m('signIn.signOut')}
            </button>
          </span>
        )}
      </HeaderBar>
      {user ? <ManagerTabs /> : <ManagerSignIn onSignedIn={setUser} />}
    </div>
  );
}
