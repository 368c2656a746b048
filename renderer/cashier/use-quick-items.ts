import { useEffect, useState } from 'react';
import type { PosApi } from '../../shared/api';
import type { QuickItem } from './cart';
import { quickItemsFrom } from './quick-items';

/**
 * The quick-item buttons from the store's item list: read once someone is signed in (the main side answers only
 * then), then replaced whenever a manager changes the list ('items.updated' carries the whole list), so the counter
 * never needs a reload for a new price or item.
 */
export function useQuickItems(api: PosApi, signedIn: boolean): readonly QuickItem[] {
  const [items, setItems] = useState<readonly QuickItem[]>([]);
  useEffect(() => api.on('items.updated', (list) => setItems(quickItemsFrom(list))), [api]);
  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    // One connection carries both the answer and the events in order: whichever arrives last is the newest list.
    void api.call('items.list', {}).then((result) => {
      if (live && result.ok) setItems(quickItemsFrom(result.value));
    });
    return () => {
      live = false;
    };
  }, [api, signedIn]);
  return items;
}
