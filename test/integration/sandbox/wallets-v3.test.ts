import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { outNo, plainCode, v3Call, v3Verified, walletCode } from './raw-client';

const clock = new ManualClock(Date.UTC(2024, 4, 10, 2, 0, 0));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
});
afterAll(async () => {
  await sandbox.close();
});

async function codepay(authCode: string, total = 880, outTradeNo = outNo('C')) {
  const c = sandbox.credentials;
  const { response, json } = await v3Call(
    sandbox,
    'POST',
    '/v3/pay/transactions/codepay',
    { appid: c.appid, mchid: c.mchid, description: '沙箱-面包', out_trade_no: outTradeNo, payer: { auth_code: authCode }, amount: { total, currency: 'CNY' }, scene_info: { device_ip: '127.0.0.1', store_info: { out_id: 'S1' } } },
    clock.now(),
  );
  expect(v3Verified(sandbox, response)).toBe(true);
  return { outTradeNo, status: response.status, json };
}

async function query(outTradeNo: string) {
  const { response, json } = await v3Call(sandbox, 'GET', `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${sandbox.credentials.mchid}`, undefined, clock.now());
  expect(v3Verified(sandbox, response)).toBe(true);
  return { status: response.status, json };
}

async function reverse(outTradeNo: string) {
  const c = sandbox.credentials;
  const { response, json } = await v3Call(sandbox, 'POST', `/v3/pay/transactions/out-trade-no/${outTradeNo}/reverse`, { appid: c.appid, mchid: c.mchid }, clock.now());
  return { status: response.status, json };
}

describe('v3 codepay wallets', () => {
  it('pays at once: 200 with the transaction', async () => {
    const { status, json } = await codepay(plainCode());
    expect(status).toBe(200);
    expect(json).toMatchObject({ trade_state: 'SUCCESS', trade_type: 'MICROPAY', amount: { total: 880, payer_total: 880, currency: 'CNY' } });
    expect(json.success_time).toBe('2024-05-10T10:00:00+08:00');
    expect((json.payer as { openid: string }).openid).toMatch(/^oSbx/);
  });

  it('password wallet: 202 USERPAYING, then the query shows SUCCESS', async () => {
    const start = clock.now();
    const { outTradeNo, status, json } = await codepay(walletCode('02', '20'));
    expect([status, json.trade_state]).toEqual([202, 'USERPAYING']);
    clock.set(start + 19_000);
    expect((await query(outTradeNo)).json.trade_state).toBe('USERPAYING');
    clock.set(start + 20_000);
    expect((await query(outTradeNo)).json).toMatchObject({ trade_state: 'SUCCESS', success_time: '2024-05-10T10:00:20+08:00' });
  });

  it('password-never wallet is revoked 45 s after creation', async () => {
    const start = clock.now();
    const { outTradeNo } = await codepay(walletCode('03'));
    clock.set(start + 45_000);
    expect((await query(outTradeNo)).json.trade_state).toBe('REVOKED');
  });

  it('refusals come back as signed 4xx errors with the wallet’s code', async () => {
    expect(await codepay(walletCode('04'))).toMatchObject({ status: 403, json: { code: 'NOTENOUGH' } });
    expect(await codepay(walletCode('05'))).toMatchObject({ status: 403, json: { code: 'AUTHCODEEXPIRE' } });
    expect(await codepay(walletCode('06'))).toMatchObject({ status: 403, json: { code: 'AUTH_CODE_ERROR' } });
  });

  it('bank-error wallet: 500 BANKERROR, yet the order is paid', async () => {
    const { outTradeNo, status, json } = await codepay(walletCode('07'));
    expect([status, json.code]).toEqual([500, 'BANKERROR']);
    expect((await query(outTradeNo)).json.trade_state).toBe('SUCCESS');
  });

  it('answers an unknown order with 404 ORDER_NOT_EXIST', async () => {
    expect(await query('NOSUCHORDER')).toMatchObject({ status: 404, json: { code: 'ORDER_NOT_EXIST' } });
  });

  it('same request again → same transaction; another amount → 403 OUT_TRADE_NO_USED', async () => {
    const code = plainCode();
    const first = await codepay(code, 300);
    const again = await codepay(code, 300, first.outTradeNo);
    expect(again.json.transaction_id).toBe(first.json.transaction_id);
    expect(await codepay(code, 301, first.outTradeNo)).toMatchObject({ status: 403, json: { code: 'OUT_TRADE_NO_USED' } });
  });
});

describe('v3 reverse', () => {
  it('is refused with 403 USERPAYING during password entry within 15 s, then revokes the order', async () => {
    const start = clock.now();
    const { outTradeNo } = await codepay(walletCode('03'));
    clock.set(start + 3_000);
    expect(await reverse(outTradeNo)).toMatchObject({ status: 403, json: { code: 'USERPAYING' } });
    clock.set(start + 16_000);
    expect(await reverse(outTradeNo)).toMatchObject({ status: 200, json: { out_trade_no: outTradeNo } });
    expect((await query(outTradeNo)).json.trade_state).toBe('REVOKED');
  });
});
