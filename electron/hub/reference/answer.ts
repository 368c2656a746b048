import { notifyUrlsOf } from '../merchants/notify-urls';
import type { ReferenceAnswer } from '../../../shared/hub-protocol';
import type { HubDb } from '../db/database';
import { currentRevision, listRevisionsFor } from '../db/revisions';
import { itemsForStore } from './items';
import { staffForStore } from './staff';
import { storeSettingsFor } from './store-settings';

/**
 * `GET reference?since=` for one store's counter. The revision is read FIRST: changes commit in revision order
 * (see nextRevision), so every change up to it is visible to the reads that follow; a change committed meanwhile
 * may already show in a list, and comes again at the next pull (a list is always complete, so twice is harmless).
 *
 * A list is present when it changed for this store after `since`, and then complete: items with this store's
 * prices and availability, staff who work here (disabled ones as inactive, so the counters refuse them), the
 * store's settings. `since = 0`, or a `since` beyond this hub's revision (a counter that knew a hub restored from
 * an older backup), brings everything.
 */
export async function referenceAnswer(db: HubDb, storeId: string, since: number): Promise<ReferenceAnswer> {
  const revision = await currentRevision(db);
  const changed = await listRevisionsFor(db, storeId);
  const everything = since === 0 || since > revision;
  const answer: ReferenceAnswer = { revision };
  if (everything || changed.items > since) answer.items = await itemsForStore(db, storeId);
  if (everything || changed.staff > since) answer.staff = await staffForStore(db, storeId);
  // The counters' copy also names where WeChat notifies this store's orders (the hub's public address).
  if (everything || changed.store > since) answer.store = { ...(await storeSettingsFor(db, storeId)), wechatNotifyUrls: await notifyUrlsOf(db) };
  return answer;
}
