import { useState, type FormEvent } from 'react';
import type { StoreSettingsView } from '../../../shared/hub-admin-api';
import { hubApi } from '../client/hub-client';
import { useHubShell } from '../shell/context';
import { navigate, useHubLocation } from '../shell/router';
import { LoadState, fenToYuan, useAction, useLoaded, yuanToFen } from './common';
import { HistoryList } from './history';

/**
 * Store settings (#/stores?store=): name, address and receipt footer (owner, or the store's manager), the cash-out
 * and refund limits (owner only: they guard money, so a manager cannot raise their own), the history of the store's
 * changes, and (owner) a new store. The WeChat merchant ids are sent back unchanged (they have their own page).
 */
export function StoresPage() {
  const { t, stores, session, reloadStores } = useHubShell();
  const { params } = useHubLocation();
  const storeId = params.get('store') ?? stores[0]?.storeId ?? '';
  const [version, setVersion] = useState(0);
  const { loaded, reload } = useLoaded(() => (storeId ? hubApi.storeSettings(storeId) : Promise.resolve(null)), `${storeId}:${version}`);
  const changed = (): void => {
    setVersion((v) => v + 1);
    reload();
    void reloadStores();
  };
  return (
    <section className="hub-page" aria-labelledby="stores-title">
      <h1 id="stores-title">{t('stores.title')}</h1>
      <div className="hub-toolbar">
        <label>{t('stores.store')}
          <select value={storeId} onChange={(e) => navigate('stores', { store: e.target.value })}>
            {stores.map((s) => <option key={s.storeId} value={s.storeId}>{s.name}</option>)}
          </select>
        </label>
      </div>
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && loaded.value && <SettingsForm key={`${storeId}:${version}`} settings={loaded.value} onChanged={changed} />}
      {storeId && <HistoryList query={{ of: 'store', id: storeId }} version={version} />}
      {session.user.role === 'owner' && <NewStoreForm onCreated={(id) => { changed(); navigate('stores', { store: id }); }} />}
    </section>
  );
}

function SettingsForm({ settings, onChanged }: { settings: StoreSettingsView; onChanged: () => void }) {
  const { t, session } = useHubShell();
  const owner = session.user.role === 'owner';
  const [draft, setDraft] = useState({
    name: settings.name, address: settings.address, receiptFooter: settings.receiptFooter,
    maxCashOut: fenToYuan(settings.maxCashOutFen), maxRefund: fenToYuan(settings.maxRefundFen),
  });
  const { run, busy, feedback } = useAction();
  const maxCashOutFen = yuanToFen(draft.maxCashOut);
  const maxRefundFen = yuanToFen(draft.maxRefund);
  const bad = maxCashOutFen === null || maxRefundFen === null;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (maxCashOutFen === null || maxRefundFen === null) return;
    void run(async () => {
      await hubApi.putStoreSettings(settings.storeId, {
        name: draft.name, address: draft.address, receiptFooter: draft.receiptFooter, maxCashOutFen, maxRefundFen, wechat: settings.wechat,
      });
      onChanged();
    }, t('refdata.saved'));
  };
  return (
    <form className="hub-card refdata-form refdata-settings" aria-label={t('stores.save')} onSubmit={submit}>
      <label>{t('stores.name')}<input value={draft.name} maxLength={40} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
      <label>{t('stores.address')}<input value={draft.address} maxLength={80} onChange={(e) => setDraft({ ...draft, address: e.target.value })} /></label>
      <label>{t('stores.footer')}<textarea value={draft.receiptFooter} maxLength={200} rows={3} onChange={(e) => setDraft({ ...draft, receiptFooter: e.target.value })} /></label>
      <label>{t('stores.maxCashOut')}<input inputMode="decimal" value={draft.maxCashOut} disabled={!owner} onChange={(e) => setDraft({ ...draft, maxCashOut: e.target.value })} /></label>
      <label>{t('stores.maxRefund')}<input inputMode="decimal" value={draft.maxRefund} disabled={!owner} onChange={(e) => setDraft({ ...draft, maxRefund: e.target.value })} /></label>
      {!owner && <p className="hub-muted">{t('stores.limitsOwner')}</p>}
      {bad && <p className="hub-error">{t('refdata.badMoney')}</p>}
      <button type="submit" className="primary" disabled={busy || bad}>{t('stores.save')}</button>
      {feedback}
    </form>
  );
}

function NewStoreForm({ onCreated }: { onCreated: (storeId: string) => void }) {
  const { t } = useHubShell();
  const [name, setName] = useState('');
  const { run, busy, feedback } = useAction();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void run(async () => {
      const store = await hubApi.createStore(name.trim());
      setName('');
      onCreated(store.storeId);
    }, t('refdata.saved'));
  };
  return (
    <form className="hub-card refdata-form refdata-inline" aria-label={t('stores.newStore')} onSubmit={submit}>
      <h2>{t('stores.newStore')}</h2>
      <label>{t('stores.name')}<input value={name} maxLength={60} required onChange={(e) => setName(e.target.value)} /></label>
      <button type="submit" disabled={busy}>{t('stores.createStore')}</button>
      {feedback}
    </form>
  );
}
