import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseProblemError, startApp, startHostedApp, type App, type AppOptions } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { runRestoreBackup } from '../../../electron/security/restore-backup-cli';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import type { AppInfo } from '../../../shared/api';
import { systemClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { SaleView } from '../../../shared/payments';
import type { Result } from '../../../shared/result';
import type { ShiftView } from '../../../shared/shifts';

/**
 * Damage to the database is told, never passed over: a missing or emptied file where a store existed, bytes
 * overwritten inside it, a full disk, an audit log edited behind the app's back. Real files on disk throughout.
 */
const cashier: CallContext = { window: 'cashier', connectionId: 'dmg-cashier' };
const manager: CallContext = { window: 'manager', connectionId: 'dmg-manager' };
let running: { close(): Promise<void> } | null = null;

afterEach(async () => {
  await running?.close();
  running = null;
});

function options(dataDir: string): AppOptions {
  return {
    dataDir,
    clock: systemClock,
    logger: new MemoryLogger(),
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(dataDir),
    overrides: { sandbox: true, printerUri: `file:${join(dataDir, 'printer.bin')}` },
    createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
    pdfRenderer: chromiumPdfRenderer(),
  };
}

async function call<T>(pos: { dispatch: App['dispatch'] }, method: string, request: unknown, context = cashier): Promise<Result<T>> {
  return (await pos.dispatch(method, request, context)) as Result<T>;
}

async function must<T>(pos: App, method: string, request: unknown, context = cashier): Promise<T> {
  const result = await call<T>(pos, method, request, context);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error('condition not met in time');
}

/** A store that has sold something and has today's backup; closed again. */
async function storeWithSale(): Promise<{ dataDir: string; db: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-damage-'));
  const pos = await startApp(options(dataDir));
  await must(pos, 'auth.signIn', { pin: '1111' });
  await must<ShiftView>(pos, 'shift.open', { openingFloatFen: 10_000 });
  const sale = await must<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 1250 });
  await must(pos, 'payment.cash', { saleId: sale.id, tenderedFen: 1250 });
  await waitFor(() => pos.security.backups.list().length > 0);
  await pos.close();
  return { dataDir, db: join(dataDir, 'pos.sqlite') };
}

async function startDamaged(dataDir: string): Promise<{ info: AppInfo; dispatch: App['dispatch'] }> {
  await expect(startApp(options(dataDir))).rejects.toBeInstanceOf(DatabaseProblemError);
  const hosted = await startHostedApp(options(dataDir));
  running = hosted;
  return { info: hosted.info(), dispatch: hosted.dispatch };
}

describe('a damaged or missing database', () => {
  it('emptied to 0 bytes is not started afresh: the screens say so, offer the newest good backup, and nothing is seeded', async () => {
    const { dataDir, db } = await storeWithSale();
    truncateSync(db, 0);
    const { info, dispatch } = await startDamaged(dataDir);
    expect(info.dataProblems.map((p) => p.kind)).toEqual(['database-missing']);
    expect(info.dataProblems[0]?.restore?.file).toMatch(/pos-\d{14}\.sqlite\.enc$/);
    expect(info.dataProblems[0]?.message.zh).toMatch(/数据库文件是空的.*最近一份完好的备份.*restore-backup-cli/);
    expect(info.dataProblems[0]?.message.en).toMatch(/The database file is empty.*newest good backup/);
    const refused = await call({ dispatch }, 'auth.signIn', { pin: '1111' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'DATABASE_PROBLEM' } });
    expect(await call({ dispatch }, 'app.getInfo', {}, manager)).toMatchObject({ ok: true, value: { dataProblems: [{ kind: 'database-missing' }] } });
    expect(statSync(db).size).toBe(0);
  });

  it('deleted is not recreated either, and the restore command shown brings the store back', async () => {
    const { dataDir, db } = await storeWithSale();
    rmSync(db);
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });
    const { info } = await startDamaged(dataDir);
    expect(info.dataProblems[0]).toMatchObject({ kind: 'database-missing' });
    await running?.close();
    running = null;
    const lines: string[] = [];
    expect(runRestoreBackup([info.dataProblems[0]?.restore?.file ?? '', dataDir], (l) => lines.push(l))).toBe(0);
    const pos = await startApp(options(dataDir));
    running = pos;
    expect(pos.info().dataProblems).toEqual([]);
    expect((pos.db.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(1);
  });

  it('with bytes overwritten inside fails its check at start and is not used', async () => {
    const { dataDir, db } = await storeWithSale();
    const bytes = readFileSync(db);
    for (let i = 4096 + 100; i < bytes.length - 100; i += 1) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(db, bytes);
    const { info, dispatch } = await startDamaged(dataDir);
    expect(info.dataProblems[0]?.kind).toBe('database-damaged');
    expect(info.dataProblems[0]?.restore?.command).toContain('restore-backup-cli');
    expect(info.dataProblems[0]?.message.en).toMatch(/The database file is damaged/);
    expect(await call({ dispatch }, 'sale.checkout', { lines: [], amountFen: 100 })).toMatchObject({ ok: false, error: { code: 'DATABASE_PROBLEM' } });
    // The damaged file is left exactly as it was, for the restore or for a specialist.
    expect(readFileSync(db).equals(bytes)).toBe(true);
  });

  it('a first start in an empty folder still creates the store (no marker, no backups)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-fresh-'));
    const pos = await startApp(options(dataDir));
    running = pos;
    expect(pos.info().dataProblems).toEqual([]);
    expect(statSync(join(dataDir, 'pos.sqlite.store')).isFile()).toBe(true);
  });
});

describe('a full disk', () => {
  it('is told in words at the counter and on the manager screen, and nothing is half-written', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-full-'));
    const pos = await startApp(options(dataDir));
    running = pos;
    await must(pos, 'auth.signIn', { pin: '1111' });
    await must<ShiftView>(pos, 'shift.open', { openingFloatFen: 10_000 });
    const count = (table: string): number => (pos.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    // SQLite's own limit on the file's size gives the very error a full disk gives (SQLITE_FULL).
    pos.db.pragma(`max_page_count = ${pos.db.pragma('page_count', { simple: true }) as number}`);
    let refused: Result<SaleView> | null = null;
    let made = 0;
    for (let i = 0; i < 500 && !refused; i += 1) {
      const r = await call<SaleView>(pos, 'sale.checkout', { lines: [{ name: `商品${i}`.repeat(6), quantity: 1, unitFen: 100 }] });
      if (r.ok) {
        made += 1;
        await must(pos, 'sale.void', { saleId: r.value.id, reason: 'test' }).catch(() => undefined);
      } else refused = r;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
    expect(refused && !refused.ok ? refused.error.localized?.zh : '').toMatch(/磁盘已满.*没有保存/);
    expect(count('sales')).toBe(made);
    expect(count('sale_lines')).toBe(made);
    expect(pos.info().dataProblems).toEqual([expect.objectContaining({ kind: 'disk-full' })]);
    const seen = await call<AppInfo>(pos, 'app.getInfo', {}, manager);
    expect(seen.ok ? seen.value.dataProblems.map((p) => [p.kind, p.message.en]) : []).toEqual([['disk-full', expect.stringMatching(/The disk is full.*Free space/)]]);
  });
});

describe('the audit chain at start', () => {
  it('is verified; an entry edited while the app was closed is shown on the screens', async () => {
    const { dataDir, db } = await storeWithSale();
    const raw = new BetterSqlite3(db);
    raw.exec('DROP TRIGGER audit_log_append_only_update');
    raw.prepare("UPDATE audit_log SET actor_name = '别人' WHERE seq = 2").run();
    raw.close();
    const pos = await startApp(options(dataDir));
    running = pos;
    expect(pos.info().dataProblems.map((p) => p.kind)).toEqual(['audit-broken']);
    expect(pos.info().dataProblems[0]?.message.zh).toMatch(/审计日志.*第 2 条记录被改动过/);
  });
});
