import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { describeAttempt, FINAL_ATTEMPT_STATES, type AttemptState, type AttemptView } from '../../../shared/payments';
import { FakeWechat, walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, T0 } from '../../helpers/payments-harness';

/** Every text cell of every table, for "is this value stored anywhere". */
function dumpDatabase(h: ReturnType<typeof createHarness>): string {
  const tables = h.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return tables.map((t) => JSON.stringify(h.db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
}

describe('auth code secrecy', () => {
  it('keeps a code only while it may still be sent, never in the outbox, logs or events', async () => {
    const clock = new ManualClock(T0);
    const wechat = new FakeWechat(clock);
    const h = createHarness(wechat.client(), { clock });
    const codes = [walletCode(WALLETS.instant, 1), walletCode(WALLETS.passwordNever, 2), walletCode(WALLETS.notEnough, 3)];
    wechat.script('micropay', 'drop');
    for (const code of codes) {
      const sale = h.service.createSale({ cashierId: 'c1', amountFen: 300 });
      h.service.scanPaymentCode(sale.id, code);
    }
    await h.service.worker.runUntilIdle();
    const outbox = JSON.stringify(h.db.prepare('SELECT * FROM outbox').all());
    for (const code of codes) expect(outbox).not.toContain(code);
    await h.drain();
    const everything = [dumpDatabase(h), h.logger.text(), JSON.stringify(h.events)].join('\n');
    for (const code of codes) {
      expect(everything).not.toContain(code);
      expect(everything).toContain(`${code.slice(0, 4)}**********${code.slice(-4)}`);
    }
    expect(JSON.stringify(h.events)).not.toContain('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
  });
});

describe('cashier words', () => {
  const base: AttemptView = {
    id: 1, saleId: 1, tenderId: 1, mode: 'micropay', outTradeNo: 'X', amountFen: 100 as AttemptView['amountFen'],
    state: 'queued', final: false, superseded: false, cancelRequested: false, authCodeMasked: null, createdAt: T0,
    sendDeadlineAt: T0 + 50_000, resolveBy: T0 + 45_000, lastAnswer: null, networkTrouble: false, failure: null,
    transactionId: null, payerMasked: null, codeUrl: null, qrExpiresAt: T0 + 300_000, resolvedAt: null, updatedAt: T0,
  };
  const say = (patch: Partial<AttemptView>, online = true, now = T0 + 10_000) => describeAttempt({ ...base, ...patch }, { now, online });

  it('says what the issue asks for, in both languages', () => {
    expect(say({ state: 'user-paying' })).toEqual({ zh: '等待顾客输入密码', en: "Waiting for the customer's password" });
    expect(say({ state: 'queued' }, false).zh).toBe('网络中断，重试中（剩余 40 秒）');
    expect(say({ state: 'confirming', networkTrouble: true }).zh).toBe('网络中断，重试中（剩余 35 秒）');
    expect(say({ state: 'confirming' }).zh).toBe('支付结果确认中');
    expect(say({ state: 'reversed' }).zh).toBe('已撤销');
    expect(say({ state: 'failed', failure: { code: 'NOTENOUGH', zh: '用户余额不足', en: 'Insufficient balance' } })).toEqual({
      zh: '用户余额不足',
      en: 'Insufficient balance',
    });
  });

  it('has words for every state', () => {
    const states: AttemptState[] = ['queued', 'sending', 'user-paying', 'confirming', 'reversing', 'creating', 'awaiting-scan', 'closing', 'refunding', ...FINAL_ATTEMPT_STATES];
    for (const state of states) {
      const words = say({ state });
      expect(words.zh.length, state).toBeGreaterThan(0);
      expect(words.en.length, state).toBeGreaterThan(0);
    }
  });
});
