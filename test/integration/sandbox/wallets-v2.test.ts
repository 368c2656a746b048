import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, formatBeijingCompact } from '../../../shared/clock';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { outNo, plainCode, v2Call, v2Verified, walletCode } from './raw-client';

const clock = new ManualClock(Date.UTC(2024, 4, 10, 2, 0, 0));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
});
afterAll(async () => {
  await sandbox.close();
});

async function micropay(authCode: string, totalFee = 1250, outTradeNo = outNo()) {
  const { fields } = await v2Call(sandbox, '/pay/micropay', { body: '沙箱-奶茶', out_trade_no: outTradeNo, total_fee: totalFee, spbill_create_ip: '127.0.0.1', auth_code: authCode });
  expect(v2Verified(sandbox, fields)).toBe(true);
  return { outTradeNo, fields };
}

async function query(outTradeNo: string) {
  const { fields } = await v2Call(sandbox, '/pay/orderquery', { out_trade_no: outTradeNo });
  expect(v2Verified(sandbox, fields)).toBe(true);
  return fields;
}

async function reverse(outTradeNo: string) {
  const { fields } = await v2Call(sandbox, '/secapi/pay/reverse', { out_trade_no: outTradeNo });
  expect(v2Verified(sandbox, fields)).toBe(true);
  return fields;
}

describe('v2 micropay wallets', () => {
  it('pays at once for an unmarked code and for wallet 01', async () => {
    for (const code of [plainCode(), walletCode('01')]) {
      const { outTradeNo, fields } = await micropay(code);
      expect(fields).toMatchObject({ result_code: 'SUCCESS', trade_type: 'MICROPAY', total_fee: '1250', time_end: formatBeijingCompact(clock.now()) });
      expect((await query(outTradeNo)).trade_state).toBe('SUCCESS');
    }
  });

  it('asks for the password above ¥1000 even on the pay-at-once wallet, then pays', async () => {
    const start = clock.now();
    const { outTradeNo, fields } = await micropay(plainCode(), 100_001);
    expect(fields).toMatchObject({ result_code: 'FAIL', err_code: 'USERPAYING' });
    clock.set(start + 10_000);
    expect((await query(outTradeNo)).trade_state).toBe('SUCCESS');
  });

  it('password wallet: USERPAYING, then SUCCESS the given seconds after creation', async () => {
    const start = clock.now();
    const { outTradeNo, fields } = await micropay(walletCode('02', '12'));
    expect(fields).toMatchObject({ result_code: 'FAIL', err_code: 'USERPAYING', err_code_des: '需要用户输入支付密码' });
    clock.set(start + 11_999);
    expect((await query(outTradeNo)).trade_state).toBe('USERPAYING');
    clock.set(start + 20_000);
    const paid = await query(outTradeNo);
    expect(paid).toMatchObject({ trade_state: 'SUCCESS', time_end: formatBeijingCompact(start + 12_000) });
    expect(paid.transaction_id).toMatch(/^\d{28}$/);
  });

  it('password-never wallet: USERPAYING until revoked 45 s after creation', async () => {
    const start = clock.now();
    const { outTradeNo } = await micropay(walletCode('03'));
    clock.set(start + 44_999);
    expect((await query(outTradeNo)).trade_state).toBe('USERPAYING');
    clock.set(start + 45_000);
    expect((await query(outTradeNo)).trade_state).toBe('REVOKED');
  });

  it('a password wallet slower than 45 s is revoked, never paid', async () => {
    const start = clock.now();
    const { outTradeNo } = await micropay(walletCode('02', '50'));
    clock.set(start + 60_000);
    expect((await query(outTradeNo)).trade_state).toBe('REVOKED');
  });

  it('password-cancel wallet ends PAYERROR', async () => {
    const start = clock.now();
    const { outTradeNo } = await micropay(walletCode('08', '05'));
    clock.set(start + 5_000);
    expect((await query(outTradeNo)).trade_state).toBe('PAYERROR');
  });

  it('not-enough wallet: NOTENOUGH, the order ends PAYERROR', async () => {
    const { outTradeNo, fields } = await micropay(walletCode('04'));
    expect(fields).toMatchObject({ result_code: 'FAIL', err_code: 'NOTENOUGH' });
    expect((await query(outTradeNo)).trade_state).toBe('PAYERROR');
  });

  it('expired-code wallet: AUTHCODEEXPIRE and no order', async () => {
    const { outTradeNo, fields } = await micropay(walletCode('05'));
    expect(fields).toMatchObject({ result_code: 'FAIL', err_code: 'AUTHCODEEXPIRE' });
    expect((await query(outTradeNo)).err_code).toBe('ORDERNOTEXIST');
  });

  it('already-used wallet and a reused code both answer AUTH_CODE_ERROR', async () => {
    expect((await micropay(walletCode('06'))).fields.err_code).toBe('AUTH_CODE_ERROR');
    const code = plainCode();
    expect((await micropay(code)).fields.result_code).toBe('SUCCESS');
    expect((await micropay(code)).fields.err_code).toBe('AUTH_CODE_ERROR');
  });

  it('refuses a code that is not a WeChat payment code with AUTH_CODE_INVALID', async () => {
    expect((await micropay('284567890123456789')).fields.err_code).toBe('AUTH_CODE_INVALID');
  });

  it('bank-error wallet: BANKERROR first, yet the order is paid; the same request again answers SUCCESS', async () => {
    const code = walletCode('07');
    const { outTradeNo, fields } = await micropay(code);
    expect(fields).toMatchObject({ result_code: 'FAIL', err_code: 'BANKERROR' });
    expect((await query(outTradeNo)).trade_state).toBe('SUCCESS');
    expect((await micropay(code, 1250, outTradeNo)).fields.result_code).toBe('SUCCESS');
  });

  it('answers the same request again with the same order and a changed amount with OUT_TRADE_NO_USED', async () => {
    const code = plainCode();
    const first = await micropay(code, 500);
    const again = await micropay(code, 500, first.outTradeNo);
    expect(again.fields.transaction_id).toBe(first.fields.transaction_id);
    expect((await micropay(code, 600, first.outTradeNo)).fields.err_code).toBe('OUT_TRADE_NO_USED');
  });
});

describe('v2 reverse', () => {
  it('refuses with USERPAYING and recall=Y while the payer is entering the password within 15 s', async () => {
    const start = clock.now();
    const { outTradeNo } = await micropay(walletCode('03'));
    clock.set(start + 5_000);
    expect(await reverse(outTradeNo)).toMatchObject({ result_code: 'FAIL', err_code: 'USERPAYING', recall: 'Y' });
    clock.set(start + 15_000);
    expect(await reverse(outTradeNo)).toMatchObject({ result_code: 'SUCCESS', recall: 'N' });
    expect((await query(outTradeNo)).trade_state).toBe('REVOKED');
    clock.set(start + 60_000);
    expect((await query(outTradeNo)).trade_state).toBe('REVOKED');
  });

  it('returns a paid order’s money and stays idempotent', async () => {
    const { outTradeNo } = await micropay(plainCode());
    expect(await reverse(outTradeNo)).toMatchObject({ result_code: 'SUCCESS', recall: 'N' });
    expect(await reverse(outTradeNo)).toMatchObject({ result_code: 'SUCCESS', recall: 'N' });
    expect(sandbox.getOrder(outTradeNo)?.tradeState).toBe('REVOKED');
  });

  it('refuses to reverse an order that is not a micropay order', async () => {
    const { fields } = await v2Call(sandbox, '/pay/unifiedorder', {
      body: 'b', out_trade_no: 'NATIVE-REV', total_fee: 1, spbill_create_ip: '127.0.0.1', notify_url: 'https://pos.invalid/n', trade_type: 'NATIVE', product_id: 'p1',
    });
    expect(fields.result_code).toBe('SUCCESS');
    expect((await reverse('NATIVE-REV')).err_code).toBe('TRADE_ERROR');
  });
});
