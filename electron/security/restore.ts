import BetterSqlite3 from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdtempSync, openSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBeijingCompact } from '../../shared/clock';
import type { AuditChainReport } from '../../shared/security';
import { restrictFile } from '../db/private-files';
import { getMeta } from '../db/app-meta';
import { listSecretRows } from '../db/secrets';
import { verifyAuditChain } from './audit-log';
import { integrityCheck } from './backup';
import { BackupKeyError, decryptBackupFile, isEncryptedBackup } from './backup-file';
import { CipherUnavailableError, type SecretCipher } from './cipher';
import { PIN_PEPPER_META_KEY } from './secret-store';

export const DATABASE_FILE = 'pos.sqlite';

export class RestoreError extends Error {
  override readonly name = 'RestoreError';
}

export interface RestoreOptions {
  /** Newest schema version this app can open; a backup from a newer app is refused. */
  maxUserVersion?: number;
  /** Restore even when the backup's audit chain is broken (the report is returned either way). */
  allowBrokenAudit?: boolean;
  now?: number;
  /**
   * This install's secret store: opens encrypted backups, and tells which stored WeChat Pay credentials are
   * readable after the restore. Without it only plain (older) backups can be restored.
   */
  cipher?: SecretCipher | CipherUnavailableError;
}

export interface RestoreResult {
  restoredFrom: string;
  /** The database that was replaced, kept beside it; null when there was none. */
  previousKeptAs: string | null;
  userVersion: number;
  audit: AuditChainReport | null;
  /** False for a plain backup (made by an older version, or on a machine without a secret store). */
  encrypted: boolean;
  /** Stored credentials this install cannot decrypt (a backup from another install): to be entered again. */
  unreadableSecrets: number;
  /**
   * The staff PINs were peppered by a secret this install cannot open (a backup from another install): no PIN
   * can be checked here; the manager window asks for the owner again, who then resets everyone's PIN.
   */
  pinsUnreadable: boolean;
}

export interface BackupInspection {
  integrity: string;
  userVersion: number;
  audit: AuditChainReport | null;
  encrypted: boolean;
}

const NO_CIPHER = new CipherUnavailableError({ zh: '没有提供本机的密钥', en: 'no key of this install was given' });

/** Integrity, schema version and audit chain of a backup file (decrypted to a private temporary copy if sealed). */
export function inspectBackup(file: string, options: { cipher?: SecretCipher | CipherUnavailableError } = {}): BackupInspection {
  if (!existsSync(file)) throw new RestoreError(`backup not found: ${file}`);
  if (!isEncryptedBackup(file)) return { ...inspectPlain(file), encrypted: false };
  const dir = mkdtempSync(join(tmpdir(), 'pos-backup-check-'));
  try {
    const plain = join(dir, DATABASE_FILE);
    openSealed(file, plain, options.cipher);
    return { ...inspectPlain(plain), encrypted: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Puts a backup in place of the app's database. The app must be stopped: this refuses while any other
 * connection holds the database. Steps: decrypt (or copy) the backup into the data folder under a temporary
 * name (0600), check that copy (integrity_check, schema version, audit chain), fold the current database's WAL
 * into its file, move it aside as pos.sqlite.before-restore-<time> (kept, never deleted), flush the copy to disk
 * and rename it to pos.sqlite.
 */
export function restoreBackup(file: string, dataDir: string, options: RestoreOptions = {}): RestoreResult {
  if (!existsSync(file)) throw new RestoreError(`backup not found: ${file}`);
  const target = join(dataDir, DATABASE_FILE);
  const incoming = `${target}.restoring`;
  rmSync(incoming, { force: true });
  const encrypted = isEncryptedBackup(file);
  let previousKeptAs: string | null = null;
  let checked: Omit<BackupInspection, 'encrypted'>;
  try {
    if (encrypted) openSealed(file, incoming, options.cipher);
    else copyFileSync(file, incoming);
    restrictFile(incoming);
    checked = inspectPlain(incoming);
    if (checked.integrity !== 'ok') throw new RestoreError(`the backup failed its integrity check: ${checked.integrity.slice(0, 200)}`);
    if (options.maxUserVersion !== undefined && checked.userVersion > options.maxUserVersion) {
      throw new RestoreError(`the backup has schema version ${checked.userVersion}, newer than this app (${options.maxUserVersion})`);
    }
    if (checked.audit && !checked.audit.ok && !options.allowBrokenAudit) {
      throw new RestoreError(`the backup's audit log is broken at entry ${checked.audit.brokenAtSeq} (${checked.audit.problem})`);
    }
    const fd = openSync(incoming, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (existsSync(target)) {
      settleAndRelease(target);
      previousKeptAs = `${target}.before-restore-${formatBeijingCompact(options.now ?? Date.now())}`;
      renameSync(target, previousKeptAs);
      // A damaged database may leave its WAL behind: it goes with the file it belongs to, never onto the restored one.
      for (const suffix of ['-wal', '-shm']) if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${previousKeptAs}${suffix}`);
    }
  } catch (error) {
    rmSync(incoming, { force: true });
    throw error;
  }
  renameSync(incoming, target);
  return {
    restoredFrom: file,
    previousKeptAs,
    userVersion: checked.userVersion,
    audit: checked.audit,
    encrypted,
    unreadableSecrets: countUnreadableSecrets(target, options.cipher ?? NO_CIPHER),
    pinsUnreadable: pinPepperUnreadable(target, options.cipher ?? NO_CIPHER),
  };
}

function openSealed(file: string, out: string, cipher: SecretCipher | CipherUnavailableError | undefined): void {
  try {
    decryptBackupFile(file, out, cipher ?? NO_CIPHER);
  } catch (error) {
    if (error instanceof BackupKeyError) throw new RestoreError(error.message);
    throw new RestoreError(`the backup cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function inspectPlain(file: string): Omit<BackupInspection, 'encrypted'> {
  let integrity: string;
  try {
    integrity = integrityCheck(file);
  } catch (error) {
    throw new RestoreError(`the backup is not a readable database: ${error instanceof Error ? error.message : String(error)}`);
  }
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    const hasAudit = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() !== undefined;
    return { integrity, userVersion, audit: hasAudit ? verifyAuditChain(db) : null };
  } finally {
    db.close();
  }
}

/** How many stored credentials this install's secret store cannot open (all of them without one). */
function countUnreadableSecrets(file: string, cipher: SecretCipher | CipherUnavailableError): number {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const hasSecrets = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'secrets'").get() !== undefined;
    if (!hasSecrets) return 0;
    return listSecretRows(db).filter((row) => {
      if (cipher instanceof CipherUnavailableError) return true;
      try {
        cipher.decrypt(row.ciphertext);
        return false;
      } catch {
        return true;
      }
    }).length;
  } finally {
    db.close();
  }
}

/** Whether the database holds a PIN pepper (see secret-store.ts) that this install's secret store cannot open. */
function pinPepperUnreadable(file: string, cipher: SecretCipher | CipherUnavailableError): boolean {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app_meta'").get() !== undefined;
    const sealed = hasMeta ? getMeta(db, PIN_PEPPER_META_KEY) : undefined;
    if (sealed === undefined) return false;
    if (cipher instanceof CipherUnavailableError) return true;
    try {
      cipher.decrypt(Buffer.from(sealed, 'base64'));
      return false;
    } catch {
      return true;
    }
  } finally {
    db.close();
  }
}

/**
 * Leaves the current database as one complete file: checkpoints the WAL and switches to rollback-journal mode.
 * Leaving WAL mode needs the only connection, so this is also the check that the app is not running. A current
 * database too damaged to open is simply moved aside (that is why one restores).
 */
function settleAndRelease(target: string): void {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(target, { fileMustExist: true });
  } catch {
    return;
  }
  try {
    db.pragma('busy_timeout = 0');
    let mode: unknown;
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      mode = db.pragma('journal_mode = DELETE', { simple: true });
    } catch (error) {
      mode = isBusy(error) ? null : 'damaged';
    }
    if (mode !== 'delete' && mode !== 'damaged') throw new RestoreError('the database is in use: close the POS app (and the web host) before restoring');
  } finally {
    db.close();
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
