import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, formatBeijingCompact, formatBeijingRfc3339 } from '../../../shared/clock';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { outNo, send, v2Call, v2Verified, v3Call, v3Verified } from './raw-client';

const clock = new ManualClock(Date.UTC(2024, 4, 10, 2, 0, 0));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
});
afterAll(async () => {
  await sandbox.close();
});

async function unifiedOrder(outTradeNo: string, totalFee = 1999, extra: Record<string, string | number> = {}) {
  const { fields } = await v2Call(sandbox, '/pay/unifiedorder', {
    body: '沙箱-整单', out_trade_no: outTradeNo, total_fee: totalFee, spbill_create_ip: '127.0.0.1',
    notify_url: 'https://pos.invalid/notify', trade_type: 'NATIVE', product_id: 'SALE-1', ...extra,
  });
  expect(v2Verified(sandbox, fields)).toBe(true);
  return fields;
}

const query = async (outTradeNo: string) => (await v2Call(sandbox, '/pay/orderquery', { out_trade_no: outTradeNo })).fields;
const close = async (outTradeNo: string) => (await v2Call(sandbox, '/pay/closeorder', { out_trade_no: outTradeNo })).fields;

async function v3Native(outTradeNo: string, total = 1999, extra: Record<string, unknown> = {}) {
  const c = sandbox.credentials;
  return v3Call(sandbox, 'POST', '/v3/pay/transactions/native', {
    appid: c.appid, mchid: c.mchid, description: '沙箱-整单', out_trade_no: outTradeNo, notify_url: 'https://pos.invalid/notify', amount: { total, currency: 'CNY' }, ...extra,
  }, clock.now());
}

describe('native QR (v2)', () => {
  it('creates an order with a code_url, NOTPAY until the customer pays', async () => {
    const no = outNo('Q');
    const fields = await unifiedOrder(no);
    expect(fields).toMatchObject({ result_code: 'SUCCESS', trade_type: 'NATIVE' });
    expect(fields.code_url).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=[A-Za-z0-9]{7}$/);
    expect((await query(no)).trade_state).toBe('NOTPAY');
    const paid = sandbox.customerPay(fields.code_url ?? '');
    expect(paid).toMatchObject({ ok: true, outTradeNo: no, tradeState: 'SUCCESS' });
    expect(await query(no)).toMatchObject({ trade_state: 'SUCCESS', time_end: formatBeijingCompact(clock.now()) });
  });

  it('answers the same request with the same code_url and a changed amount with INVALID_REQUEST 201', async () => {
    const no = outNo('Q');
    const first = await unifiedOrder(no);
    expect((await unifiedOrder(no)).code_url).toBe(first.code_url);
    expect(await unifiedOrder(no, 2000)).toMatchObject({ result_code: 'FAIL', err_code: 'INVALID_REQUEST', err_code_des: '201 商户订单号重复' });
  });

  it('refuses a time_expire shorter than 5 minutes', async () => {
    const fields = await unifiedOrder(outNo('Q'), 100, { time_expire: formatBeijingCompact(clock.now() + 60_000) });
    expect(fields).toMatchObject({ result_code: 'FAIL', err_code: 'PARAM_ERROR' });
  });

  it('a close after the customer paid answers ORDERPAID; a close before cancels the late payment', async () => {
    const start = clock.now();
    const paidFirst = outNo('Q');
    const closedFirst = outNo('Q');
    sandbox.customerPay((await unifiedOrder(paidFirst)).code_url ?? '', { delayMs: 8_000 });
    sandbox.customerPay((await unifiedOrder(closedFirst)).code_url ?? '', { delayMs: 8_000 });
    clock.set(start + 7_000);
    expect((await query(paidFirst)).trade_state).toBe('NOTPAY');
    expect(await close(closedFirst)).toMatchObject({ result_code: 'SUCCESS' });
    clock.set(start + 8_000);
    expect(await close(paidFirst)).toMatchObject({ result_code: 'FAIL', err_code: 'ORDERPAID' });
    expect((await query(closedFirst)).trade_state).toBe('CLOSED');
    expect(await close(closedFirst)).toMatchObject({ err_code: 'ORDERCLOSED' });
    expect(await close('NEVERCREATED')).toMatchObject({ err_code: 'ORDERNOTEXIST' });
  });

  it('cannot be paid after its time_expire', async () => {
    const no = outNo('Q');
    const fields = await unifiedOrder(no, 100, { time_expire: formatBeijingCompact(clock.now() + 5 * 60_000) });
    clock.advance(5 * 60_000 + 1);
    expect(sandbox.customerPay(fields.code_url ?? '')).toMatchObject({ ok: false, code: 'ORDER_EXPIRED' });
    expect((await query(no)).trade_state).toBe('NOTPAY');
  });

  it('the customer endpoint and the sandbox page pay a code_url over HTTP', async () => {
    const no = outNo('Q');
    const codeUrl = (await unifiedOrder(no)).code_url ?? '';
    const page = await send(sandbox, '/sandbox/');
    expect(page.status).toBe(200);
    expect(page.text).toContain(codeUrl);
    const res = await send(sandbox, '/sandbox/customer/pay', { body: JSON.stringify({ code_url: codeUrl, delay_ms: 2_000 }), headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ ok: true, outTradeNo: no, tradeState: 'NOTPAY', paysAt: clock.now() + 2_000 });
    clock.advance(2_000);
    expect((await query(no)).trade_state).toBe('SUCCESS');
    const again = await send(sandbox, '/sandbox/customer/pay', { body: JSON.stringify({ code_url: codeUrl }) });
    expect([again.status, (JSON.parse(again.text) as { code: string }).code]).toEqual([409, 'ORDERPAID']);
    const unknown = await send(sandbox, '/sandbox/customer/pay', { body: JSON.stringify({ code_url: 'weixin://wxpay/bizpayurl?pr=nothing' }) });
    expect(unknown.status).toBe(404);
  });
});

describe('native QR (v3)', () => {
  it('creates, is paid by the customer and reports the payment', async () => {
    const no = outNo('V');
    const { response, json } = await v3Native(no, 1234, { time_expire: formatBeijingRfc3339(clock.now() + 10 * 60_000) });
    expect(response.status).toBe(200);
    sandbox.customerPay(String(json.code_url));
    const q = await v3Call(sandbox, 'GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${sandbox.credentials.mchid}`, undefined, clock.now());
    expect(q.json).toMatchObject({ trade_state: 'SUCCESS', trade_type: 'NATIVE', amount: { total: 1234, payer_total: 1234 } });
  });

  it('close answers 204, signed; a paid order answers 400 ORDERPAID', async () => {
    const c = sandbox.credentials;
    const open = outNo('V');
    await v3Native(open);
    const closed = await v3Call(sandbox, 'POST', `/v3/pay/transactions/out-trade-no/${open}/close`, { mchid: c.mchid }, clock.now());
    expect(closed.response.status).toBe(204);
    expect(closed.response.text).toBe('');
    expect(v3Verified(sandbox, closed.response)).toBe(true);
    const paid = outNo('V');
    sandbox.customerPay(String((await v3Native(paid)).json.code_url));
    const refused = await v3Call(sandbox, 'POST', `/v3/pay/transactions/out-trade-no/${paid}/close`, { mchid: c.mchid }, clock.now());
    expect([refused.response.status, refused.json.code]).toEqual([400, 'ORDERPAID']);
  });

  it('answers a reused out_trade_no with another amount with 403 OUT_TRADE_NO_USED', async () => {
    const no = outNo('V');
    const first = await v3Native(no, 100);
    expect((await v3Native(no, 100)).json.code_url).toBe(first.json.code_url);
    const other = await v3Native(no, 101);
    expect([other.response.status, other.json.code]).toEqual([403, 'OUT_TRADE_NO_USED']);
  });
});
