import { existsSync, readFileSync } from 'node:fs';

/**
 * Counts the commits written to a SQLite WAL file: each commit is one frame whose header carries the database
 * size after it (non-zero), with the WAL's current salts. With synchronous=FULL each commit is one fsync, so this
 * is how a test tells "one commit per sale" from two without timing anything. Needs wal_autocheckpoint=0 while
 * counting (a checkpoint restarts the WAL).
 */
export function walCommitCount(databaseFile: string): number {
  const wal = `${databaseFile}-wal`;
  if (!existsSync(wal)) return 0;
  const bytes = readFileSync(wal);
  if (bytes.length < 32) return 0;
  const pageSize = bytes.readUInt32BE(8);
  const salt1 = bytes.readUInt32BE(16);
  const salt2 = bytes.readUInt32BE(20);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= bytes.length; at += 24 + pageSize) {
    if (bytes.readUInt32BE(at + 8) !== salt1 || bytes.readUInt32BE(at + 12) !== salt2) break;
    if (bytes.readUInt32BE(at + 4) !== 0) commits += 1;
  }
  return commits;
}
