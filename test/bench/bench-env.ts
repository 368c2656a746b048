import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../shared/clock';
import { appMigrations } from '../../electron/db/migrations';
import { openDatabase, type Database } from '../../electron/db/open';

/** A fresh folder on the real disk (ext4 here: fsync is real) for one benchmark; removed by `dispose`. */
export function benchDir(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), `pos-bench-${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The app's database file with the app's pragmas (WAL, synchronous=FULL, foreign keys) and schema. */
export function openAppDatabase(dir: string, name: string): Database {
  return openDatabase(join(dir, name), appMigrations);
}

export { systemClock };
export { silentLogger } from '../../shared/log';

/** The repository's root: the benchmarks spawn the built app from there. */
export const repoRoot = join(import.meta.dirname, '..', '..');
