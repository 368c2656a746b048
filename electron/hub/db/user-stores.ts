import type { HubDb } from './database';

/** The stores a hub manager account may manage (the owner manages all and has no rows). */
export async function storesOfUser(db: HubDb, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('hub_user_stores').select('store_id').where('user_id', '=', userId).orderBy('store_id').execute();
  return rows.map((r) => r.store_id);
}

export async function setStoresOfUser(db: HubDb, userId: string, storeIds: readonly string[]): Promise<void> {
  await db.deleteFrom('hub_user_stores').where('user_id', '=', userId).execute();
  if (storeIds.length > 0) await db.insertInto('hub_user_stores').values(storeIds.map((store_id) => ({ user_id: userId, store_id }))).execute();
}

export async function listAccounts(db: HubDb): Promise<{
  user_id: string; name: string; role: 'owner' | 'manager' | 'finance'; created_at: number; disabled_at: number | null; locked_until: number | null;
  failed_sign_ins: number;
}[]> {
  return db.selectFrom('users').select(['user_id', 'name', 'role', 'created_at', 'disabled_at', 'locked_until', 'failed_sign_ins']).orderBy('created_at').orderBy('user_id').execute();
}
