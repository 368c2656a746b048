import type { HubDb } from './database';

/** Small key/value facts about this hub (its id). Inserted once; a second start reads the first value. */
export async function ensureMeta(db: HubDb, key: string, makeValue: () => string): Promise<string> {
  await db.insertInto('hub_meta').values({ key, value: makeValue() }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('hub_meta').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

export async function readMeta(db: HubDb, key: string): Promise<string | null> {
  const row = await db.selectFrom('hub_meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

/** Sets (or, with null, removes) a setting kept in hub_meta. */
export async function writeMeta(db: HubDb, key: string, value: string | null): Promise<void> {
  if (value === null) {
    await db.deleteFrom('hub_meta').where('key', '=', key).execute();
    return;
  }
  await db.insertInto('hub_meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}
