import { request } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { fen } from '../../../shared/money';
import { HUB_PATHS, paymentHintSchema, type PaymentHint } from '../../../shared/hub-protocol';
import { REFUND_SETTLE_MS } from '../../../electron/sandbox/refund-trades';
import type { NotifyFaultKind } from '../../../electron/sandbox/faults';
import { HUB_ENGINES } from '../../helpers/hub-harness';
import { startNotifyRig, type NotifyRig } from '../../helpers/hub-notify-rig';

/**
 * WeChat's notifications at the hub, from the sandbox's real notification pump over real HTTPS: verified with the
 * merchant's keys, recorded once with their effect, checked against the counters' facts, refused with nothing
 * recorded when they do not verify. Each sandbox fault switch gives its outcome.
 */

describe.each(HUB_ENGINES)('WeChat notifications at the hub on %s', (engine) => {
  let rig: NotifyRig;
  const hints: PaymentHint[] = [];

  beforeAll(async () => {
    rig = await startNotifyRig(engine);
    rig.t.hub.hints.subscribe(rig.counter.terminalId, (hint) => hints.push(hint));
  });
  afterAll(async () => {
    await rig.close();
  });
  afterEach(async () => {
    await rig.sandbox.faults.clear();
    rig.sandbox.setV3SigningMode('public-key');
    // Nothing left for the next test: every retry sent, then far past the schedule.
    rig.t.clock.advance(2 * 24 * 3600_000);
    await rig.sandbox.notifications.pump();
    hints.length = 0;
  });

  const db = () => rig.t.hub.database.db;
  const notificationsOf = (outTradeNo: string) => db().selectFrom('hub_notifications').selectAll().where('out_trade_no', '=', outTradeNo).orderBy('received_at').execute();
  const orderOf = (outTradeNo: string) => db().selectFrom('hub_wechat_orders').selectAll().where('out_trade_no', '=', outTradeNo).executeTakeFirst();
  const deliveries = (outTradeNo: string) => rig.sandbox.notifications.list().filter((n) => n.outTradeNo === outTradeNo).flatMap((n) => n.attempts);
  const fault = (kind: NotifyFaultKind) => rig.sandbox.faults.add({ kind, times: 1 });

  it('records a paid QR once: the order paid at the hub, WeChat answered 204, a hint for its counter', async () => {
    const no = await rig.paidQr(1250);
    expect(await rig.sandbox.notifications.pump()).toBe(1);
    expect(deliveries(no)).toMatchObject([{ status: 204, accepted: true }]);
    expect(await notificationsOf(no)).toMatchObject([{ kind: 'payment', outcome: 'applied', amount_fen: 1250, terminal_id: rig.counter.terminalId, store_id: rig.storeId }]);
    expect(await orderOf(no)).toMatchObject({ state: 'SUCCESS', total_fen: 1250, terminal_id: rig.counter.terminalId });
    expect(hints).toEqual([{ type: 'hint', kind: 'paid', outTradeNo: no, outRefundNo: null }]);
  });

  it('verifies with the platform certificate too during a switch-over', async () => {
    rig.sandbox.setV3SigningMode('platform-certificate');
    const no = await rig.paidQr(800);
    await rig.sandbox.notifications.pump();
    expect(deliveries(no)).toMatchObject([{ status: 204 }]);
    expect(await orderOf(no)).toMatchObject({ state: 'SUCCESS' });
  });

  it('processes a duplicate delivered a second later once and answers it as received', async () => {
    await fault('notify-duplicate');
    const no = await rig.paidQr(990);
    await rig.sandbox.notifications.pump();
    rig.t.clock.advance(1_000);
    await rig.sandbox.notifications.pump();
    expect(deliveries(no).map((a) => a.status)).toEqual([204, 204]);
    expect(await notificationsOf(no)).toHaveLength(1);
    expect(hints).toHaveLength(1);
  });

  it('refuses a tampered signature with 401 and records nothing, then records the genuine retry', async () => {
    await fault('notify-tamper');
    const no = await rig.paidQr(500);
    await rig.sandbox.notifications.pump();
    expect(deliveries(no)).toMatchObject([{ status: 401, accepted: false }]);
    expect(await notificationsOf(no)).toEqual([]);
    expect(await orderOf(no)).toBeUndefined();
    expect(hints).toEqual([]);
    const refusal = rig.t.log.lines.find((l) => l.message === 'hub: WeChat notification refused' && l.fields.reason === 'BAD_SIGNATURE');
    expect(refusal).toBeDefined();
    const signature = deliveries(no)[0]?.headers['Wechatpay-Signature'] ?? 'none';
    expect(rig.t.log.text()).not.toContain(signature);
    expect(rig.t.log.text()).not.toContain(rig.sandbox.credentials.apiV3Key);
    rig.t.clock.advance(15_000);
    await rig.sandbox.notifications.pump();
    expect(deliveries(no).map((a) => a.status)).toEqual([401, 204]);
    expect(await notificationsOf(no)).toMatchObject([{ outcome: 'applied' }]);
  });

  it('refuses a timestamp six minutes old with 401 and records nothing', async () => {
    await fault('notify-stale');
    const no = await rig.paidQr(501);
    await rig.sandbox.notifications.pump();
    expect(deliveries(no)).toMatchObject([{ status: 401 }]);
    expect(await notificationsOf(no)).toEqual([]);
    expect(rig.t.log.lines.some((l) => l.fields.reason === 'STALE_TIMESTAMP')).toBe(true);
  });

  it('raises an alert for a genuinely signed wrong amount and never records the sale paid', async () => {
    await fault('notify-wrong-amount');
    const no = await rig.paidQr(700);
    await rig.sandbox.notifications.pump();
    expect(deliveries(no)).toMatchObject([{ status: 204 }]);
    expect(await notificationsOf(no)).toMatchObject([{ outcome: 'mismatch', amount_fen: 800 }]);
    expect(await orderOf(no)).toBeUndefined();
    const alerts = await db().selectFrom('alerts').selectAll().where('kind', '=', 'notification-mismatch').execute();
    expect(alerts.filter((a) => a.detail.includes(no))).toHaveLength(1);
    expect(hints).toEqual([]);
  });

  it('ignores a payment notice that arrives after its refund\'s, once the order is final', async () => {
    await fault('notify-out-of-order');
    const no = await rig.paidQr(1500);
    await rig.sandbox.notifications.pump();
    expect(deliveries(no)).toEqual([]);
    const refundNo = `${no}R1`;
    await rig.pushRefund(no, refundNo, 1500);
    const refund = await rig.client('v3').refund({ outTradeNo: no, outRefundNo: refundNo, totalFen: fen(1500), refundFen: fen(1500) });
    expect(refund.kind).toBe('success');
    rig.t.clock.advance(REFUND_SETTLE_MS + 1);
    await rig.sandbox.notifications.pump();
    const rows = await notificationsOf(no);
    expect(rows.map((r) => [r.kind, r.outcome])).toEqual([['refund', 'applied'], ['payment', 'ignored-final']]);
    expect(await orderOf(no)).toMatchObject({ state: 'REFUND' });
    expect(await db().selectFrom('hub_wechat_refunds').selectAll().where('out_refund_no', '=', refundNo).execute()).toMatchObject([{ status: 'SUCCESS', refund_fen: 1500 }]);
  });

  it('keeps a notice for an order no counter fact names yet, and matches it when the fact arrives', async () => {
    const no = await rig.paidQr(4200, { fact: false });
    await rig.sandbox.notifications.pump();
    expect(deliveries(no)).toMatchObject([{ status: 204 }]);
    expect(await notificationsOf(no)).toMatchObject([{ outcome: 'awaiting-order', store_id: null }]);
    expect(await orderOf(no)).toBeUndefined();
    // The hint still goes to the terminal named by the out_trade_no: the counter confirms it with WeChat itself.
    expect(hints).toEqual([{ type: 'hint', kind: 'paid', outTradeNo: no, outRefundNo: null }]);
    await rig.pushSale(no, 4200);
    expect(await notificationsOf(no)).toMatchObject([{ outcome: 'applied', store_id: rig.storeId }]);
    expect(await orderOf(no)).toMatchObject({ state: 'SUCCESS', total_fen: 4200 });
  });

  it('records 100 concurrent deliveries of the same notification as one effect', async () => {
    const no = await rig.paidQr(3300);
    await rig.sandbox.notifications.pump();
    const first = deliveries(no)[0];
    if (!first) throw new Error('no delivery');
    hints.length = 0;
    await db().deleteFrom('hub_wechat_orders').where('out_trade_no', '=', no).execute();
    await db().deleteFrom('hub_notifications').where('out_trade_no', '=', no).execute();
    const statuses = await Promise.all(Array.from({ length: 100 }, () => post(`${rig.notifyUrl('v3')}`, first.headers, first.body, rig)));
    expect(statuses.every((s) => s === 204)).toBe(true);
    expect(await notificationsOf(no)).toHaveLength(1);
    expect(await db().selectFrom('hub_wechat_orders').selectAll().where('out_trade_no', '=', no).execute()).toHaveLength(1);
    expect(hints).toHaveLength(1);
  });

  it('records v2 payment and refund notifications, and refuses a tampered v2 one with 400 and a FAIL answer', async () => {
    const no = await rig.paidQr(610, { api: 'v2' });
    await rig.sandbox.notifications.pump();
    expect(deliveries(no)).toMatchObject([{ status: 200, accepted: true }]);
    expect(await notificationsOf(no)).toMatchObject([{ api: 'v2', outcome: 'applied' }]);
    const refundNo = `${no}R1`;
    await rig.pushRefund(no, refundNo, 300);
    expect((await rig.client('v2').refund({ outTradeNo: no, outRefundNo: refundNo, totalFen: fen(610), refundFen: fen(300) })).kind).toBe('success');
    rig.t.clock.advance(REFUND_SETTLE_MS + 1);
    await rig.sandbox.notifications.pump();
    expect((await notificationsOf(no)).map((r) => [r.kind, r.outcome])).toEqual([['payment', 'applied'], ['refund', 'applied']]);

    await fault('notify-tamper');
    const tampered = await rig.paidQr(620, { api: 'v2' });
    await rig.sandbox.notifications.pump();
    expect(deliveries(tampered)).toMatchObject([{ status: 400, accepted: false }]);
    expect(deliveries(tampered)[0]?.answer).toContain('<return_code><![CDATA[FAIL]]></return_code>');
    expect(await notificationsOf(tampered)).toEqual([]);
  });

  it('refuses a body over the size limit with 413 before reading it', async () => {
    const status = await post(rig.notifyUrl('v3'), { 'Content-Type': 'application/json' }, 'x'.repeat(70 * 1024), rig);
    expect(status).toBe(413);
  });
});

describe.each(HUB_ENGINES)('the counters\' push channel on %s', (engine) => {
  let rig: NotifyRig;
  beforeAll(async () => {
    rig = await startNotifyRig(engine);
  });
  afterAll(async () => {
    await rig.close();
  });

  it('pushes the paid hint of a notified order to its counter\'s signed WebSocket, and refuses an unsigned one', async () => {
    const wsUrl = `${rig.t.hub.url.replace(/^http/, 'ws')}${HUB_PATHS.push}`;
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(refused).toBe(401);
    const ws = new WebSocket(wsUrl, { headers: rig.counter.signedGetHeaders(HUB_PATHS.push) });
    const messages: unknown[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    const no = await rig.paidQr(1990);
    await rig.sandbox.notifications.pump();
    await vi.waitFor(() => expect(messages).toEqual([{ type: 'hint', kind: 'paid', outTradeNo: no, outRefundNo: null }]));
    expect(paymentHintSchema.safeParse(messages[0]).success).toBe(true);
    ws.close();
  });
});

/** One POST over HTTPS trusting the sandbox identity's CA (the TLS front's certificate). */
function post(url: string, headers: Record<string, string>, body: string, rig: NotifyRig): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, ca: rig.sandbox.credentials.caCertPem, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}
