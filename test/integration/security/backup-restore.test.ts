import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { integrityCheck } from '../../../electron/security/backup';
import { decryptBackupFile } from '../../../electron/security/backup-file';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { MemoryLogger } from '../../../shared/log';
import { inspectBackup, restoreBackup, RestoreError } from '../../../electron/security/restore';
import { runRestoreBackup } from '../../../electron/security/restore-backup-cli';
import { makeHarness, openSecurityDb, tempDir, withStaff, type Harness } from '../../unit/security/fixture';
import { appMigrations } from '../../../electron/db/migrations/index';

const SCHEMA_VERSION = appMigrations.length;

/** Every table's rows in primary-key order, plus the schema and user_version: equal snapshots, equal databases. */
function snapshot(file: string): Record<string, unknown> {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const schema = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as {
      type: string;
      name: string;
    }[];
    const tables = schema.filter((s) => s.type === 'table').map((s) => s.name);
    return {
      userVersion: db.pragma('user_version', { simple: true }),
      schema,
      rows: Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()])),
    };
  } finally {
    db.close();
  }
}

/** The backup's database, decrypted with the install's own key (backups are sealed; see backup-encryption.test). */
function opened(h: Harness, file: string): string {
  const plain = join(mkdtempSync(join(tmpdir(), 'backup-open-')), 'pos.sqlite');
  decryptBackupFile(file, plain, openKeyFileCipher(join(h.dataDir, 'secret.key'), { logger: new MemoryLogger() }));
  return plain;
}

const ownKey = (h: Harness) => ({ cipher: openKeyFileCipher(join(h.dataDir, 'secret.key'), { logger: new MemoryLogger() }) });

function busyHarness(): Harness & { dbFile: string } {
  const dataDir = tempDir('backup-');
  const dbFile = join(dataDir, 'pos.sqlite');
  const h = makeHarness({ dbFile, dataDir });
  const { cashierId, approve, managerId } = withStaff(h);
  h.security.auth.signIn('ws-1', cashierId, '4826');
  h.security.risk.recordRefund(cashierId, 1200);
  h.security.secrets.replace({ field: 'merchantCertSerial', value: '5A0B1C2D3E4F5A6B' }, approve('settings-change'), { id: managerId, name: '王店长' });
  return Object.assign(h, { dbFile });
}

describe('database backups', () => {
  it('back up and restore to an identical database (every table, every row, the schema)', async () => {
    const h = busyHarness();
    const atBackup = snapshot(h.dbFile);
    const backup = await h.security.backups.backupNow();
    expect(backup.encrypted).toBe(true);
    expect(integrityCheck(opened(h, backup.file))).toBe('ok');
    expect(snapshot(opened(h, backup.file))).toEqual(atBackup);
    // The live database keeps changing after the backup; the restore must bring back the backup's state.
    h.security.audit.append({ id: 'x', name: 'x' }, 'sale.after-backup', { n: 1 });
    h.security.risk.recordFailedScan('u-late');
    const before = snapshot(h.dbFile);
    h.db.close();

    const result = restoreBackup(backup.file, h.dataDir, { now: h.clock.now(), maxUserVersion: SCHEMA_VERSION, ...ownKey(h) });
    expect(result).toMatchObject({ userVersion: SCHEMA_VERSION, audit: { ok: true }, encrypted: true, unreadableSecrets: 0 });
    expect(snapshot(h.dbFile)).toEqual(atBackup);
    expect(result.previousKeptAs && existsSync(result.previousKeptAs)).toBe(true);
    expect(snapshot(result.previousKeptAs ?? '')).toEqual(before);

    const reopened = openSecurityDb(h.dbFile);
    expect((reopened.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBe(3);
    reopened.close();
  });

  it('keep the configured number of copies and never touch other files in the folder', async () => {
    const h = busyHarness();
    h.settings.backup.keep = 3;
    const folder = join(h.dataDir, 'backups');
    for (let day = 0; day < 5; day += 1) {
      await h.security.backups.backupNow();
      h.clock.advance(24 * 60 * 60 * 1000);
    }
    writeFileSync(join(folder, 'notes.txt'), 'keep me');
    await h.security.backups.backupNow();
    const files = readdirSync(folder).sort();
    expect(files).toHaveLength(4);
    expect(files).toContain('notes.txt');
    expect(h.security.backups.list().map((b) => b.at)).toEqual([0, 1, 2].map((i) => h.clock.now() - i * 86_400_000));
    h.db.close();
  });

  it('back up once per Beijing day when asked hourly', async () => {
    const h = busyHarness();
    expect(await h.security.backups.runIfDue()).not.toBeNull();
    h.clock.advance(60 * 60 * 1000);
    expect(await h.security.backups.runIfDue()).toBeNull();
    h.clock.advance(24 * 60 * 60 * 1000);
    expect(await h.security.backups.runIfDue()).not.toBeNull();
    expect(h.security.audit.list(null, 50).filter((e) => e.action === 'backup.created')).toHaveLength(2);
    h.db.close();
  });

  it('start backing up as soon as the timer starts, and stop when told', async () => {
    const h = busyHarness();
    const stop = h.security.backups.start(60 * 60 * 1000);
    await vi.waitFor(() => expect(h.security.backups.list()).toHaveLength(1));
    stop();
    h.db.close();
  });

  it('refuse to restore while the app still has the database open', async () => {
    const h = busyHarness();
    const backup = await h.security.backups.backupNow();
    expect(() => restoreBackup(backup.file, h.dataDir, ownKey(h))).toThrow(/in use/);
    expect(snapshot(h.dbFile)).toBeTruthy();
    h.db.close();
  });

  it('refuse a damaged backup and leave the current database alone', async () => {
    const h = busyHarness();
    const backup = await h.security.backups.backupNow();
    h.db.close();
    const broken = join(h.dataDir, 'broken.sqlite');
    writeFileSync(broken, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]));
    expect(() => restoreBackup(broken, h.dataDir)).toThrow();
    expect(() => restoreBackup(join(h.dataDir, 'missing.sqlite'), h.dataDir)).toThrow(RestoreError);
    expect(inspectBackup(backup.file, ownKey(h)).integrity).toBe('ok');
    expect(existsSync(h.dbFile)).toBe(true);
  });

  it('refuse a backup whose audit log was tampered with, unless told to go ahead', async () => {
    const h = busyHarness();
    const backup = await h.security.backups.backupNow();
    h.db.close();
    // Tampered with by someone holding the install's key: decrypted, edited, and put back as a plain copy.
    const tampered = opened(h, backup.file);
    const db = new BetterSqlite3(tampered);
    db.exec('DROP TRIGGER audit_log_append_only_update');
    db.prepare("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 2").run();
    db.close();
    expect(() => restoreBackup(tampered, h.dataDir, ownKey(h))).toThrow(/audit log is broken at entry 2/);
    expect(restoreBackup(tampered, h.dataDir, { allowBrokenAudit: true, ...ownKey(h) }).audit).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('restore from the command line, saying where the old database went', async () => {
    const h = busyHarness();
    const backup = await h.security.backups.backupNow();
    h.db.close();
    const lines: string[] = [];
    expect(runRestoreBackup([backup.file, h.dataDir], (l) => lines.push(l), SCHEMA_VERSION)).toBe(0);
    expect(lines.join('\n')).toMatch(/previous database kept as .*pos\.sqlite\.before-restore-\d{14}/);
    expect(runRestoreBackup([backup.file], (l) => lines.push(l), SCHEMA_VERSION)).toBe(2);
    // A backup from a newer app than this one is refused.
    expect(runRestoreBackup([backup.file, h.dataDir], (l) => lines.push(l), SCHEMA_VERSION - 1)).toBe(1);
  });
});
