import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { z } from 'zod';
import type { createManagerRequestSchema, ManagerView } from '../../../shared/hub-admin-api';
import type { HubDb } from '../db/database';
import { findStore } from '../db/stores';
import { setStoresOfUser, listAccounts, storesOfUser } from '../db/user-stores';
import { findUserByName, insertUser } from '../db/users';
import { hashPassword } from '../passwords';
import { assertOwner, conflict, inChange, notFound, type Actor } from './change';

/**
 * Hub sign-in accounts. The owner is made at setup; the owner adds managers, each limited to given stores (their
 * items' store prices, cashiers and printed store settings: see change.ts, items.ts, staff.ts,
 * store-settings.ts). Accounts are not reference data for the counters, but making one is audit-logged the same way.
 */
export async function createManager(db: HubDb, clock: Clock, actor: Actor, request: z.output<typeof createManagerRequestSchema>): Promise<ManagerView> {
  assertOwner(actor);
  const passwordHash = await hashPassword(request.password);
  const now = clock.now();
  const userId = randomUUID();
  const storeIds = [...new Set(request.storeIds)].sort();
  await inChange(db, actor, now, async (trx) => {
    for (const storeId of storeIds) if (!(await findStore(trx, storeId))) throw notFound('没有这个门店 / No such store');
    if (await findUserByName(trx, request.name)) throw conflict('已有同名的账户 / An account already has this name');
    await insertUser(trx, { user_id: userId, name: request.name, role: request.role, password_hash: passwordHash, created_at: now });
    await setStoresOfUser(trx, userId, storeIds);
    return { result: null, change: { action: 'account.create', target: userId, detail: { name: request.name, role: request.role, storeIds }, lists: [] } };
  });
  return { userId, name: request.name, role: request.role, storeIds, createdAt: now };
}

export async function listManagerViews(db: HubDb, actor: Actor): Promise<ManagerView[]> {
  assertOwner(actor);
  const views: ManagerView[] = [];
  for (const account of await listAccounts(db)) {
    views.push({ userId: account.user_id, name: account.name, role: account.role, storeIds: account.role !== 'manager' ? [] : await storesOfUser(db, account.user_id), createdAt: account.created_at });
  }
  return views;
}

/**
 * The signed-in account as an actor: the owner manages all stores, a manager the stores given to the account,
 * finance none (it reads every store's reports, but changes no store: access.ts).
 */
export async function actorOf(db: HubDb, user: { user_id: string; name: string; role: 'owner' | 'manager' | 'finance' }, address: string): Promise<Actor> {
  const storeIds = user.role === 'owner' ? null : user.role === 'finance' ? [] : await storesOfUser(db, user.user_id);
  return { userId: user.user_id, name: user.name, role: user.role, storeIds, address };
}
