import type { HubDb } from './db/database';
import { storesOfUser } from './db/user-stores';
import type { UserRow } from './db/users';
import { HubHttpError } from './http/io';

/**
 * Who may see which stores at the hub (issue 15). The owner and finance read every store (finance reads reports,
 * reconciliation and exports: the money of the whole chain); a manager reads only the stores given to the
 * account. Changes are narrower (reference/change.ts, and `assertMayOperate` below): finance changes nothing but
 * its own sign-in. Every admin route asks here; the pages only hide what the hub refuses anyway.
 */
export type StoreScope = readonly string[] | null;

/** The stores whose data the user may read: null for all. */
export async function readableStores(db: HubDb, user: Pick<UserRow, 'user_id' | 'role'>): Promise<StoreScope> {
  return user.role === 'manager' ? storesOfUser(db, user.user_id) : null;
}

export function mayRead(scope: StoreScope, storeId: string | null): boolean {
  if (scope === null) return true;
  return storeId !== null && scope.includes(storeId);
}

export const otherStore = (): HubHttpError => new HubHttpError(403, 'FORBIDDEN', '您不能查看这个门店 / You may not see this store');

export function assertMayRead(scope: StoreScope, storeId: string): void {
  if (!mayRead(scope, storeId)) throw otherStore();
}

/** Counters, staff, items, settings: the owner's and the managers' (of their stores), never finance's. */
export function assertMayOperate(user: Pick<UserRow, 'role'>): void {
  if (user.role === 'finance') throw new HubHttpError(403, 'FORBIDDEN', '财务账户不能修改门店、员工、商品或设置 / A finance account cannot change stores, staff, items or settings');
}
