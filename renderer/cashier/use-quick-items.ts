import { useEffect, useRef, useState } from 'react';
import type { PosApi } from '../../shared/api';
import type { Localized } from '../../shared/i18n';
import type { ItemView } from '../../shared/items';
import { quickItemsFrom, quickKeyChanges, type QuickKey } from './quick-items';

/**
 * The quick-item buttons from the store's item list: read once someone is signed in (the main side answers only
 * then), then replaced whenever a manager changes the list ('items.updated' carries the whole list), so the counter
 * never needs a reload for a new price or item. When a key now holds another item (or none), `onKeysChanged` says
 * which, so the cashier is told before pressing a letter out of habit.
 */
export function useQuickItems(api: PosApi, signedIn: boolean, onKeysChanged: (change: Localized) => void): readonly QuickKey[] {
  const [keys, setKeys] = useState<readonly QuickKey[]>([]);
  const shown = useRef<readonly QuickKey[] | null>(null);
  const tell = useRef(onKeysChanged);
  tell.current = onKeysChanged;

  useEffect(() => {
    const take = (list: readonly ItemView[]): void => {
      const next = quickItemsFrom(list);
      const change = shown.current === null ? null : quickKeyChanges(shown.current, next);
      shown.current = next;
      setKeys(next);
      if (change) tell.current(change);
    };
    const off = api.on('items.updated', take);
    if (!signedIn) return off;
    let live = true;
    // One connection carries both the answer and the events in order: whichever arrives last is the newest list.
    void api.call('items.list', {}).then((result) => {
      if (live && result.ok) take(result.value);
    });
    return () => {
      live = false;
      off();
    };
  }, [api, signedIn]);
  return keys;
}
