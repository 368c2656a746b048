import type { HubDb } from '../db/database';
import { storesOfUser } from '../db/user-stores';
import { HubHttpError } from '../http/io';

/**
 * Which stores' reports an account may see: the one place the reports and exports decide it. The owner and the
 * finance role (reports, reconciliation and exports of the whole chain) see every store; a manager account sees
 * the stores it is given; any other role sees none (a role added later gets nothing until it is named here).
 */
export async function reportableStores(db: HubDb, user: { user_id: string; role: string }): Promise<'all' | string[]> {
  if (user.role === 'owner' || user.role === 'finance') return 'all';
  if (user.role === 'manager') return storesOfUser(db, user.user_id);
  return [];
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
    if (!existing.has(storeId) || (allowed !== 'all' && !allowed.includes(storeId))) {
      throw new HubHttpError(403, 'FORBIDDEN', '您不能查看这个门店 / You may not see this store');
    }
  }
  return unique;
}
