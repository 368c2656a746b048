/**
 * Restores a backup: stop the POS app first, then
 * `npx tsx electron/security/restore-backup-cli.ts <backup.sqlite.enc | backup.sqlite> <data-dir>`.
 * Encrypted backups (.sqlite.enc) are opened with the install's key: under the web host the key file
 * `<data-dir>/secret.key`; the Electron app's backups are sealed with the OS keychain, which only the app itself can
 * use: `wechat-pos --restore-backup <file>` (electron/main.ts) runs this same procedure with it.
 * Prints where the replaced database was kept. Exit 0 on success, 1 when refused, 2 on a usage error.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../../shared/log';
import { appMigrations } from '../db/migrations/index';
import { CipherUnavailableError, type SecretCipher } from './cipher';
import { openKeyFileCipher } from './key-file-cipher';
import { restoreBackup, RestoreError } from './restore';

export function runRestoreBackup(
  args: readonly string[],
  print: (line: string) => void,
  maxUserVersion = appMigrations.at(-1)?.version ?? 0,
  cipher?: SecretCipher | CipherUnavailableError,
): number {
  const [file, dataDir, ...rest] = args;
  if (!file || !dataDir || rest.some((a) => a !== '--allow-broken-audit')) {
    print('usage: restore-backup-cli <backup.sqlite.enc | backup.sqlite> <data-dir> [--allow-broken-audit]');
    return 2;
  }
  try {
    const result = restoreBackup(file, dataDir, {
      maxUserVersion,
      allowBrokenAudit: rest.includes('--allow-broken-audit'),
      cipher: cipher ?? keyFileCipherOf(dataDir),
    });
    print(`restored ${result.restoredFrom} (schema ${result.userVersion})`);
    if (!result.encrypted) print('note: this backup was not encrypted (made by an older version, or on a computer without a secret store)');
    print(result.previousKeptAs ? `previous database kept as ${result.previousKeptAs}` : 'there was no previous database');
    if (result.audit && !result.audit.ok) print(`WARNING: ${result.audit.message.en}`);
    if (result.unreadableSecrets > 0) {
      print(
        `WARNING: ${result.unreadableSecrets} stored WeChat Pay credential(s) cannot be decrypted on this install (the backup comes from another ` +
          'computer or the key was replaced): enter them again in the manager window (Settings → keys and certificates) before taking WeChat payments',
      );
    }
    if (result.pinsUnreadable) {
      print(
        'WARNING: the staff PINs in this backup were protected by a secret of the install that made it: no PIN can be checked here. ' +
          'Open the manager window: it asks for the owner again (with the setup code); the owner then sets everyone else\'s PIN on the staff tab',
      );
    }
    return 0;
  } catch (error) {
    print(`restore refused: ${error instanceof RestoreError ? error.message : error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** The web host's key file, if this data folder has one; never creates it (a new key would open nothing). */
function keyFileCipherOf(dataDir: string): SecretCipher | CipherUnavailableError {
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    return new CipherUnavailableError({
      zh: `${dataDir} 中没有密钥文件 secret.key；Electron 版的备份由系统钥匙串加密，请用 wechat-pos --restore-backup <备份文件> 恢复`,
      en: `there is no key file secret.key in ${dataDir}; the Electron app's backups are sealed with the OS keychain: restore them with wechat-pos --restore-backup <file>`,
    });
  }
  try {
    return openKeyFileCipher(file, { logger: silentLogger });
  } catch (error) {
    if (error instanceof CipherUnavailableError) return error;
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = runRestoreBackup(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
}
