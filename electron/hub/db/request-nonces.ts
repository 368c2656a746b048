import type { HubDb } from './database';

/**
 * Records a signed request's nonce; false when this terminal already used it (a replay). The unique key does the
 * check, so two copies of one request racing each other cannot both pass.
 */
export async function recordNonce(db: HubDb, terminalId: string, nonce: string, now: number): Promise<boolean> {
  const result = await db
    .insertInto('request_nonces')
    .values({ terminal_id: terminalId, nonce, seen_at: now })
    .onConflict((oc) => oc.columns(['terminal_id', 'nonce']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Nonces older than the accepted clock skew cannot be replayed anyway (their timestamp is refused). */
export async function forgetNoncesBefore(db: HubDb, before: number): Promise<void> {
  await db.deleteFrom('request_nonces').where('seen_at', '<', before).execute();
}
