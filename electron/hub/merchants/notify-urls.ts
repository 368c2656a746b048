import { notifyUrlOf } from '../../../shared/hub-wechat-admin-api';
import type { HubDb } from '../db/database';
import { readMeta } from '../db/meta';

/** The owner's public base URL of the hub (hub_meta), or null while none is set. */
export const PUBLIC_BASE_URL_KEY = 'public_base_url';

/** The notify_url of each API version under the hub's public base URL; null while it is not set. */
export async function notifyUrlsOf(db: HubDb): Promise<{ v3: string; v2: string } | null> {
  const base = await readMeta(db, PUBLIC_BASE_URL_KEY);
  return base === null ? null : { v3: notifyUrlOf(base, 'v3'), v2: notifyUrlOf(base, 'v2') };
}
