import type { HubDb } from './database';
import type { HubTables } from './schema';

export type PairingCodeRow = HubTables['pairing_codes'];

export async function insertPairingCode(db: HubDb, row: PairingCodeRow): Promise<void> {
  await db.insertInto('pairing_codes').values(row).execute();
}

/**
 * Uses a code: one guarded UPDATE that only succeeds while the code is unused and unexpired, so two counters
 * racing with the same code cannot both enrol. Returns the store it was made for, or undefined.
 */
export async function consumePairingCode(db: HubDb, codeHash: string, now: number, terminalId: string): Promise<string | undefined> {
  const row = await db
    .updateTable('pairing_codes')
    .set({ used_at: now, used_by_terminal: terminalId })
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('store_id')
    .executeTakeFirst();
  return row?.store_id;
}
