import type { HubDb } from './database';

/** Small key/value facts about this hub (its id). Inserted once; a second start reads the first value. */
export async function ensureMeta(db: HubDb, key: string, makeValue: () => string): Promise<string> {
  await db.insertInto('hub_meta').values({ key, value: makeValue() }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('hub_meta').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
