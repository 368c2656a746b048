import BetterSqlite3 from 'better-sqlite3';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DataProblem } from '../../shared/api';
import { formatBeijingCompact, parseBeijingCompact } from '../../shared/clock';
import type { Localized } from '../../shared/i18n';
import type { Logger } from '../../shared/log';
import { PRIVATE_FILE_MODE } from '../db/private-files';
import { BACKUP_NAME } from './backup';
import type { CipherUnavailableError, SecretCipher } from './cipher';
import { DATABASE_FILE, inspectBackup } from './restore';

/**
 * A sidecar beside pos.sqlite saying a store has existed in this folder. It is what tells "first start" from
 * "the database is gone" when the file is missing or empty and no backup is around (backups may sit on a USB
 * stick that is not plugged in).
 */
export const STORE_MARKER_FILE = 'pos.sqlite.store';

export interface DatabaseCheckInput {
  dataDir: string;
  /** Where backups are kept (settings.security.backup.folder or <data dir>/backups). */
  backupFolder: string;
  /** Opens encrypted backups to find the newest good one. */
  cipher: SecretCipher | CipherUnavailableError;
  /** The command that restores `file` on this host (restore CLI, or the Electron app's --restore-backup). */
  restoreCommand: (file: string) => string;
  logger: Logger;
}

/**
 * The check at start, before the database is opened for use: a missing or empty database where a store existed
 * (marker or backups) is not silently recreated, and a file that fails `PRAGMA quick_check` (or is not a
 * database at all) is not used. Returns null when the app may open it (a new install included).
 */
export function checkDatabaseAtStart(input: DatabaseCheckInput): DataProblem | null {
  const file = join(input.dataDir, DATABASE_FILE);
  const size = existsSync(file) ? statSync(file).size : -1;
  if (size > 0) {
    const health = quickCheck(file);
    if (health === 'ok') return null;
    if (health !== 'empty') {
      input.logger.error('database failed its check at start', { problem: health.slice(0, 200) });
      return problem('database-damaged', input, {
        zh: `数据库文件已损坏（${health.slice(0, 80)}），为免数据错乱，收银已停止。`,
        en: `The database file is damaged (${health.slice(0, 80)}); to keep the records straight, the counter has stopped.`,
      });
    }
  }
  const hadStore = existsSync(join(input.dataDir, STORE_MARKER_FILE)) || backupFiles(input.backupFolder).length > 0;
  if (!hadStore) return null;
  input.logger.error('database missing or empty although a store existed', { size });
  return problem('database-missing', input, {
    zh: size < 0 ? '数据库文件不见了（此前这里有门店数据），没有自动新建空库。' : '数据库文件是空的（此前这里有门店数据），没有自动新建空库。',
    en: size < 0
      ? 'The database file is missing (this folder held a store before); an empty one was not created in its place.'
      : 'The database file is empty (this folder held a store before); it was not started afresh.',
  });
}

/** Writes the sidecar once the database is open and in use (also for stores created before it existed). */
export function markStoreExists(dataDir: string, now: number): void {
  const marker = join(dataDir, STORE_MARKER_FILE);
  if (existsSync(marker)) return;
  writeFileSync(marker, `${JSON.stringify({ store: 'wechat-pos', markedAt: now })}\n`, { mode: PRIVATE_FILE_MODE });
}

/** 'ok', 'empty' (no schema: a new database), or what SQLite reports. Read-only: nothing is changed. */
function quickCheck(file: string): string {
  let db: BetterSqlite3.Database | null = null;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const result = rows.map((r) => r.quick_check).join('; ');
    if (result !== 'ok') return result;
    return (db.pragma('user_version', { simple: true }) as number) === 0 ? 'empty' : 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    db?.close();
  }
}

function backupFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => BACKUP_NAME.test(name))
    .sort()
    .reverse()
    .map((name) => join(folder, name));
}

/** The newest backup that opens with this install's key, passes integrity_check and has an unbroken audit chain. */
function newestGoodBackup(input: DatabaseCheckInput): { file: string; at: number } | null {
  for (const file of backupFiles(input.backupFolder)) {
    try {
      const checked = inspectBackup(file, { cipher: input.cipher });
      if (checked.integrity === 'ok' && (checked.audit === null || checked.audit.ok)) {
        return { file, at: parseBeijingCompact(BACKUP_NAME.exec(basename(file))?.[1] ?? '') ?? statSync(file).mtimeMs };
      }
      input.logger.warn('backup skipped: it failed its check', { file });
    } catch (error) {
      input.logger.warn('backup skipped: it cannot be read', { file, error: error instanceof Error ? error.message.slice(0, 200) : 'unknown' });
    }
  }
  return null;
}

function problem(kind: 'database-damaged' | 'database-missing', input: DatabaseCheckInput, what: Localized): DataProblem {
  const good = newestGoodBackup(input);
  if (!good) {
    return {
      kind,
      message: {
        zh: `${what.zh}没有找到可用的备份（备份文件夹：${input.backupFolder}）。请联系技术支持；数据库文件保持原样。`,
        en: `${what.en} No usable backup was found (backup folder: ${input.backupFolder}). Call your IT support; the database file was left as it is.`,
      },
      restore: null,
    };
  }
  const command = input.restoreCommand(good.file);
  const stamp = formatBeijingCompact(good.at);
  return {
    kind,
    message: {
      zh: `${what.zh}最近一份完好的备份是 ${stamp}（北京时间）的 ${good.file}。请店长或技术支持关闭本程序后运行：${command}，然后重新启动；备份之后的交易需要核对补录（微信支付的记录可在商户平台查到）。`,
      en: `${what.en} The newest good backup is ${good.file} from ${stamp} (Beijing time). A manager or IT support closes this app, runs: ${command}, and starts it again; transactions after that backup must be checked and re-entered (WeChat payments can be found on the merchant platform).`,
    },
    restore: { file: good.file, at: good.at, command },
  };
}
