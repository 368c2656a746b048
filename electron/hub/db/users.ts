import type { HubDb } from './database';
import type { HubTables } from './schema';

export type UserRow = HubTables['users'];

export async function countUsers(db: HubDb): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(db: HubDb, user: Omit<UserRow, 'failed_sign_ins' | 'last_failed_at' | 'locked_until' | 'disabled_at'>): Promise<void> {
  await db.insertInto('users').values({ ...user, failed_sign_ins: 0, last_failed_at: null, locked_until: null, disabled_at: null }).execute();
}

export async function findUserByName(db: HubDb, name: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function findUser(db: HubDb, userId: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function recordFailedSignIn(db: HubDb, userId: string, at: number, lockedUntil: number | null): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1), last_failed_at: at, locked_until: lockedUntil }))
    .where('user_id', '=', userId)
    .execute();
}

export async function clearFailedSignIns(db: HubDb, userId: string): Promise<void> {
  await db.updateTable('users').set({ failed_sign_ins: 0, last_failed_at: null, locked_until: null }).where('user_id', '=', userId).execute();
}

export async function setUserPassword(db: HubDb, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, failed_sign_ins: 0, last_failed_at: null, locked_until: null }).where('user_id', '=', userId).execute();
}

export async function setUserDisabled(db: HubDb, userId: string, disabledAt: number | null): Promise<void> {
  await db.updateTable('users').set({ disabled_at: disabledAt }).where('user_id', '=', userId).execute();
}

export async function setUserRole(db: HubDb, userId: string, role: UserRow['role']): Promise<void> {
  await db.updateTable('users').set({ role }).where('user_id', '=', userId).execute();
}

/** Active owners: the last one can be neither disabled nor made something else (nobody could manage the hub). */
export async function countActiveOwners(db: HubDb): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).where('role', '=', 'owner').where('disabled_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}
