import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The store's files hold sales, staff PIN hashes and sealed secrets: only the user the app runs as may read them.
 * Folders 0700, files 0600 (POSIX; on Windows the user profile's ACL applies and these are no-ops).
 */
const POSIX = process.platform !== 'win32';
export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the folder if missing and narrows it to 0700 (also an existing one, left wider by an older version).
 * False when the file system keeps no modes (a FAT USB stick chosen as the backup folder refuses chmod): the
 * files there are encrypted anyway, so that is not a reason to stop.
 */
export function ensurePrivateFolder(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  return narrow(dir, PRIVATE_FOLDER_MODE);
}

/** Narrows an existing file to 0600; a missing one is left missing. False where the file system keeps no modes. */
export function restrictFile(file: string): boolean {
  return existsSync(file) ? narrow(file, PRIVATE_FILE_MODE) : true;
}

function narrow(path: string, mode: number): boolean {
  if (!POSIX) return true;
  try {
    chmodSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure a database file exists with mode 0600 before SQLite opens it. SQLite creates its -wal and -shm files
 * with the mode of the database file, so they follow; ones left by an older version are narrowed here too.
 */
export function preparePrivateDatabaseFile(file: string): void {
  if (file === ':memory:') return;
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) restrictFile(f);
}
