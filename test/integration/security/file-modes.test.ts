import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appMigrations } from '../../../electron/db/migrations/index';
import { openDatabase } from '../../../electron/db/open';
import { ensurePrivateFolder } from '../../../electron/db/private-files';

const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe('the database files on disk', () => {
  it('are created readable by this user only: pos.sqlite, its WAL and shared-memory file 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modes-'));
    const file = join(dir, 'pos.sqlite');
    const db = openDatabase(file, appMigrations);
    db.prepare("INSERT INTO app_meta (key, value) VALUES ('probe', '1')").run();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect([f, modeOf(f)]).toEqual([f, 0o600]);
    db.close();
  });

  it('left world-readable by an older version are narrowed at the next open, and so is the data folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modes-'));
    const file = join(dir, 'pos.sqlite');
    openDatabase(file, appMigrations).close();
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o644);
    chmodSync(dir, 0o755);
    ensurePrivateFolder(dir);
    const db = openDatabase(file, appMigrations);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    expect(modeOf(dir)).toBe(0o700);
    db.close();
  });
});
