import { useState, type FormEvent } from 'react';
import { HUB_ADMIN_REFDATA_PATHS, type ItemView, type PriceScheduleView } from '../../../shared/hub-admin-api';
import { hubApi, hubRequest } from '../client/hub-client';
import { useHubShell } from '../shell/context';
import { money } from '../shell/format';
import { navigate, useHubLocation } from '../shell/router';
import { LoadState, fenToYuan, useAction, useLoaded, yuanToFen } from './common';
import { HistoryList } from './history';
import { ItemSchedules } from './item-schedules';

/**
 * Items and prices (#/items?store=&item=): the chain's list with one store's price and availability beside the
 * chain price, quick keys, a new item (owner), and for the chosen item its chain data (owner), its store price
 * (owner, or the store's manager), scheduled price changes and its history. Finance reads, changes nothing. The
 * store and item live in the address, so a reload keeps the place; the hub checks every change again.
 */
export function ItemsPage() {
  const { t, stores, session } = useHubShell();
  const { params } = useHubLocation();
  const role = session.user.role;
  const storeId = params.get('store') ?? (role === 'manager' ? (stores[0]?.storeId ?? '') : '');
  const itemId = params.get('item') ?? '';
  const store = stores.find((s) => s.storeId === storeId) ?? null;
  const [version, setVersion] = useState(0);
  const { loaded, reload } = useLoaded(() => hubApi.items(), `items:${version}`);
  const pending = useLoaded(() => hubRequest<PriceScheduleView[]>('GET', HUB_ADMIN_REFDATA_PATHS.priceSchedules), `pending:${version}`).loaded;
  const changed = (): void => {
    setVersion((v) => v + 1);
    reload();
  };
  const go = (next: { store?: string; item?: string }): void => {
    const s = next.store ?? storeId;
    const i = next.item ?? itemId;
    navigate('items', { ...(s ? { store: s } : {}), ...(i ? { item: i } : {}) });
  };
  const items = loaded.state === 'ready' ? loaded.value : [];
  const selected = items.find((i) => i.itemId === itemId) ?? null;
  const pendingOf = (id: string): number => (pending.state === 'ready' ? pending.value.filter((p) => p.itemId === id).length : 0);

  return (
    <section className="hub-page" aria-labelledby="items-title">
      <h1 id="items-title">{t('items.title')}</h1>
      <div className="hub-toolbar">
        <label>{t('items.store')}
          <select value={storeId} onChange={(e) => go({ store: e.target.value })}>
            {role !== 'manager' && <option value="">{t('items.chainOnly')}</option>}
            {stores.map((s) => <option key={s.storeId} value={s.storeId}>{s.name}</option>)}
          </select>
        </label>
      </div>
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && (
        <table className="hub-table refdata-table">
          <thead>
            <tr>
              <th>{t('items.name')}</th>
              <th>{t('items.barcode')}</th>
              <th className="num">{t('items.chainPrice')}</th>
              {store && <th className="num">{t('items.storePrice')}</th>}
              {store && <th>{t('items.available')}</th>}
              <th>{t('items.quick')}</th>
              <th>{t('items.state')}</th>
              <th>{t('refdata.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const override = item.overrides.find((o) => o.storeId === storeId);
              return (
                <tr key={item.itemId} className={item.itemId === itemId ? 'refdata-selected' : undefined}>
                  <td>{item.name}</td>
                  <td>{item.barcode ?? ''}</td>
                  <td className="num">{money(item.priceFen)}</td>
                  {store && <td className="num">{money(override?.priceFen ?? item.priceFen)}{override?.priceFen != null && ' *'}</td>}
                  {store && <td>{(override?.available ?? true) ? t('refdata.yes') : t('refdata.no')}</td>}
                  <td>{item.quick ? String((item.position ?? 0) + 1) : ''}</td>
                  <td>
                    {item.active ? t('refdata.active') : t('refdata.inactive')}
                    {pendingOf(item.itemId) > 0 && <span className="refdata-badge">{t('items.pendingCount', { count: pendingOf(item.itemId) })}</span>}
                  </td>
                  <td>
                    <button type="button" aria-label={`${t('refdata.edit')} ${item.name}`} onClick={() => go({ item: item.itemId })}>{t('refdata.edit')}</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {selected && (
        <ItemEditor key={`${selected.itemId}:${storeId}`} item={selected} storeId={store?.storeId ?? null} version={version} onChanged={changed} onClose={() => navigate('items', storeId ? { store: storeId } : {})} />
      )}
      {role === 'owner' && <NewItemForm onCreated={(item) => { changed(); go({ item: item.itemId }); }} />}
    </section>
  );
}

function ItemEditor({ item, storeId, version, onChanged, onClose }: { item: ItemView; storeId: string | null; version: number; onChanged: () => void; onClose: () => void }) {
  const { t, stores, session } = useHubShell();
  const role = session.user.role;
  const store = stores.find((s) => s.storeId === storeId) ?? null;
  return (
    <section className="hub-card refdata-editor" aria-label={t('items.editTitle', { name: item.name })}>
      <div className="refdata-editor-head">
        <h2>{t('items.editTitle', { name: item.name })}</h2>
        <button type="button" onClick={onClose}>{t('refdata.close')}</button>
      </div>
      <div className="refdata-columns">
        {role === 'owner' && <ChainItemForm item={item} onChanged={onChanged} />}
        {store && role !== 'finance' && <StorePriceForm item={item} storeId={store.storeId} storeName={store.name} onChanged={onChanged} />}
      </div>
      <ItemSchedules item={item} version={version} onChanged={onChanged} />
      <HistoryList query={{ of: 'item', id: item.itemId }} version={version} />
    </section>
  );
}

function ChainItemForm({ item, onChanged }: { item: ItemView; onChanged: () => void }) {
  const { t } = useHubShell();
  const [draft, setDraft] = useState({
    name: item.name, barcode: item.barcode ?? '', price: fenToYuan(item.priceFen), quick: item.quick, position: String((item.position ?? 0) + 1), active: item.active,
  });
  const { run, busy, feedback } = useAction();
  const priceFen = yuanToFen(draft.price);
  const position = Number(draft.position);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (priceFen === null) return;
    void run(async () => {
      await hubApi.updateItem(item.itemId, {
        name: draft.name, barcode: draft.barcode.trim() === '' ? null : draft.barcode.trim(), priceFen, quick: draft.quick, active: draft.active,
        ...(draft.quick && Number.isInteger(position) && position >= 1 && position - 1 !== item.position ? { position: position - 1 } : {}),
      });
      onChanged();
    }, t('refdata.saved'));
  };
  return (
    <form className="refdata-form" aria-label={t('items.chainPart')} onSubmit={submit}>
      <h3>{t('items.chainPart')}</h3>
      <label>{t('items.name')}<input value={draft.name} maxLength={64} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
      <label>{t('items.barcode')}<input value={draft.barcode} maxLength={32} onChange={(e) => setDraft({ ...draft, barcode: e.target.value })} /></label>
      <label>{t('items.chainPrice')}<input inputMode="decimal" value={draft.price} aria-invalid={priceFen === null} onChange={(e) => setDraft({ ...draft, price: e.target.value })} /></label>
      {priceFen === null && <p className="hub-error">{t('refdata.badMoney')}</p>}
      <label className="refdata-check"><input type="checkbox" checked={draft.quick} onChange={(e) => setDraft({ ...draft, quick: e.target.checked })} />{t('items.quick')}</label>
      {draft.quick && <label>{t('items.position')}<input type="number" min={1} max={1000} value={draft.position} onChange={(e) => setDraft({ ...draft, position: e.target.value })} /></label>}
      <label className="refdata-check"><input type="checkbox" checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.target.checked })} />{t('refdata.active')}</label>
      <button type="submit" className="primary" disabled={busy || priceFen === null}>{t('items.saveChain')}</button>
      {feedback}
    </form>
  );
}

function StorePriceForm({ item, storeId, storeName, onChanged }: { item: ItemView; storeId: string; storeName: string; onChanged: () => void }) {
  const { t } = useHubShell();
  const override = item.overrides.find((o) => o.storeId === storeId);
  const [price, setPrice] = useState(override?.priceFen != null ? fenToYuan(override.priceFen) : '');
  const [available, setAvailable] = useState(override?.available ?? true);
  const { run, busy, feedback } = useAction();
  const priceFen = price.trim() === '' ? null : yuanToFen(price);
  const bad = price.trim() !== '' && priceFen === null;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (bad) return;
    void run(async () => {
      await hubApi.setItemOverride(item.itemId, storeId, { priceFen, available });
      onChanged();
    }, t('refdata.saved'));
  };
  return (
    <form className="refdata-form" aria-label={t('items.storePart', { store: storeName })} onSubmit={submit}>
      <h3>{t('items.storePart', { store: storeName })}</h3>
      <label>{t('items.storePrice')}
        <input inputMode="decimal" value={price} placeholder={fenToYuan(item.priceFen)} aria-invalid={bad} aria-describedby="store-price-hint" onChange={(e) => setPrice(e.target.value)} />
      </label>
      <span id="store-price-hint" className="hub-muted">{t('items.storePriceHint')}</span>
      {bad && <p className="hub-error">{t('refdata.badMoney')}</p>}
      <label className="refdata-check"><input type="checkbox" checked={available} onChange={(e) => setAvailable(e.target.checked)} />{t('items.available')}</label>
      <button type="submit" className="primary" disabled={busy || bad}>{t('items.saveStore')}</button>
      {feedback}
    </form>
  );
}

function NewItemForm({ onCreated }: { onCreated: (item: ItemView) => void }) {
  const { t } = useHubShell();
  const empty = { name: '', barcode: '', price: '', quick: false };
  const [draft, setDraft] = useState(empty);
  const { run, busy, feedback } = useAction();
  const priceFen = yuanToFen(draft.price);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (priceFen === null) return;
    void run(async () => {
      const item = await hubApi.createItem({ name: draft.name, barcode: draft.barcode.trim() === '' ? null : draft.barcode.trim(), priceFen, quick: draft.quick });
      setDraft(empty);
      onCreated(item);
    }, t('refdata.saved'));
  };
  return (
    <form className="hub-card refdata-form refdata-inline" aria-label={t('items.new')} onSubmit={submit}>
      <h2>{t('items.new')}</h2>
      <label>{t('items.name')}<input value={draft.name} maxLength={64} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
      <label>{t('items.barcode')}<input value={draft.barcode} maxLength={32} onChange={(e) => setDraft({ ...draft, barcode: e.target.value })} /></label>
      <label>{t('items.chainPrice')}<input inputMode="decimal" value={draft.price} required onChange={(e) => setDraft({ ...draft, price: e.target.value })} /></label>
      <label className="refdata-check"><input type="checkbox" checked={draft.quick} onChange={(e) => setDraft({ ...draft, quick: e.target.checked })} />{t('items.quick')}</label>
      <button type="submit" className="primary" disabled={busy || (draft.price !== '' && priceFen === null)}>{t('items.create')}</button>
      {draft.price !== '' && priceFen === null && <p className="hub-error">{t('refdata.badMoney')}</p>}
      {feedback}
    </form>
  );
}
