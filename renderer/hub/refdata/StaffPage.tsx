import { useState, type FormEvent } from 'react';
import { HUB_STAFF_ROLES, type HubStaffRole, type StaffView } from '../../../shared/hub-admin-api';
import { hubApi } from '../client/hub-client';
import { useHubShell } from '../shell/context';
import { navigate, useHubLocation } from '../shell/router';
import { LoadState, useAction, useLoaded } from './common';
import { HistoryList } from './history';

/**
 * Staff (#/staff?person=): the people who sign in at the counters, their role, stores and state; a new person, a
 * change, a PIN reset and disabling. The owner manages everyone; a store manager the cashiers of its own stores
 * (the hub lists only those who work at one of them, and refuses the rest). A PIN is typed into a password field,
 * sent once, hashed at the hub and never shown again, nor logged.
 */
export function StaffPage() {
  const { t, stores } = useHubShell();
  const { params } = useHubLocation();
  const personId = params.get('person') ?? '';
  const [version, setVersion] = useState(0);
  const { loaded, reload } = useLoaded(() => hubApi.staff(), `staff:${version}`);
  const changed = (): void => {
    setVersion((v) => v + 1);
    reload();
  };
  const people = loaded.state === 'ready' ? loaded.value : [];
  const selected = people.find((p) => p.staffId === personId) ?? null;
  const storeNames = (ids: readonly string[]): string => ids.map((id) => stores.find((s) => s.storeId === id)?.name ?? t('refdata.otherStore')).join('、');
  return (
    <section className="hub-page" aria-labelledby="staff-title">
      <h1 id="staff-title">{t('staff.title')}</h1>
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && (
        <table className="hub-table refdata-table">
          <thead>
            <tr><th>{t('staff.name')}</th><th>{t('staff.role')}</th><th>{t('staff.stores')}</th><th>{t('staff.state')}</th><th>{t('refdata.actions')}</th></tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.staffId} className={p.staffId === personId ? 'refdata-selected' : undefined}>
                <td>{p.name}</td>
                <td>{t(`staff.role.${p.role}`)}</td>
                <td>{storeNames(p.storeIds)}</td>
                <td>{p.active ? t('refdata.active') : t('refdata.inactive')}</td>
                <td><button type="button" aria-label={`${t('refdata.edit')} ${p.name}`} onClick={() => navigate('staff', { person: p.staffId })}>{t('refdata.edit')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <StaffEditor key={selected.staffId} person={selected} version={version} onChanged={changed} />}
      <NewStaffForm onCreated={(p) => { changed(); navigate('staff', { person: p.staffId }); }} />
    </section>
  );
}

/** The roles this person may give: the owner any, a store manager cashiers only (the hub's rule). */
function useGivableRoles(): readonly HubStaffRole[] {
  const { session } = useHubShell();
  return session.user.role === 'owner' ? HUB_STAFF_ROLES : ['cashier'];
}

function StoreChecks({ value, onChange, legend }: { value: string[]; onChange: (ids: string[]) => void; legend: string }) {
  const { stores } = useHubShell();
  return (
    <fieldset className="refdata-checks">
      <legend>{legend}</legend>
      {stores.map((s) => (
        <label key={s.storeId} className="refdata-check">
          <input type="checkbox" checked={value.includes(s.storeId)} onChange={(e) => onChange(e.target.checked ? [...value, s.storeId] : value.filter((id) => id !== s.storeId))} />
          {s.name}
        </label>
      ))}
    </fieldset>
  );
}

function StaffEditor({ person, version, onChanged }: { person: StaffView; version: number; onChanged: () => void }) {
  const { t, stores } = useHubShell();
  const roles = useGivableRoles();
  // Stores the person works at that this account cannot see are kept as they are (the hub would refuse dropping them).
  const hidden = person.storeIds.filter((id) => !stores.some((s) => s.storeId === id));
  const [draft, setDraft] = useState({ name: person.name, role: person.role, storeIds: person.storeIds.filter((id) => !hidden.includes(id)) });
  const [pin, setPin] = useState('');
  const save = useAction();
  const reset = useAction();
  const toggle = useAction();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (draft.storeIds.length + hidden.length === 0) return;
    void save.run(async () => {
      await hubApi.updateStaff(person.staffId, { name: draft.name, role: draft.role, storeIds: [...draft.storeIds, ...hidden] });
      onChanged();
    }, t('refdata.saved'));
  };
  const resetPin = (e: FormEvent): void => {
    e.preventDefault();
    void reset.run(async () => {
      await hubApi.changeStaffPin(person.staffId, pin);
      onChanged();
    }, t('staff.pinReset')).finally(() => setPin(''));
  };
  return (
    <section className="hub-card refdata-editor" aria-label={t('staff.editTitle', { name: person.name })}>
      <div className="refdata-editor-head">
        <h2>{t('staff.editTitle', { name: person.name })}</h2>
        <button type="button" onClick={() => navigate('staff')}>{t('refdata.close')}</button>
      </div>
      <div className="refdata-columns">
        <form className="refdata-form" aria-label={t('staff.save')} onSubmit={submit}>
          <label>{t('staff.name')}<input value={draft.name} maxLength={20} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
          <label>{t('staff.role')}
            <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as HubStaffRole })}>
              {(roles.includes(person.role) ? roles : [person.role, ...roles]).map((r) => <option key={r} value={r}>{t(`staff.role.${r}`)}</option>)}
            </select>
          </label>
          <StoreChecks legend={t('staff.stores')} value={draft.storeIds} onChange={(storeIds) => setDraft({ ...draft, storeIds })} />
          {draft.storeIds.length + hidden.length === 0 && <p className="hub-error">{t('staff.pickStore')}</p>}
          <button type="submit" className="primary" disabled={save.busy}>{t('staff.save')}</button>
          {save.feedback}
        </form>
        <div className="refdata-form">
          <form className="refdata-form" aria-label={t('staff.resetPin')} onSubmit={resetPin}>
            <label>{t('staff.newPin')}
              <input type="password" inputMode="numeric" autoComplete="new-password" value={pin} maxLength={16} required aria-describedby="pin-hint" onChange={(e) => setPin(e.target.value)} />
            </label>
            <span id="pin-hint" className="hub-muted">{t('staff.pinHint')}</span>
            <button type="submit" disabled={reset.busy}>{t('staff.resetPin')}</button>
            {reset.feedback}
          </form>
          <button type="button" disabled={toggle.busy} onClick={() => void toggle.run(async () => {
            await hubApi.updateStaff(person.staffId, { active: !person.active });
            onChanged();
          }, t('refdata.saved'))}>{person.active ? t('staff.disable') : t('staff.enable')}</button>
          {toggle.feedback}
        </div>
      </div>
      <HistoryList query={{ of: 'staff', id: person.staffId }} version={version} />
    </section>
  );
}

function NewStaffForm({ onCreated }: { onCreated: (person: StaffView) => void }) {
  const { t, stores } = useHubShell();
  const roles = useGivableRoles();
  const empty = { name: '', role: 'cashier' as HubStaffRole, pin: '', storeIds: stores.length === 1 ? [stores[0]?.storeId ?? ''] : [] };
  const [draft, setDraft] = useState(empty);
  const { run, busy, feedback } = useAction();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (draft.storeIds.length === 0) return;
    void run(async () => {
      const person = await hubApi.createStaff({ name: draft.name, role: draft.role, pin: draft.pin, storeIds: draft.storeIds });
      setDraft(empty);
      onCreated(person);
    }, t('refdata.saved')).finally(() => setDraft((d) => ({ ...d, pin: '' })));
  };
  return (
    <form className="hub-card refdata-form refdata-inline" aria-label={t('staff.new')} onSubmit={submit}>
      <h2>{t('staff.new')}</h2>
      <label>{t('staff.name')}<input value={draft.name} maxLength={20} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
      <label>{t('staff.role')}
        <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as HubStaffRole })}>
          {roles.map((r) => <option key={r} value={r}>{t(`staff.role.${r}`)}</option>)}
        </select>
      </label>
      <label>{t('staff.pin')}
        <input type="password" inputMode="numeric" autoComplete="new-password" value={draft.pin} maxLength={16} required title={t('staff.pinHint')} onChange={(e) => setDraft({ ...draft, pin: e.target.value })} />
      </label>
      <StoreChecks legend={t('staff.stores')} value={draft.storeIds} onChange={(storeIds) => setDraft({ ...draft, storeIds })} />
      <button type="submit" className="primary" disabled={busy || draft.storeIds.length === 0}>{t('staff.create')}</button>
      {feedback}
    </form>
  );
}
