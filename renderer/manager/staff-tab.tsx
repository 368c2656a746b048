import { useState } from 'react';
import { ROLE_LABELS, ROLES, type Role, type UserSummary } from '../../shared/security';
import { Feedback, PinInput } from './pin-input';
import { TerminalLockCard } from './terminal-lock-card';
import { HubManagedNote, useHubManaged } from './hub-managed-note';
import { isPin, useLoad, useManager, withApproval } from './use-manager';

/** People and their roles; every change needs a manager's PIN ('user-manage'). */
export function StaffTab() {
  const { api, m, time, text } = useManager();
  const users = useLoad(api, 'auth.listUsers', {});
  const terminalLock = useLoad(api, 'users.terminalLock', {});
  const hubUrl = useHubManaged();
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const [newPin, setNewPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);

  const act = async (call: (token: string) => ReturnType<typeof api.call<'users.create'>>, subject?: string): Promise<void> => {
    if (!isPin(pin)) return setError(m('pin.format'));
    const r = await withApproval(api, 'user-manage', pin, call, subject);
    setPin('');
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setOk(m('common.done'));
    users.reload();
    terminalLock.reload();
  };
  const clearTerminalLock = async (): Promise<void> => {
    if (!isPin(pin)) return setError(m('pin.format'));
    const r = await withApproval(api, 'user-manage', pin, (approvalToken) => api.call('users.clearTerminalLock', { approvalToken }), 'pin-lock:terminal');
    setPin('');
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setOk(m('common.done'));
    terminalLock.setValue(r.value);
  };
  const needsNewPin = (): boolean => {
    if (isPin(newPin)) return true;
    setError(`${m('staff.newPin')}：${m('pin.format')}`);
    return false;
  };
  const create = (): void => {
    if (!needsNewPin()) return;
    void act((approvalToken) => api.call('users.create', { name: name.trim(), role, pin: newPin, approvalToken }));
  };
  const resetPin = (u: UserSummary): void => {
    if (!needsNewPin()) return;
    void act((approvalToken) => api.call('users.resetPin', { userId: u.id, pin: newPin, approvalToken }), `user:${u.id}`);
  };

  return (
    <section className="mgr-section" aria-labelledby="mgr-staff-title">
      <div className="mgr-toolbar">
        <h2 id="mgr-staff-title">{m('staff.list')}</h2>
        <PinInput value={pin} onChange={setPin} />
      </div>
      <TerminalLockCard lock={terminalLock.value} onClear={() => void clearTerminalLock()} />
      <HubManagedNote hubUrl={hubUrl} what="staff" />
      <form
        hidden={hubUrl !== null}
        className="mgr-toolbar mgr-card"
        aria-label={m('staff.create')}
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
      >
        <label>
          {m('staff.name')}
          <input value={name} maxLength={20} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {m('staff.role')}
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {text(ROLE_LABELS[r])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m('staff.newPin')}
          <input type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={newPin} onChange={(e) => setNewPin(e.target.value.replace(/\D/g, ''))} />
        </label>
        <button type="submit">{m('staff.create')}</button>
      </form>
      <Feedback error={error ?? users.error} ok={ok} />
      <table className="mgr-table" aria-label={m('staff.list')}>
        <thead>
          <tr>
            <th>{m('staff.name')}</th>
            <th>{m('staff.role')}</th>
            <th>{m('staff.active')}</th>
            <th>{m('staff.lastSignIn')}</th>
            <th className="mgr-col-wide">{m('staff.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(users.value ?? []).map((u) => (
            <tr key={u.id}>
              <td>
                {u.name}
                {u.demo && <span className="mgr-tag">{m('staff.demo')}</span>}
                {u.mustChangePin && <span className="mgr-tag">{m('staff.mustChange')}</span>}
              </td>
              <td>{text(ROLE_LABELS[u.role])}</td>
              <td>
                {u.active ? m('common.yes') : m('common.no')}
                {u.lockedUntil !== null && u.lockedUntil > Date.now() && <span className="mgr-bad"> {m('staff.locked', { time: time(u.lockedUntil) })}</span>}
              </td>
              <td>{time(u.lastSignInAt)}</td>
              <td className="mgr-row-actions">
                <button type="button" onClick={() => resetPin(u)} aria-label={m('staff.forUser', { action: m('staff.resetPin'), name: u.name })}>
                  {m('staff.resetPin')}
                </button>
                <button
                  type="button"
                  onClick={() => void act((approvalToken) => api.call('users.setActive', { userId: u.id, active: !u.active, approvalToken }), `user:${u.id}`)}
                  aria-label={m('staff.forUser', { action: u.active ? m('staff.disable') : m('staff.enable'), name: u.name })}
                >
                  {u.active ? m('staff.disable') : m('staff.enable')}
                </button>
                {u.lockedUntil !== null && (
                  <button
                    type="button"
                    onClick={() => void act((approvalToken) => api.call('users.unlock', { userId: u.id, approvalToken }), `user:${u.id}`)}
                    aria-label={m('staff.forUser', { action: m('staff.unlock'), name: u.name })}
                  >
                    {m('staff.unlock')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
