import { fen } from '../../shared/money';
import { MAX_QUICK_ITEMS, type ItemView } from '../../shared/items';
import type { QuickItem } from './cart';

/** The cart's view of an item from the store's list (kept on the main side; a manager edits it). */
export function quickItemOf(item: ItemView): QuickItem {
  return { id: `item:${item.id}`, itemId: item.id, name: item.name, unitFen: fen(item.priceFen), ...(item.barcode ? { barcode: item.barcode } : {}) };
}

/** The quick-item buttons: active quick items in the manager's order, at most as many as there are keys (A–L). */
export function quickItemsFrom(items: readonly ItemView[]): QuickItem[] {
  return items
    .filter((item) => item.quick && item.active)
    .sort((a, b) => a.position - b.position || a.id - b.id)
    .slice(0, MAX_QUICK_ITEMS)
    .map(quickItemOf);
}

/** The letter key that adds the item at `index` (A for the first). */
export function quickItemKey(index: number): string {
  return String.fromCharCode('A'.charCodeAt(0) + index);
}
