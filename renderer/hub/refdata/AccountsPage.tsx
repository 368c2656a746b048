import { useState, type FormEvent } from 'react';
import { HUB_ADMIN_REFDATA_PATHS, type HubUserRole, type ManagerView } from '../../../shared/hub-admin-api';
import { hubApi, hubRequest } from '../client/hub-client';
import { useHubShell } from '../shell/context';
import { dateTime } from '../shell/format';
import { navigate, useHubLocation } from '../shell/router';
import { LoadState, useAction, useLoaded } from './common';
import { HistoryList } from './history';

const ACCOUNT_ROLES: readonly HubUserRole[] = ['manager', 'finance', 'owner'];

/**
 * Accounts (#/accounts?account=, owner only): who signs in at the hub, their role and stores, disabled or locked;
 * a new account (an area / store manager with their stores, finance, another owner), a manager's stores, disable /
 * enable, unlock, reset the password. Every change is audit-logged at the hub and shown in the account's history.
 * Passwords are typed into password fields and never shown.
 */
export function AccountsPage() {
  const { t, stores, session, language } = useHubShell();
  const { params } = useHubLocation();
  const accountId = params.get('account') ?? '';
  const [version, setVersion] = useState(0);
  const { loaded, reload } = useLoaded(() => hubApi.users(), `users:${version}`);
  const changed = (): void => {
    setVersion((v) => v + 1);
    reload();
  };
  const accounts = loaded.state === 'ready' ? loaded.value : [];
  const selected = accounts.find((a) => a.userId === accountId) ?? null;
  const stateText = (a: ManagerView): string => {
    if (a.disabled) return t('accounts.disabled');
    if (a.lockedUntil !== null && a.lockedUntil > Date.now()) return t('accounts.locked', { time: dateTime(a.lockedUntil, language) });
    if (a.failedSignIns > 0) return t('accounts.failures', { count: a.failedSignIns });
    return t('accounts.normal');
  };
  return (
    <section className="hub-page" aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('accounts.title')}</h1>
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && (
        <table className="hub-table refdata-table">
          <thead>
            <tr><th>{t('accounts.name')}</th><th>{t('accounts.role')}</th><th>{t('accounts.stores')}</th><th>{t('accounts.state')}</th><th>{t('refdata.actions')}</th></tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.userId} className={a.userId === accountId ? 'refdata-selected' : undefined}>
                <td>{a.name}{a.userId === session.user.userId && t('accounts.you')}</td>
                <td>{t(`role.${a.role}`)}</td>
                <td>{a.role === 'manager' ? a.storeIds.map((id) => stores.find((s) => s.storeId === id)?.name ?? t('refdata.otherStore')).join('、') : t('accounts.allStores')}</td>
                <td>{stateText(a)}</td>
                <td><button type="button" aria-label={`${t('refdata.edit')} ${a.name}`} onClick={() => navigate('accounts', { account: a.userId })}>{t('refdata.edit')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <AccountEditor key={selected.userId} account={selected} version={version} onChanged={changed} />}
      <NewAccountForm onCreated={(a) => { changed(); navigate('accounts', { account: a.userId }); }} />
    </section>
  );
}

function StorePicker({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const { t, stores } = useHubShell();
  return (
    <fieldset className="refdata-checks">
      <legend>{t('accounts.stores')}</legend>
      {stores.map((s) => (
        <label key={s.storeId} className="refdata-check">
          <input type="checkbox" checked={value.includes(s.storeId)} onChange={(e) => onChange(e.target.checked ? [...value, s.storeId] : value.filter((id) => id !== s.storeId))} />
          {s.name}
        </label>
      ))}
    </fieldset>
  );
}

function AccountEditor({ account, version, onChanged }: { account: ManagerView; version: number; onChanged: () => void }) {
  const { t, session } = useHubShell();
  const [storeIds, setStoreIds] = useState(account.storeIds);
  const [password, setPassword] = useState('');
  const act = useAction();
  const self = account.userId === session.user.userId;
  const call = (method: 'PATCH' | 'POST', path: string, body: unknown, done: string): void => {
    void act.run(async () => {
      await hubRequest<ManagerView>(method, path, body);
      onChanged();
    }, done);
  };
  const resetPassword = (e: FormEvent): void => {
    e.preventDefault();
    call('POST', HUB_ADMIN_REFDATA_PATHS.accountPassword(account.userId), { password }, t('accounts.passwordReset'));
    setPassword('');
  };
  return (
    <section className="hub-card refdata-editor" aria-label={`${t('refdata.edit')} ${account.name}`}>
      <div className="refdata-editor-head">
        <h2>{account.name}（{t(`role.${account.role}`)}）</h2>
        <button type="button" onClick={() => navigate('accounts')}>{t('refdata.close')}</button>
      </div>
      {act.feedback}
      <div className="refdata-columns">
        {account.role === 'manager' && (
          <form className="refdata-form" aria-label={t('accounts.saveStores')} onSubmit={(e) => { e.preventDefault(); call('PATCH', HUB_ADMIN_REFDATA_PATHS.account(account.userId), { storeIds }, t('refdata.saved')); }}>
            <StorePicker value={storeIds} onChange={setStoreIds} />
            <button type="submit" disabled={act.busy || storeIds.length === 0}>{t('accounts.saveStores')}</button>
          </form>
        )}
        <form className="refdata-form" aria-label={t('accounts.resetPassword')} onSubmit={resetPassword}>
          <label>{t('accounts.newPassword')}
            <input type="password" autoComplete="new-password" value={password} minLength={10} maxLength={200} required onChange={(e) => setPassword(e.target.value)} />
          </label>
          <button type="submit" disabled={act.busy}>{t('accounts.resetPassword')}</button>
        </form>
        <div className="refdata-form">
          {(account.failedSignIns > 0 || account.lockedUntil !== null) && (
            <button type="button" disabled={act.busy} onClick={() => call('POST', HUB_ADMIN_REFDATA_PATHS.accountUnlock(account.userId), {}, t('refdata.saved'))}>{t('accounts.unlock')}</button>
          )}
          {!self && (
            <button type="button" disabled={act.busy} onClick={() => call('PATCH', HUB_ADMIN_REFDATA_PATHS.account(account.userId), { disabled: !account.disabled }, t('refdata.saved'))}>
              {account.disabled ? t('accounts.enable') : t('accounts.disable')}
            </button>
          )}
        </div>
      </div>
      <HistoryList query={{ of: 'account', id: account.userId }} version={version} />
    </section>
  );
}

function NewAccountForm({ onCreated }: { onCreated: (account: ManagerView) => void }) {
  const { t } = useHubShell();
  const empty = { name: '', password: '', role: 'manager' as HubUserRole, storeIds: [] as string[] };
  const [draft, setDraft] = useState(empty);
  const { run, busy, feedback } = useAction();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void run(async () => {
      const account = await hubApi.createUser({ name: draft.name.trim(), password: draft.password, role: draft.role, storeIds: draft.role === 'manager' ? draft.storeIds : [] });
      setDraft(empty);
      onCreated(account);
    }, t('refdata.saved')).finally(() => setDraft((d) => ({ ...d, password: '' })));
  };
  return (
    <form className="hub-card refdata-form refdata-inline" aria-label={t('accounts.new')} onSubmit={submit}>
      <h2>{t('accounts.new')}</h2>
      <label>{t('accounts.name')}<input value={draft.name} maxLength={40} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
      <label>{t('accounts.password')}
        <input type="password" autoComplete="new-password" value={draft.password} minLength={10} maxLength={200} required title={t('accounts.passwordHint')} onChange={(e) => setDraft({ ...draft, password: e.target.value })} />
      </label>
      <label>{t('accounts.role')}
        <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as HubUserRole })}>
          {ACCOUNT_ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
        </select>
      </label>
      {draft.role === 'manager' && <StorePicker value={draft.storeIds} onChange={(storeIds) => setDraft({ ...draft, storeIds })} />}
      <button type="submit" className="primary" disabled={busy || (draft.role === 'manager' && draft.storeIds.length === 0)}>{t('accounts.create')}</button>
      {feedback}
    </form>
  );
}
