/**
 * Restores a backup: stop the POS app first, then
 * `npx tsx electron/security/restore-backup-cli.ts <backup.sqlite> <data-dir>`.
 * Prints where the replaced database was kept. Exit 0 on success, 1 when refused, 2 on a usage error.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appMigrations } from '../db/migrations/index';
import { restoreBackup, RestoreError } from './restore';

export function runRestoreBackup(
  args: readonly string[],
  print: (line: string) => void,
  maxUserVersion = appMigrations.at(-1)?.version ?? 0,
): number {
  const [file, dataDir, ...rest] = args;
  if (!file || !dataDir || rest.some((a) => a !== '--allow-broken-audit')) {
    print('usage: restore-backup-cli <backup.sqlite> <data-dir> [--allow-broken-audit]');
    return 2;
  }
  try {
    const result = restoreBackup(file, dataDir, { maxUserVersion, allowBrokenAudit: rest.includes('--allow-broken-audit') });
    print(`restored ${result.restoredFrom} (schema ${result.userVersion})`);
    print(result.previousKeptAs ? `previous database kept as ${result.previousKeptAs}` : 'there was no previous database');
    if (result.audit && !result.audit.ok) print(`WARNING: ${result.audit.message.en}`);
    return 0;
  } catch (error) {
    print(`restore refused: ${error instanceof RestoreError ? error.message : error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = runRestoreBackup(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
}
