import BetterSqlite3 from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatBeijingCompact } from '../../shared/clock';
import type { AuditChainReport } from '../../shared/security';
import { verifyAuditChain } from './audit-log';
import { integrityCheck } from './backup';

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
}

export interface RestoreResult {
  restoredFrom: string;
  /** The database that was replaced, kept beside it; null when there was none. */
  previousKeptAs: string | null;
  userVersion: number;
  audit: AuditChainReport | null;
}

/** Integrity, schema version and audit chain of a backup file, without changing it. */
export function inspectBackup(file: string): { integrity: string; userVersion: number; audit: AuditChainReport | null } {
  if (!existsSync(file)) throw new RestoreError(`backup not found: ${file}`);
  const integrity = integrityCheck(file);
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    const hasAudit = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() !== undefined;
    return { integrity, userVersion, audit: hasAudit ? verifyAuditChain(db) : null };
  } finally {
    db.close();
  }
}

/**
 * Puts a backup in place of the app's database. The app must be stopped: this refuses while any other
 * connection holds the database. Steps: check the backup (integrity_check, schema version, audit chain), fold
 * the current database's WAL into its file, move it aside as pos.sqlite.before-restore-<time> (kept, never
 * deleted), copy the backup in under a temporary name, flush it to disk, and rename it to pos.sqlite.
 */
export function restoreBackup(file: string, dataDir: string, options: RestoreOptions = {}): RestoreResult {
  const checked = inspectBackup(file);
  if (checked.integrity !== 'ok') throw new RestoreError(`the backup failed its integrity check: ${checked.integrity.slice(0, 200)}`);
  if (options.maxUserVersion !== undefined && checked.userVersion > options.maxUserVersion) {
    throw new RestoreError(`the backup has schema version ${checked.userVersion}, newer than this app (${options.maxUserVersion})`);
  }
  if (checked.audit && !checked.audit.ok && !options.allowBrokenAudit) {
    throw new RestoreError(`the backup's audit log is broken at entry ${checked.audit.brokenAtSeq} (${checked.audit.problem})`);
  }
  const target = join(dataDir, DATABASE_FILE);
  let previousKeptAs: string | null = null;
  if (existsSync(target)) {
    settleAndRelease(target);
    previousKeptAs = `${target}.before-restore-${formatBeijingCompact(options.now ?? Date.now())}`;
    renameSync(target, previousKeptAs);
  }
  const incoming = `${target}.restoring`;
  copyFileSync(file, incoming);
  const fd = openSync(incoming, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(incoming, target);
  return { restoredFrom: file, previousKeptAs, userVersion: checked.userVersion, audit: checked.audit };
}

/**
 * Leaves the current database as one complete file: checkpoints the WAL and switches to rollback-journal mode.
 * Leaving WAL mode needs the only connection, so this is also the check that the app is not running.
 */
function settleAndRelease(target: string): void {
  const db = new BetterSqlite3(target, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    let mode: unknown;
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      mode = db.pragma('journal_mode = DELETE', { simple: true });
    } catch {
      mode = null;
    }
    if (mode !== 'delete') throw new RestoreError('the database is in use: close the POS app (and the web host) before restoring');
  } finally {
    db.close();
  }
  for (const leftover of [`${target}-wal`, `${target}-shm`]) rmSync(leftover, { force: true });
}
