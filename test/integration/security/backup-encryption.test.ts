import BetterSqlite3 from 'better-sqlite3';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CipherUnavailableError } from '../../../electron/security/cipher';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { inspectBackup, restoreBackup } from '../../../electron/security/restore';
import { runRestoreBackup } from '../../../electron/security/restore-backup-cli';
import { MemoryLogger } from '../../../shared/log';
import { makeHarness, tempDir, withStaff, type Harness } from '../../unit/security/fixture';

const modeOf = (file: string): number => statSync(file).mode & 0o777;
const NO_KEYRING = new CipherUnavailableError({ zh: '没有系统密钥环', en: 'no OS keyring' });

/** A store with staff, a sign-in and a stored credential, in a real database file with its key file beside it. */
function store(options: { cipher?: CipherUnavailableError } = {}): Harness & { dbFile: string } {
  const dataDir = tempDir('backup-enc-');
  const dbFile = join(dataDir, 'pos.sqlite');
  const withKey = makeHarness({ dbFile, dataDir, ...(options.cipher ? { cipher: options.cipher } : {}) });
  const { cashierId, approve, managerId } = withStaff(withKey);
  withKey.security.auth.signIn('ws-1', cashierId, '4826');
  if (!options.cipher) {
    withKey.security.secrets.replace({ field: 'merchantCertSerial', value: '5A0B1C2D3E4F5A6B' }, approve('settings-change'), { id: managerId, name: '王店长' });
  }
  return Object.assign(withKey, { dbFile });
}

const keyOf = (dataDir: string) => openKeyFileCipher(join(dataDir, 'secret.key'), { logger: new MemoryLogger() });

describe('backups at rest', () => {
  it('are encrypted with the install key: no SQLite header, no staff names or audit text in the file, 0600 in a 0700 folder', async () => {
    const h = store();
    const backup = await h.security.backups.backupNow();
    h.db.close();
    expect(backup.file).toMatch(/pos-\d{14}\.sqlite\.enc$/);
    const bytes = readFileSync(backup.file);
    expect(bytes.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    for (const clear of ['王店长', '李收银', 'user.sign-in', 'scrypt$', 'audit_log']) expect(bytes.includes(Buffer.from(clear, 'utf8'))).toBe(false);
    expect(modeOf(backup.file)).toBe(0o600);
    expect(modeOf(join(h.dataDir, 'backups'))).toBe(0o700);
    // Nothing plain is left behind where the copy was made.
    expect(existsSync(join(h.dataDir, `${backup.file.split('/').pop() ?? ''}.plain-partial`))).toBe(false);
    expect(inspectBackup(backup.file, { cipher: keyOf(h.dataDir) })).toMatchObject({ integrity: 'ok', encrypted: true, audit: { ok: true } });
  });

  it('cannot be restored on another install: refused in words, the database there left as it was', async () => {
    const h = store();
    const backup = await h.security.backups.backupNow();
    h.db.close();
    const other = store();
    other.db.close();
    const before = readFileSync(other.dbFile);
    const lines: string[] = [];
    expect(runRestoreBackup([backup.file, other.dataDir], (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(/restore refused: this backup is encrypted and cannot be read without the key of the install that made it/);
    expect(lines.join('\n')).toMatch(/WeChat Pay credentials must be entered again/);
    expect(readFileSync(other.dbFile).equals(before)).toBe(true);
    // On its own install the same file restores, through the same command (the key file is found in the data folder).
    const own: string[] = [];
    expect(runRestoreBackup([backup.file, h.dataDir], (l) => own.push(l))).toBe(0);
    expect(own.join('\n')).not.toMatch(/not encrypted|cannot be decrypted|no PIN can be checked/);
  });

  it('refuse an encrypted backup whose bytes were altered', async () => {
    const h = store();
    const backup = await h.security.backups.backupNow();
    h.db.close();
    const bytes = readFileSync(backup.file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    writeFileSync(backup.file, bytes);
    expect(() => restoreBackup(backup.file, h.dataDir, { cipher: keyOf(h.dataDir) })).toThrow(/altered or is damaged/);
    expect(existsSync(join(h.dataDir, 'pos.sqlite.restoring'))).toBe(false);
  });

  it('without a secret store are kept plain (0600) and say so; an old plain backup still restores, saying it was not encrypted', async () => {
    const h = store({ cipher: NO_KEYRING });
    const backup = await h.security.backups.backupNow();
    h.db.close();
    expect(backup).toMatchObject({ encrypted: false });
    expect(backup.file).toMatch(/\.sqlite$/);
    expect(modeOf(backup.file)).toBe(0o600);
    expect(h.logger.text()).toMatch(/backup written unencrypted/);
    const lines: string[] = [];
    expect(runRestoreBackup([backup.file, h.dataDir], (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toMatch(/note: this backup was not encrypted/);
  });

  it('restored onto another install say which stored credentials must be entered again, and that staff PINs must be set again', async () => {
    // A plain backup (as older versions wrote them) carries credentials sealed by the first install's key.
    const first = store();
    first.db.close();
    const copy = join(first.dataDir, 'old-style.sqlite');
    const src = new BetterSqlite3(first.dbFile);
    await src.backup(copy);
    src.close();
    const other = store();
    other.db.close();
    const lines: string[] = [];
    expect(runRestoreBackup([copy, other.dataDir], (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toMatch(/WARNING: 1 stored WeChat Pay credential\(s\) cannot be decrypted on this install.*enter them again/);
    expect(lines.join('\n')).toMatch(/WARNING: the staff PINs in this backup were protected by a secret of the install that made it: no PIN can be checked here/);
    expect(modeOf(join(other.dataDir, 'pos.sqlite'))).toBe(0o600);
  });
});
