import type { HubDb } from './database';
import type { HubTables } from './schema';

export type SessionRow = HubTables['sessions'];

export async function insertSession(db: HubDb, session: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export async function findLiveSession(db: HubDb, tokenHash: string, now: number): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
}

export async function deleteSession(db: HubDb, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredSessions(db: HubDb, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

/** Ends every session of an account (disabled, or its password reset by the owner). */
export async function deleteSessionsOfUser(db: HubDb, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
