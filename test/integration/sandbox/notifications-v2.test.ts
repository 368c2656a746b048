import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import { MemoryLogger } from '../../../shared/log';
import { REFUND_SETTLE_MS } from '../../../electron/sandbox/refund-trades';
import { createWechatPayClient } from '../../../electron/wechat/factory';
import type { WechatPayClient } from '../../../electron/wechat/types';
import { decodeV2Notification } from '../../../electron/wechat/v2/notification';
import { credentialsOf, outNo, startHarness, type Harness } from '../wechat/harness';
import { startNotifyReceiver, type NotifyReceiver } from '../../helpers/notify-receiver';

/** v2 notifications: signed payment XML and AES-256-ECB encrypted refund results, verified at a real receiver. */

let h: Harness;
let receiver: NotifyReceiver;
let client: WechatPayClient;

beforeAll(async () => {
  h = await startHarness();
  receiver = await startNotifyReceiver(h.sandbox, h.clock);
  client = createWechatPayClient({
    apiVersion: 'v2',
    credentials: credentialsOf(h.sandbox),
    baseUrl: h.sandbox.url,
    timeouts: { connectMs: 3000, totalMs: 8000 },
    clock: h.clock,
    logger: new MemoryLogger(),
    spbillCreateIp: '127.0.0.1',
    notifyUrl: receiver.url('/v2'),
  });
});
afterAll(async () => {
  await receiver.close();
  await h.close();
});
afterEach(async () => {
  await h.sandbox.faults.clear();
  receiver.failNext(0);
  h.clock.advance(2 * 24 * 3600_000);
  await h.sandbox.notifications.pump();
  receiver.received.length = 0;
});

async function paidQr(totalFen: number): Promise<string> {
  const no = outNo('NV2');
  const created = await client.createNativeOrder({ outTradeNo: no, totalFen: fen(totalFen), description: '测试商品', productId: no, timeExpire: h.clock.now() + 30 * 60_000 });
  if (created.kind !== 'success') throw new Error(`native order failed: ${JSON.stringify(created)}`);
  h.sandbox.customerPay(created.value.codeUrl);
  return no;
}

describe('v2 notifications from the sandbox', () => {
  it('a paid QR is notified with signed XML that verifies and decodes; the SUCCESS answer stops the retries', async () => {
    const no = await paidQr(2300);
    await h.sandbox.notifications.pump();
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    expect(got?.body.toString('utf8')).toMatch(/^<xml>.*<sign>/);
    expect(got?.result).toMatchObject({
      ok: true,
      notification: { kind: 'payment', api: 'v2', outTradeNo: no, tradeState: 'SUCCESS', totalFen: 2300, payerTotalFen: 2300, tradeType: 'NATIVE' },
    });
    const n = got?.result.ok ? got.result.notification : null;
    expect(n?.id).toMatch(/^v2:pay:\d{28}$/);
    expect(h.sandbox.notifications.list().find((x) => x.outTradeNo === no)).toMatchObject({ state: 'delivered', api: 'v2' });
    h.clock.advance(3600_000);
    expect(await h.sandbox.notifications.pump()).toBe(0);
  });

  it('a finished refund is notified with req_info that decrypts under MD5(API key) to the refund and its amounts', async () => {
    const no = await paidQr(1000);
    await h.sandbox.notifications.pump();
    const refund = await client.refund({ outTradeNo: no, outRefundNo: `${no}R1`, totalFen: fen(1000), refundFen: fen(300) });
    expect(refund.kind).toBe('success');
    h.clock.advance(REFUND_SETTLE_MS);
    await h.sandbox.notifications.pump();
    const got = receiver.received[1];
    expect(got?.body.toString('utf8')).toContain('<req_info>');
    expect(got?.body.toString('utf8')).not.toContain(`${no}R1`);
    expect(got?.result).toMatchObject({
      ok: true,
      notification: { kind: 'refund', api: 'v2', outTradeNo: no, outRefundNo: `${no}R1`, refundStatus: 'SUCCESS', refundFen: 300, totalFen: 1000, eventType: 'REFUND.SUCCESS' },
    });
    expect(decodeV2Notification(got?.body ?? Buffer.alloc(0), { apiKey: 'k'.repeat(32) })).toMatchObject({ ok: false, reason: 'UNDECRYPTABLE' });
  });

  it('a receiver answering FAIL is tried again 15 s later', async () => {
    receiver.failNext(1);
    await paidQr(500);
    await h.sandbox.notifications.pump();
    h.clock.advance(15_000);
    await h.sandbox.notifications.pump();
    expect(receiver.received.map((r) => r.result.ok)).toEqual([true, true]);
    const attempts = h.sandbox.notifications.list().at(-1)?.attempts ?? [];
    expect(attempts.map((a) => a.accepted)).toEqual([false, true]);
    expect(attempts[0]?.answer).toContain('FAIL');
  });

  it('a tampered payment notification fails its signature check; a tampered refund one does not decrypt', async () => {
    await h.sandbox.faults.add({ kind: 'notify-tamper', times: 1 });
    const no = await paidQr(700);
    await h.sandbox.notifications.pump();
    expect(receiver.received[0]?.result).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    h.clock.advance(15_000);
    await h.sandbox.notifications.pump();
    expect(receiver.received[1]?.result.ok).toBe(true);
    await h.sandbox.faults.add({ kind: 'notify-tamper', times: 1 });
    await client.refund({ outTradeNo: no, outRefundNo: `${no}R`, totalFen: fen(700), refundFen: fen(700) });
    h.clock.advance(REFUND_SETTLE_MS);
    await h.sandbox.notifications.pump();
    const refused = receiver.received[2]?.result;
    expect(refused?.ok).toBe(false);
    expect(refused && !refused.ok && ['UNDECRYPTABLE', 'UNEXPECTED_PLAINTEXT']).toContain(refused && !refused.ok ? refused.reason : '');
  });

  it('refuses malformed XML and an oversized body with their own reasons', () => {
    const apiKey = h.sandbox.credentials.apiKeyV2;
    expect(decodeV2Notification(Buffer.from('<!DOCTYPE x><xml></xml>'), { apiKey })).toMatchObject({ ok: false, reason: 'MALFORMED_BODY' });
    expect(decodeV2Notification(Buffer.alloc(70_000, 0x41), { apiKey })).toMatchObject({ ok: false, reason: 'BODY_TOO_LARGE' });
  });
});
