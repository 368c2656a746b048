import { useEffect, useState } from 'react';
import { MAX_QUICK_ITEMS, quickKeyLetter, type ItemView } from '../../shared/items';
import { fen, formatYuan } from '../../shared/money';
import { EMPTY_ITEM_FORM, filterItems, formFromItem, itemFromForm, type ItemForm } from './item-form';
import { Feedback, PinInput } from './pin-input';
import { HubManagedNote, useHubManaged } from './hub-managed-note';
import { isPin, useLoad, useManager, withApproval } from './use-manager';

/** An item being added (id null) or changed, as typed so far. */
interface Editing {
  id: number | null;
  form: ItemForm;
}

/**
 * The store's item list: the cashier's quick items and the products sold by barcode. Every save takes a manager's
 * PIN ('items-change'); items are never deleted, only taken off sale. The cashier screen follows at once.
 */
export function ItemsTab() {
  const { api, m, time } = useManager();
  const items = useLoad(api, 'items.list', { includeInactive: true });
  const { setValue } = items;
  const [search, setSearch] = useState('');
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const hubUrl = useHubManaged();

  // Another manager window (or this one) saved: the pushed list is the whole list.
  useEffect(() => api.on('items.updated', (list) => setValue(list)), [api, setValue]);

  const shown = filterItems(items.value ?? [], search, showInactive);
  const open = (next: Editing): void => {
    setOk(null);
    setEditing(next);
  };

  return (
    <section className="mgr-section" aria-labelledby="mgr-items-title">
      <div className="mgr-toolbar">
        <h2 id="mgr-items-title">{m('items.title')}</h2>
        <label>
          {m('items.search')}
          <input type="search" value={search} maxLength={64} placeholder={m('items.searchHint')} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className="mgr-check">
          <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />
          {m('items.showInactive')}
        </label>
        {hubUrl === null && (
          <button type="button" onClick={() => open({ id: null, form: EMPTY_ITEM_FORM })}>
            {m('items.add')}
          </button>
        )}
      </div>
      <HubManagedNote hubUrl={hubUrl} what="items" />
      {editing && (
        <ItemEditor
          key={editing.id ?? 'new'}
          editing={editing}
          items={items.value ?? []}
          onSaved={(saved) => {
            setEditing(null);
            setOk(m('items.saved', { name: saved.name }));
            items.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <Feedback error={items.error} ok={ok} />
      <table className="mgr-table" aria-label={m('items.title')}>
        <thead>
          <tr>
            <th>{m('items.name')}</th>
            <th>{m('items.barcode')}</th>
            <th className="num">{m('items.price')}</th>
            <th>{m('items.quick')}</th>
            <th>{m('items.quickKey')}</th>
            <th>{m('items.state')}</th>
            <th>{m('items.updatedAt')}</th>
            <th>{m('staff.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && (
            <tr>
              <td colSpan={8}>{items.value === null ? m('common.loading') : m('items.none')}</td>
            </tr>
          )}
          {shown.map((item) => (
            <tr key={item.id}>
              <td>{item.name}</td>
              <td>{item.barcode ?? '—'}</td>
              <td className="num">{formatYuan(fen(item.priceFen))}</td>
              <td>{item.quick ? m('common.yes') : m('common.no')}</td>
              <td>{item.quickKey === null ? (item.quick && item.active ? m('items.noFreeKey') : '—') : quickKeyLetter(item.quickKey)}</td>
              <td>{item.active ? m('items.onSale') : <span className="mgr-tag">{m('items.offSale')}</span>}</td>
              <td>{time(item.updatedAt)}</td>
              <td className="mgr-row-actions">
                <button type="button" onClick={() => open({ id: item.id, form: formFromItem(item) })} aria-label={m('items.editOne', { name: item.name })}>
                  {m('items.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ItemEditor({ editing, items, onSaved, onCancel }: { editing: Editing; items: readonly ItemView[]; onSaved: (item: ItemView) => void; onCancel: () => void }) {
  const { api, m } = useManager();
  const [form, setForm] = useState<ItemForm>(editing.form);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ItemForm>(field: K, value: ItemForm[K]): void => setForm({ ...form, [field]: value });

  const save = async (): Promise<void> => {
    const checked = itemFromForm(form);
    if ('problem' in checked) return setError(m(checked.problem));
    if (!isPin(pin)) return setError(m('items.needsPin'));
    setBusy(true);
    const r = await withApproval(api, 'items-change', pin, (approvalToken) =>
      api.call('items.save', { ...(editing.id !== null ? { id: editing.id } : {}), item: checked.item, approvalToken }),
    );
    setBusy(false);
    setPin('');
    if (!r.ok) return setError(r.error.message);
    setError(null);
    onSaved(r.value);
  };

  const title = editing.id === null ? m('items.add') : m('items.editOne', { name: editing.form.name });
  return (
    <form
      className="mgr-card mgr-item-editor"
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{title}</h3>
      <div className="mgr-toolbar">
        <label>
          {m('items.name')}
          <input value={form.name} maxLength={64} required onChange={(e) => set('name', e.target.value)} />
        </label>
        <label>
          {m('items.barcode')}
          <input value={form.barcode} maxLength={32} autoComplete="off" placeholder={m('items.barcodeHint')} onChange={(e) => set('barcode', e.target.value)} />
        </label>
        <label>
          {m('items.priceYuan')}
          <input value={form.priceYuan} inputMode="decimal" maxLength={12} placeholder="12.50" onChange={(e) => set('priceYuan', e.target.value)} />
        </label>
        <label>
          {m('items.quickKey')}
          {/* Keys stay with their items: picking a held key swaps the two; "keep" leaves every key where it is. */}
          <select value={form.quickKey} disabled={!form.quick || !form.active} onChange={(e) => set('quickKey', e.target.value)}>
            <option value="">{editing.id === null ? m('items.keyFirstFree') : m('items.keyKeep')}</option>
            {Array.from({ length: MAX_QUICK_ITEMS }, (_, key) => {
              const holder = items.find((item) => item.quickKey === key && item.id !== editing.id);
              return (
                <option key={key} value={String(key)}>
                  {holder ? m('items.keyHeld', { key: quickKeyLetter(key), name: holder.name }) : m('items.keyFree', { key: quickKeyLetter(key) })}
                </option>
              );
            })}
          </select>
        </label>
        <label className="mgr-check">
          <input type="checkbox" checked={form.quick} onChange={(e) => set('quick', e.target.checked)} />
          {m('items.quickLong')}
        </label>
        <label className="mgr-check">
          <input type="checkbox" checked={form.active} onChange={(e) => set('active', e.target.checked)} />
          {m('items.onSale')}
        </label>
      </div>
      <div className="mgr-toolbar">
        <PinInput value={pin} onChange={setPin} />
        <button type="submit" disabled={busy}>
          {m('items.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {m('items.cancel')}
        </button>
      </div>
      <Feedback error={error} />
    </form>
  );
}
