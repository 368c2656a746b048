import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beijingDate, formatBeijingCompact, parseBeijingCompact, type Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import type { BackupView } from '../../shared/security';
import { ensurePrivateFolder, preparePrivateDatabaseFile, restrictFile } from '../db/private-files';
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type AuditLog } from './audit-log';
import { encryptBackupFile } from './backup-file';
import { CipherUnavailableError, type SecretCipher } from './cipher';

export interface BackupDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  /** Where backups go (created if missing). Read on every run, so a settings change applies at once. */
  folder: () => string;
  /** How many backups to keep; older ones are deleted. Only files this service named are ever deleted. */
  keep: () => number;
  /** Where the plain copy is made before it is encrypted: the data folder (0700), never the backup folder. */
  workFolder: string;
  /** The secret store's cipher seals each backup's key; without one (no OS keyring) backups are written plain. */
  cipher: SecretCipher | CipherUnavailableError;
}

/** pos-<Beijing time>[-n].sqlite.enc (encrypted), or .sqlite (plain: older versions, or no secret store here). */
export const BACKUP_NAME = /^pos-(\d{14})(?:-(\d+))?\.sqlite(\.enc)?$/;

/** Runs SQLite's integrity check on a database file; 'ok' or the first problem it reports. */
export function integrityCheck(file: string): string {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/**
 * Daily online backups with SQLite's backup API (better-sqlite3's db.backup): consistent while the app keeps
 * selling. Each copy is written under a temporary name in the data folder (0600 in a 0700 folder), switched to
 * rollback-journal mode so it is one self-contained file, integrity-checked, encrypted into the backup folder
 * (backup-file.ts: a fresh key per file, sealed by the secret store) and only then given its final name
 * pos-<Beijing time>.sqlite.enc; the plain copy is deleted. The newest `keep` are kept. Where the machine has no
 * secret store (Electron on Linux without a keyring) the copy is kept plain (.sqlite, 0600) and says so: a
 * backup nobody can read is worse than none, and the database itself is no better protected.
 */
export class BackupService {
  private running: Promise<BackupView> | null = null;

  constructor(private readonly deps: BackupDeps) {}

  list(): BackupView[] {
    const folder = this.deps.folder();
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .map((name) => ({ name, match: BACKUP_NAME.exec(name) }))
      .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
      .map(({ name, match }) => ({
        file: join(folder, name),
        at: parseBeijingCompact(match[1] ?? '') ?? 0,
        bytes: statSync(join(folder, name)).size,
        encrypted: match[3] !== undefined,
      }))
      .sort((a, b) => b.at - a.at || b.file.localeCompare(a.file));
  }

  /** One backup now; a second call while one runs waits for the same one. */
  backupNow(): Promise<BackupView> {
    this.running ??= this.writeBackup().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Backs up unless a backup from today (Beijing day) exists. */
  async runIfDue(): Promise<BackupView | null> {
    const today = beijingDate(this.deps.clock.now());
    if (this.list().some((b) => beijingDate(b.at) === today)) return null;
    return this.backupNow();
  }

  /** Checks every `everyMs` whether today's backup is due. Returns a stop function. */
  start(everyMs = 60 * 60 * 1000): () => void {
    const tick = (): void => {
      this.runIfDue().catch((error: unknown) => this.failed(error));
    };
    tick();
    const timer = setInterval(tick, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async writeBackup(): Promise<BackupView> {
    const { clock, logger, audit, cipher } = this.deps;
    const folder = this.deps.folder();
    ensurePrivateFolder(folder);
    const now = clock.now();
    const encrypted = !(cipher instanceof CipherUnavailableError);
    const file = this.freeName(folder, now, encrypted ? '.sqlite.enc' : '.sqlite');
    const plain = join(this.deps.workFolder, `${basename(file)}.plain-partial`);
    const partial = `${file}.partial`;
    try {
      // Created 0600 before SQLite writes a byte into it (the backup API would create it 0644).
      preparePrivateDatabaseFile(plain);
      await this.deps.db.backup(plain);
      const copy = new BetterSqlite3(plain);
      try {
        copy.pragma('journal_mode = DELETE');
      } finally {
        copy.close();
      }
      const integrity = integrityCheck(plain);
      if (integrity !== 'ok') throw new Error(`backup failed its integrity check: ${integrity.slice(0, 200)}`);
      if (encrypted) await encryptBackupFile(plain, partial, cipher);
      else copyFileSync(plain, partial);
      restrictFile(partial);
      renameSync(partial, file);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    } finally {
      rmSync(plain, { force: true });
      rmSync(`${plain}-journal`, { force: true });
    }
    if (!encrypted) logger.warn('backup written unencrypted: no secret store on this machine', { file, reason: cipher.reason.en });
    const view: BackupView = { file, at: now, bytes: statSync(file).size, encrypted };
    const removed = this.prune();
    audit.append(SYSTEM_ACTOR, AUDIT_ACTIONS.backupCreated, { file, bytes: view.bytes, removed: removed.length, encrypted });
    logger.info('database backed up', { file, bytes: view.bytes, removed: removed.length, encrypted });
    return view;
  }

  private freeName(folder: string, now: number, extension: string): string {
    const stamp = formatBeijingCompact(now);
    let file = join(folder, `pos-${stamp}${extension}`);
    for (let n = 2; existsSync(file); n += 1) file = join(folder, `pos-${stamp}-${n}${extension}`);
    return file;
  }

  private prune(): string[] {
    const keep = Math.max(1, this.deps.keep());
    const extra = this.list().slice(keep);
    for (const old of extra) rmSync(old.file, { force: true });
    return extra.map((b) => b.file);
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
    this.deps.logger.error('database backup failed', { error: message });
    try {
      this.deps.audit.append(SYSTEM_ACTOR, AUDIT_ACTIONS.backupFailed, { error: message });
    } catch {
      // The audit write can fail for the same reason (disk full): the log line above is what is left.
    }
  }
}
