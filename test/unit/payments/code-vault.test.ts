import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { countStoredAuthCodes, getAttempt } from '../../../electron/db/wechat-attempts';
import { createRunKeyVault } from '../../../electron/payments/code-vault';
import { FakeWechat, walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, openPaymentsDb, T0 } from '../../helpers/payments-harness';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('payment codes sealed with a per-run key', () => {
  it('opens what this run sealed, and nothing sealed by another run or stored in clear', () => {
    const run = createRunKeyVault();
    const sealed = run.seal('130100000000000001');
    expect(sealed).not.toContain('130100000000000001');
    expect(run.open(sealed)).toBe('130100000000000001');
    expect(run.seal('130100000000000001')).not.toBe(sealed);
    expect(createRunKeyVault().open(sealed)).toBeNull();
    expect(run.open('130100000000000001')).toBeNull();
    expect(run.open(`${sealed.slice(0, -2)}AA`)).toBeNull();
    expect(run.open(null)).toBeNull();
  });

  it('keeps the stored code unreadable in the database row', () => {
    const clock = new ManualClock(T0);
    const h = createHarness(new FakeWechat(clock).client(), { clock });
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 500 });
    const code = walletCode(WALLETS.instant, 1);
    const attempt = h.service.scanPaymentCode(sale.id, code);
    const stored = getAttempt(h.db, attempt.id)?.auth_code ?? '';
    expect(stored).toMatch(/^rk1:/);
    expect(stored).not.toContain(code);
  });

  it('ends a code stored but never sent before a restart as "not sent, scan again", without reaching WeChat', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-vault-'));
    dirs.push(dir);
    const file = join(dir, 'app.sqlite');
    const clock = new ManualClock(T0);
    const wechat = new FakeWechat(clock);
    const first = createHarness(wechat.client(), { clock, db: openPaymentsDb(file) });
    const sale = first.service.createSale({ cashierId: 'c1', amountFen: 500 });
    const attempt = first.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 3));
    first.db.close(); // the process dies before the worker sends it

    clock.advance(2_000);
    const second = createHarness(wechat.client(), { clock, db: openPaymentsDb(file) });
    second.service.recover();
    await second.drain();
    const ended = second.service.getAttempt(attempt.id);
    expect(ended.state).toBe('cancelled');
    expect(ended.failure?.code).toBe('LOCAL_CODE_LOST');
    expect(ended.failure?.zh).toContain('重新扫码');
    expect(wechat.calls.filter((c) => c.op === 'micropay')).toHaveLength(0);
    expect(second.service.getSale(sale.id).dueFen).toBe(500);
    expect(countStoredAuthCodes(second.db)).toBe(0);
    second.db.close();
  });
});
