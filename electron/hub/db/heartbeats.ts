import type { HubDb } from './database';

/** Keeps only the latest state per terminal (the head office's live view); history lives in the facts. */
export async function upsertHeartbeat(db: HubDb, terminalId: string, receivedAt: number, state: string): Promise<void> {
  await db
    .insertInto('heartbeats')
    .values({ terminal_id: terminalId, received_at: receivedAt, state })
    .onConflict((oc) => oc.column('terminal_id').doUpdateSet({ received_at: receivedAt, state }))
    .execute();
}
