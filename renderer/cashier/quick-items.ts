import type { Localized } from '../../shared/i18n';
import { fen } from '../../shared/money';
import { MAX_QUICK_ITEMS, quickKeyLetter, type ItemView } from '../../shared/items';
import type { QuickItem } from './cart';

/** A quick key (0 = A … 11 = L) and the item it holds. */
export interface QuickKey {
  key: number;
  item: QuickItem;
}

/** The cart's view of an item from the store's list (kept on the main side; a manager edits it). */
export function quickItemOf(item: ItemView): QuickItem {
  return { id: `item:${item.id}`, itemId: item.id, name: item.name, unitFen: fen(item.priceFen), ...(item.barcode ? { barcode: item.barcode } : {}) };
}

/**
 * The quick-item buttons: each active quick item on the key it holds, in key order. The key is the item's own
 * (kept by the main side until a manager moves it), never its rank in the list, so adding or removing an item
 * leaves every other key where the cashier's fingers know it.
 */
export function quickItemsFrom(items: readonly ItemView[]): QuickKey[] {
  return items
    .filter((item): item is ItemView & { quickKey: number } => item.quick && item.active && item.quickKey !== null && item.quickKey < MAX_QUICK_ITEMS)
    .sort((a, b) => a.quickKey - b.quickKey)
    .map((item) => ({ key: item.quickKey, item: quickItemOf(item) }));
}

/** The letter of a quick key (A for 0). */
export const quickItemKey = quickKeyLetter;

/**
 * What changed on the keys between two layouts, for the counter's notice ("C 拿铁、D 空"), or null when every key
 * holds the same item as before (a new price alone moves nothing under the cashier's fingers).
 */
export function quickKeyChanges(before: readonly QuickKey[], after: readonly QuickKey[]): Localized | null {
  const holderOf = (layout: readonly QuickKey[], key: number): QuickKey | undefined => layout.find((k) => k.key === key);
  const changes: { letter: string; name: string | null }[] = [];
  for (let key = 0; key < MAX_QUICK_ITEMS; key += 1) {
    const was = holderOf(before, key);
    const now = holderOf(after, key);
    if (was?.item.id === now?.item.id) continue;
    changes.push({ letter: quickItemKey(key), name: now?.item.name ?? null });
  }
  if (changes.length === 0) return null;
  return {
    zh: `店长调整了快捷键：${changes.map((c) => c.name === null ? `${c.letter}（空）` : `${c.letter} ${c.name}`).join('、')}`,
    en: `A manager changed the quick keys: ${changes.map((c) => `${c.letter} ${c.name ?? '(empty)'}`).join(', ')}`,
  };
}
