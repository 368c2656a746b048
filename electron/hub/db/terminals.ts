import type { HubDb } from './database';
import type { HubTables } from './schema';

export type TerminalRow = HubTables['terminals'];

/** Inserts unless the id is taken (ids are drawn at random): false means draw another one. */
export async function insertTerminal(db: HubDb, row: TerminalRow): Promise<boolean> {
  const result = await db.insertInto('terminals').values(row).onConflict((oc) => oc.column('terminal_id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findTerminal(db: HubDb, terminalId: string): Promise<TerminalRow | undefined> {
  return db.selectFrom('terminals').selectAll().where('terminal_id', '=', terminalId).executeTakeFirst();
}

export async function listTerminals(db: HubDb): Promise<(TerminalRow & { heartbeat_at: number | null; heartbeat: string | null })[]> {
  return db
    .selectFrom('terminals')
    .leftJoin('heartbeats', 'heartbeats.terminal_id', 'terminals.terminal_id')
    .selectAll('terminals')
    .select(['heartbeats.received_at as heartbeat_at', 'heartbeats.state as heartbeat'])
    .orderBy('terminals.store_id')
    .orderBy('terminals.enrolled_at')
    .execute();
}

export async function revokeTerminal(db: HubDb, terminalId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('terminals')
    .set({ revoked_at: now })
    .where('terminal_id', '=', terminalId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function touchTerminal(db: HubDb, terminalId: string, now: number): Promise<void> {
  await db.updateTable('terminals').set({ last_seen_at: now }).where('terminal_id', '=', terminalId).execute();
}

/** After a push: the high-water moves only forwards; the terminal was seen now. One statement, in the push's transaction. */
export async function setHighWaterAndLastSeen(db: HubDb, terminalId: string, highWater: number, now: number): Promise<void> {
  await db
    .updateTable('terminals')
    .set((eb) => ({
      high_water: eb.case().when('high_water', '<', highWater).then(highWater).else(eb.ref('high_water')).end(),
      last_seen_at: now,
    }))
    .where('terminal_id', '=', terminalId)
    .execute();
}
