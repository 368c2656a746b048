import { useState, type FormEvent } from 'react';
import { HUB_ADMIN_REFDATA_PATHS, msToStoreLocalTime, type ItemView, type PriceScheduleView, type SchedulePriceRequest } from '../../../shared/hub-admin-api';
import { hubRequest } from '../client/hub-client';
import { useHubShell } from '../shell/context';
import { dateTime, money } from '../shell/format';
import { LoadState, useAction, useLoaded, yuanToFen } from './common';

/**
 * One item's scheduled price changes: a new one (the chain price: owner; a store's price: owner or its manager) for
 * a date and time in store time (China, UTC+8, whatever the browser's zone), the list with each state, and cancel
 * while pending. The hub applies them at their time; counters get the price at their next pull.
 */
export function ItemSchedules({ item, version, onChanged }: { item: ItemView; version: number; onChanged: () => void }) {
  const { t, stores, session, language } = useHubShell();
  const role = session.user.role;
  const { loaded, reload } = useLoaded(
    () => hubRequest<PriceScheduleView[]>('GET', `${HUB_ADMIN_REFDATA_PATHS.priceSchedules}?item=${encodeURIComponent(item.itemId)}`),
    `${item.itemId}:${version}`,
  );
  const scopes = [...(role === 'owner' ? [{ value: '', label: t('items.scheduleChain') }] : []), ...stores.map((s) => ({ value: s.storeId, label: t('items.scheduleStore', { store: s.name }) }))];
  const tomorrowNine = `${msToStoreLocalTime(Date.now() + 86_400_000).slice(0, 10)}T09:00`;
  const [draft, setDraft] = useState({ scope: scopes[0]?.value ?? '', price: '', applyAt: tomorrowNine });
  const { run, busy, feedback } = useAction();
  const cancel = useAction();
  const priceFen = yuanToFen(draft.price);
  const scopeName = (storeId: string | null): string =>
    storeId === null ? t('items.scheduleChain') : t('items.scheduleStore', { store: stores.find((s) => s.storeId === storeId)?.name ?? t('refdata.otherStore') });
  const changed = (): void => {
    reload();
    onChanged();
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (priceFen === null) return;
    const request: SchedulePriceRequest = { itemId: item.itemId, storeId: draft.scope === '' ? null : draft.scope, priceFen, applyAt: draft.applyAt };
    void run(async () => {
      await hubRequest<PriceScheduleView>('POST', HUB_ADMIN_REFDATA_PATHS.priceSchedules, request);
      setDraft({ ...draft, price: '' });
      changed();
    }, t('refdata.saved'));
  };
  return (
    <section className="refdata-schedules" aria-label={t('items.scheduled')}>
      <h3>{t('items.scheduled')}</h3>
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && loaded.value.length === 0 && <p className="hub-muted">{t('items.noSchedules')}</p>}
      {loaded.state === 'ready' && loaded.value.length > 0 && (
        <ul className="refdata-list">
          {loaded.value.map((s) => (
            <li key={s.scheduleId}>
              <span>{t('items.scheduleLine', { when: dateTime(s.applyAt, language), scope: scopeName(s.storeId), price: money(s.priceFen), who: s.createdByName })}</span>{' '}
              <strong className={s.state === 'pending' ? 'hub-notice' : 'hub-muted'}>{t(`items.scheduleState.${s.state}`)}</strong>{' '}
              {s.state === 'pending' && role !== 'finance' && (s.storeId !== null || role === 'owner') && (
                <button type="button" disabled={cancel.busy} onClick={() => void cancel.run(async () => {
                  await hubRequest<PriceScheduleView>('POST', HUB_ADMIN_REFDATA_PATHS.cancelPriceSchedule(s.scheduleId));
                  changed();
                })}>{t('items.cancelSchedule')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {cancel.feedback}
      {role !== 'finance' && scopes.length > 0 && (
        <form className="refdata-form refdata-inline" aria-label={t('items.schedule')} onSubmit={submit}>
          <label>{t('items.scheduleFor')}
            <select value={draft.scope} onChange={(e) => setDraft({ ...draft, scope: e.target.value })}>
              {scopes.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
            </select>
          </label>
          <label>{t('items.newPrice')}<input inputMode="decimal" value={draft.price} required onChange={(e) => setDraft({ ...draft, price: e.target.value })} /></label>
          <label>{t('items.applyAt')}<input type="datetime-local" value={draft.applyAt} required onChange={(e) => setDraft({ ...draft, applyAt: e.target.value })} /></label>
          <button type="submit" className="primary" disabled={busy || priceFen === null}>{t('items.scheduleSubmit')}</button>
          {draft.price !== '' && priceFen === null && <p className="hub-error">{t('refdata.badMoney')}</p>}
          {feedback}
        </form>
      )}
    </section>
  );
}
