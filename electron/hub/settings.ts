import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { DatabaseTarget } from './db/database';

export const HUB_SETTINGS_FILE = 'hub-settings.json';

const hubSettingsSchema = z.object({ database: z.string().regex(/^postgres(ql)?:\/\//).optional() }).strict();

/**
 * Where the hub keeps its data: `--database postgres://…` wins, else `database` in `<data dir>/hub-settings.json`
 * (so a service manager's command line need not carry the password), else SQLite at `<data dir>/hub.sqlite`.
 * A settings file that does not parse stops the start with a clear message (no silent fallback to SQLite, which
 * would split the chain's data across two databases).
 */
export function resolveDatabaseTarget(dataDir: string, databaseUrl: string | undefined): DatabaseTarget {
  if (databaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('--database must be a postgres:// URL');
    return { engine: 'postgres', url: databaseUrl };
  }
  const file = join(dataDir, HUB_SETTINGS_FILE);
  if (existsSync(file)) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new Error(`${file} is not JSON`);
    }
    const parsed = hubSettingsSchema.safeParse(value);
    if (!parsed.success) throw new Error(`${file}: only {"database": "postgres://…"} is understood`);
    if (parsed.data.database !== undefined) return { engine: 'postgres', url: parsed.data.database };
  }
  return { engine: 'sqlite', file: join(dataDir, 'hub.sqlite') };
}
