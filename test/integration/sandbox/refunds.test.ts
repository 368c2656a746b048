import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { REFUND_SETTLE_MS } from '../../../electron/sandbox/refund-trades';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { outNo, plainCode, v2Call, v2Verified, v3Call, v3Verified } from './raw-client';

const clock = new ManualClock(Date.UTC(2024, 4, 10, 2, 0, 0));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
});
afterAll(async () => {
  await sandbox.close();
});

async function paidOrder(totalFee: number): Promise<string> {
  const no = outNo('P');
  const { fields } = await v2Call(sandbox, '/pay/micropay', { body: 'b', out_trade_no: no, total_fee: totalFee, spbill_create_ip: '127.0.0.1', auth_code: plainCode() });
  expect(fields.result_code).toBe('SUCCESS');
  return no;
}

async function refundV2(outTradeNo: string, outRefundNo: string, totalFee: number, refundFee: number) {
  const { fields } = await v2Call(sandbox, '/secapi/pay/refund', { out_trade_no: outTradeNo, out_refund_no: outRefundNo, total_fee: totalFee, refund_fee: refundFee });
  return fields;
}

async function refundV3(outTradeNo: string, outRefundNo: string, total: number, refund: number) {
  const { response, json } = await v3Call(sandbox, 'POST', '/v3/refund/domestic/refunds', { out_trade_no: outTradeNo, out_refund_no: outRefundNo, reason: '顾客退货', amount: { refund, total, currency: 'CNY' } }, clock.now());
  expect(v3Verified(sandbox, response)).toBe(true);
  return { status: response.status, json };
}

describe('v2 refunds', () => {
  it('accepts a refund (PROCESSING) that succeeds a few seconds later', async () => {
    const no = await paidOrder(1000);
    const accepted = await refundV2(no, `${no}-R1`, 1000, 400);
    expect(accepted).toMatchObject({ result_code: 'SUCCESS', refund_fee: '400', total_fee: '1000' });
    expect(accepted.refund_id).toMatch(/^\d{29}$/);
    const q1 = (await v2Call(sandbox, '/pay/refundquery', { out_refund_no: `${no}-R1` })).fields;
    expect(v2Verified(sandbox, q1)).toBe(true);
    expect(q1).toMatchObject({ refund_count: '1', refund_status_0: 'PROCESSING', refund_fee_0: '400' });
    clock.advance(REFUND_SETTLE_MS);
    const q2 = (await v2Call(sandbox, '/pay/refundquery', { out_refund_no: `${no}-R1` })).fields;
    expect(q2.refund_status_0).toBe('SUCCESS');
    expect(q2.refund_success_time_0).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect((await v2Call(sandbox, '/pay/orderquery', { out_trade_no: no })).fields.trade_state).toBe('REFUND');
  });

  it('treats a retry with the same out_refund_no as the same refund, and other amounts as a mismatch', async () => {
    const no = await paidOrder(500);
    const first = await refundV2(no, `${no}-R`, 500, 100);
    const retry = await refundV2(no, `${no}-R`, 500, 100);
    expect(retry.refund_id).toBe(first.refund_id);
    expect(await refundV2(no, `${no}-R`, 500, 200)).toMatchObject({ result_code: 'FAIL', err_code: 'REFUND_FEE_MISMATCH' });
    expect(await refundV2(no, `${no}-X`, 499, 100)).toMatchObject({ result_code: 'FAIL', err_code: 'REFUND_FEE_MISMATCH' });
  });

  it('never refunds more than was paid', async () => {
    const no = await paidOrder(1000);
    expect(await refundV2(no, `${no}-A`, 1000, 1001)).toEqual({ return_code: 'FAIL', return_msg: 'invalid refund_fee' });
    expect((await refundV2(no, `${no}-B`, 1000, 700)).result_code).toBe('SUCCESS');
    expect(await refundV2(no, `${no}-C`, 1000, 301)).toMatchObject({ err_code: 'INVALID_REQUEST', err_code_des: 'refund_fee大于可退金额' });
    expect((await refundV2(no, `${no}-D`, 1000, 300)).result_code).toBe('SUCCESS');
    expect(await refundV2(no, `${no}-E`, 1000, 1)).toMatchObject({ err_code: 'ERROR', err_code_des: '订单已全额退款' });
  });

  it('accepts at most 50 partial refunds per order', async () => {
    const no = await paidOrder(10_000);
    for (let i = 0; i < 50; i += 1) expect((await refundV2(no, `${no}-${i}`, 10_000, 1)).result_code).toBe('SUCCESS');
    expect(await refundV2(no, `${no}-50`, 10_000, 1)).toMatchObject({ result_code: 'FAIL', err_code: 'ERROR' });
    const all = (await v2Call(sandbox, '/pay/refundquery', { out_trade_no: no })).fields;
    expect(all.refund_count).toBe('50');
    expect(all.out_refund_no_49).toBe(`${no}-49`);
  });

  it('refuses refunds of unknown or unpaid orders, and answers an unknown refund with REFUNDNOTEXIST', async () => {
    expect((await refundV2('NOSUCH', 'NOSUCH-R', 1, 1)).err_code).toBe('ORDERNOTEXIST');
    expect(await refundV2('NOSUCH', 'NOSUCH-R', 1, 2)).toEqual({ return_code: 'FAIL', return_msg: 'invalid refund_fee' });
    const { fields } = await v2Call(sandbox, '/pay/unifiedorder', {
      body: 'b', out_trade_no: 'UNPAID-1', total_fee: 100, spbill_create_ip: '127.0.0.1', notify_url: 'https://pos.invalid/n', trade_type: 'NATIVE', product_id: 'p',
    });
    expect(fields.result_code).toBe('SUCCESS');
    expect((await refundV2('UNPAID-1', 'UNPAID-1-R', 100, 100)).err_code).toBe('ERROR');
    expect((await v2Call(sandbox, '/pay/refundquery', { out_refund_no: 'NEVER' })).fields.err_code).toBe('REFUNDNOTEXIST');
  });
});

describe('v3 refunds', () => {
  it('accepts with status PROCESSING and reports SUCCESS after the delay', async () => {
    const no = await paidOrder(800);
    const accepted = await refundV3(no, `${no}-R`, 800, 800);
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatchObject({ status: 'PROCESSING', out_trade_no: no, amount: { refund: 800, total: 800, currency: 'CNY' } });
    clock.advance(REFUND_SETTLE_MS);
    const q = await v3Call(sandbox, 'GET', `/v3/refund/domestic/refunds/${no}-R`, undefined, clock.now());
    expect(v3Verified(sandbox, q.response)).toBe(true);
    expect(q.json).toMatchObject({ status: 'SUCCESS', refund_id: accepted.json.refund_id });
    expect(q.json.success_time).toMatch(/\+08:00$/);
  });

  it('refuses amounts above what is left with 400 INVALID_REQUEST', async () => {
    const no = await paidOrder(600);
    expect((await refundV3(no, `${no}-1`, 600, 500)).status).toBe(200);
    expect(await refundV3(no, `${no}-2`, 600, 101)).toMatchObject({ status: 400, json: { code: 'INVALID_REQUEST' } });
    expect(await refundV3(no, `${no}-1`, 600, 400)).toMatchObject({ status: 400, json: { code: 'INVALID_REQUEST' } });
    expect(await refundV3(no, `${no}-3`, 600, 601)).toMatchObject({ status: 400, json: { code: 'PARAM_ERROR' } });
  });

  it('answers unknown orders and refunds with 404 RESOURCE_NOT_EXISTS', async () => {
    expect(await refundV3('NOSUCH-V3', 'NOSUCH-V3-R', 1, 1)).toMatchObject({ status: 404, json: { code: 'RESOURCE_NOT_EXISTS' } });
    const q = await v3Call(sandbox, 'GET', '/v3/refund/domestic/refunds/NEVER-V3', undefined, clock.now());
    expect([q.response.status, q.json.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
  });
});
