import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { parseBill } from '../../../electron/wechat/bills/bill-parse';
import { plainCode, send, v2Call } from './raw-client';

/** 2024-05-10 15:00 Beijing: today's bill is normally ready only tomorrow at 10:00. */
const NOW = Date.UTC(2024, 4, 10, 7, 0, 0);
const clock = new ManualClock(NOW);
let sandbox: Sandbox;

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await send(sandbox, path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  return { status: res.status, json: JSON.parse(res.text) as Record<string, unknown> };
}

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
  for (const [no, fee] of [['AID-A', 1000], ['AID-B', 2000], ['AID-C', 3000]] as const) {
    const { fields } = await v2Call(sandbox, '/pay/micropay', { body: '咖啡', out_trade_no: no, total_fee: fee, spbill_create_ip: '127.0.0.1', auth_code: plainCode() });
    expect(fields.result_code).toBe('SUCCESS');
  }
});
afterAll(async () => {
  await sandbox.close();
});

describe('testing aids over HTTP (/sandbox/admin/...)', () => {
  it('plants a payment, a refund, an amount change and a reversal, and removes an order, as the bill then shows', async () => {
    const planted = await admin('POST', '/sandbox/admin/plant/payment', { total_fen: 888 });
    expect(planted.status).toBe(200);
    const plantedNo = (planted.json.order as { outTradeNo: string }).outTradeNo;
    expect((await admin('POST', '/sandbox/admin/plant/refund', { out_trade_no: 'AID-A', refund_fen: 300, out_refund_no: 'AID-A-R' })).status).toBe(200);
    expect((await admin('POST', '/sandbox/admin/plant/amount', { out_trade_no: 'AID-B', total_fen: 2500 })).status).toBe(200);
    expect((await admin('POST', '/sandbox/admin/plant/reversal', { out_trade_no: 'AID-C' })).json.order).toMatchObject({ tradeState: 'REVOKED' });
    expect((await admin('POST', '/sandbox/admin/orders/remove', { out_trade_no: plantedNo })).json.removed).toEqual({ outTradeNo: plantedNo, refunds: 0 });

    const creating = await v2Call(sandbox, '/pay/downloadbill', { bill_date: '20240510', bill_type: 'ALL' });
    expect(creating.fields.return_msg).toBe('Bill Creating');
    expect((await admin('POST', '/sandbox/admin/clock', { shift_ms: 24 * 3_600_000 })).json).toEqual({ bill_clock_shift_ms: 86_400_000 });
    expect((await admin('GET', '/sandbox/admin/clock')).json).toEqual({ bill_clock_shift_ms: 86_400_000 });

    const bill = parseBill((await v2Call(sandbox, '/pay/downloadbill', { bill_date: '20240510', bill_type: 'ALL' })).response.text);
    expect(bill.lines.map((l) => [l.outTradeNo, l.tradeState, l.orderFen, l.refundFen])).toEqual([
      ['AID-A', 'SUCCESS', 1000, 0],
      ['AID-B', 'SUCCESS', 2500, 0],
      ['AID-C', 'REVOKED', 3000, 0],
      ['AID-A', 'REFUND', 0, 300],
    ]);
  });

  it('refuses what the ledger refuses, with the reason, and malformed requests', async () => {
    expect(await admin('POST', '/sandbox/admin/plant/reversal', { out_trade_no: 'AID-A' })).toMatchObject({ status: 409, json: { error: 'REFUSED' } });
    expect((await admin('POST', '/sandbox/admin/orders/remove', { out_trade_no: 'NOPE' })).json.message).toBe('no order NOPE');
    expect((await admin('POST', '/sandbox/admin/plant/payment', { total_fen: -1 })).status).toBe(400);
    expect((await admin('POST', '/sandbox/admin/clock', { shift_ms: 'x' })).status).toBe(400);
  });

  it('offers the aids as forms on the sandbox page', async () => {
    const page = await send(sandbox, '/sandbox/');
    expect(page.text).toContain('id="aid-reversal"');
    expect(page.text).toContain('24 h ahead');
  });
});
