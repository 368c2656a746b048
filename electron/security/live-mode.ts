import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { getMeta, setMeta } from '../db/app-meta';

/**
 * When settings first said `wechat.mode: live`, kept in the database for good: from then on demo accounts never
 * work again and nobody created afterwards is sandbox staff, whatever a settings file says later (a broken or
 * hand-edited file must not bring 9999 back). Also tells the settings loader that this is a live install.
 */
const LIVE_MODE_KEY = 'wechat.live-mode-first-set-at';

export function liveModeSetAt(db: Database): number | null {
  const value = getMeta(db, LIVE_MODE_KEY);
  return value === undefined ? null : Number(value);
}

/** Records the first time only; returns whether this call recorded it. */
export function recordLiveMode(db: Database, now: number): boolean {
  if (liveModeSetAt(db) !== null) return false;
  setMeta(db, LIVE_MODE_KEY, String(now));
  return true;
}

/**
 * Whether the database file says this install was set live, read before the app opens it (the settings loader
 * needs to know). A missing, new or unreadable database reads as not live.
 */
export function wasSetLive(dbFile: string): boolean {
  if (!existsSync(dbFile)) return false;
  try {
    const db = new BetterSqlite3(dbFile, { readonly: true, fileMustExist: true });
    try {
      return liveModeSetAt(db) !== null;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
