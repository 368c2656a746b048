/**
 * The item editor's form: strings as typed, checked here with the same rules as the main side's schema (so a
 * mistake is named before the manager's PIN is spent), then turned into the item's fields. The price is typed in
 * yuan and becomes integer fen exactly (parseYuan: no floating point).
 */
import { BARCODE_PATTERN, MAX_QUICK_ITEMS, type ItemFields, type ItemView } from '../../shared/items';
import { fenToYuanString, fen, parseYuan } from '../../shared/money';
import type { ManagerMessageKey } from './messages';

export interface ItemForm {
  name: string;
  barcode: string;
  priceYuan: string;
  quick: boolean;
  position: string;
  active: boolean;
  /** The quick key picked: '0' (A) … '11' (L), or '' to keep the item's key (a new item takes the first free one). */
  quickKey: string;
}

export const MAX_PRICE_FEN = 100_000_000;
const MAX_POSITION = 10_000;

export const EMPTY_ITEM_FORM: ItemForm = { name: '', barcode: '', priceYuan: '', quick: true, position: '0', active: true, quickKey: '' };

export function formFromItem(item: ItemView): ItemForm {
  return {
    name: item.name,
    barcode: item.barcode ?? '',
    priceYuan: fenToYuanString(fen(item.priceFen)),
    quick: item.quick,
    position: String(item.position),
    active: item.active,
    quickKey: item.quickKey === null ? '' : String(item.quickKey),
  };
}

/** The item's fields, or the first problem (a message key) with the field it is about. */
export function itemFromForm(form: ItemForm): { item: ItemFields } | { field: keyof ItemForm; problem: ManagerMessageKey } {
  const name = form.name.trim();
  if (name.length === 0 || name.length > 64) return { field: 'name', problem: 'items.badName' };
  const barcode = form.barcode.trim();
  if (barcode !== '' && !BARCODE_PATTERN.test(barcode)) return { field: 'barcode', problem: 'items.badBarcode' };
  const priceFen = parseYuan(form.priceYuan);
  if (priceFen === null || priceFen > MAX_PRICE_FEN) return { field: 'priceYuan', problem: 'items.badPrice' };
  const position = form.position.trim() === '' ? 0 : Number(form.position);
  if (!/^\d{0,5}$/.test(form.position.trim()) || position > MAX_POSITION) return { field: 'position', problem: 'items.badPosition' };
  const quickKey = /^\d{1,2}$/.test(form.quickKey) && Number(form.quickKey) < MAX_QUICK_ITEMS ? Number(form.quickKey) : null;
  return { item: { name, barcode: barcode === '' ? null : barcode, priceFen, quick: form.quick, position, active: form.active, quickKey } };
}

/** Items whose name or barcode contains the search text (case-insensitive), inactive ones only when asked. */
export function filterItems(items: readonly ItemView[], search: string, includeInactive: boolean): ItemView[] {
  const needle = search.trim().toLowerCase();
  return items.filter(
    (item) => (includeInactive || item.active) && (needle === '' || item.name.toLowerCase().includes(needle) || (item.barcode ?? '').toLowerCase().includes(needle)),
  );
}
