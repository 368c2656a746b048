import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BillArchive } from './bill-download';

/**
 * Keeps the raw text of a bill the app could not read in `<dir>/<date>-<sha1 prefix>.csv` (owner-only), for the
 * merchant's IT person or support to look at. A bill holds order numbers and openids, so the folder and file are
 * not readable by other users. The same file downloaded twice is written once.
 */
export function fileBillArchive(dir: string): BillArchive {
  return {
    keepUnreadable(billDate, csv, sha1) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, `${billDate}-${sha1.slice(0, 12)}.csv`);
      writeFileSync(path, csv, { encoding: 'utf8', mode: 0o600 });
      return path;
    },
  };
}
