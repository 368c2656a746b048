import { otherStore, readableStores } from '../access';
import type { HubDb } from '../db/database';
import type { UserRow } from '../db/users';

/**
 * Which stores' reports an account may see: what `readableStores` (../access.ts) decides for every admin route
 * (owner and finance: every store; a manager account: the stores it is given), as 'all' or a list.
 */
export async function reportableStores(db: HubDb, user: Pick<UserRow, 'user_id' | 'role'>): Promise<'all' | string[]> {
  const scope = await readableStores(db, user);
  return scope === null ? 'all' : [...scope];
}

/**
 * The stores a report covers: those asked for, each of which the account must be allowed to see (else 403, and
 * nothing of any store is sent), or all it may see. Unknown store ids are refused like forbidden ones, so an
 * answer never tells a manager which ids exist elsewhere.
 */
export function narrowStores(allowed: 'all' | readonly string[], asked: readonly string[] | undefined, existing: ReadonlySet<string>): 'all' | string[] {
  if (asked === undefined || asked.length === 0) return allowed === 'all' ? 'all' : [...allowed];
  const unique = [...new Set(asked)];
  for (const storeId of unique) {
    if (!existing.has(storeId) || (allowed !== 'all' && !allowed.includes(storeId))) throw otherStore();
  }
  return unique;
}
