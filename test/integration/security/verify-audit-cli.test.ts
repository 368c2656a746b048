import { spawnSync } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVerifyAudit } from '../../../electron/security/verify-audit-cli';
import { makeHarness, tempDir } from '../../unit/security/fixture';

function databaseWithLog(entries: number): { dir: string; file: string } {
  const dir = tempDir('audit-cli-');
  const file = join(dir, 'pos.sqlite');
  const h = makeHarness({ dbFile: file, dataDir: dir });
  for (let i = 0; i < entries; i += 1) h.security.audit.append({ id: 'u-1', name: '李收银' }, 'refund.requested', { saleId: i });
  h.db.close();
  return { dir, file };
}

function tamper(file: string, sql: string): void {
  const db = new BetterSqlite3(file);
  db.exec('DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete;');
  db.exec(sql);
  db.close();
}

describe('verify-audit-cli', () => {
  it('prints OK with the head and exits 0 for an intact log (given the file or the data folder)', () => {
    const { dir, file } = databaseWithLog(4);
    const lines: string[] = [];
    expect(runVerifyAudit([file], (l) => lines.push(l))).toBe(0);
    expect(runVerifyAudit([dir], (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/^OK 4 entries, head 4 [0-9a-f]{64}$/);
  });

  it('prints the first broken entry and exits 1 for an edited row', () => {
    const { file } = databaseWithLog(4);
    tamper(file, `UPDATE audit_log SET details = '{"saleId":99}' WHERE seq = 3`);
    const lines: string[] = [];
    expect(runVerifyAudit([file], (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toMatch(/^BROKEN at entry 3 \(edited\)/);
  });

  it('exits 1 for a deleted row and 2 for a usage error or a missing file', () => {
    const { file } = databaseWithLog(4);
    tamper(file, 'DELETE FROM audit_log WHERE seq = 2');
    const lines: string[] = [];
    expect(runVerifyAudit([file], (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toMatch(/entry 2 \(missing-row\)/);
    expect(runVerifyAudit([], (l) => lines.push(l))).toBe(2);
    expect(runVerifyAudit([join(tempDir(), 'none.sqlite')], (l) => lines.push(l))).toBe(2);
  });

  it('runs as a command with those exit codes', () => {
    const { file } = databaseWithLog(2);
    const run = (): ReturnType<typeof spawnSync> =>
      spawnSync(process.execPath, ['--import', 'tsx', 'electron/security/verify-audit-cli.ts', file], { encoding: 'utf8', timeout: 60_000 });
    const good = run();
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/^OK 2 entries/);
    tamper(file, 'DELETE FROM audit_log WHERE seq = 2');
    const bad = run();
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/truncated/);
  });
});
