import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import { REFUND_SETTLE_MS } from '../../../electron/sandbox/refund-trades';
import { RETRY_SCHEDULE_MS } from '../../../electron/sandbox/server';
import { createWechatPayClient } from '../../../electron/wechat/factory';
import type { WechatPayClient } from '../../../electron/wechat/types';
import { MemoryLogger } from '../../../shared/log';
import { credentialsOf, outNo, startHarness, walletCode, type Harness } from '../wechat/harness';
import { createV3NotificationDecoder } from '../../../electron/wechat/v3/notification';
import { decoderFor, startNotifyReceiver, type NotifyReceiver } from '../../helpers/notify-receiver';

/** The sandbox sends v3 notifications as WeChat does; the production decoder verifies them at a real receiver. */

let h: Harness;
let receiver: NotifyReceiver;
let client: WechatPayClient;

beforeAll(async () => {
  h = await startHarness();
  receiver = await startNotifyReceiver(h.sandbox, h.clock);
  client = createWechatPayClient({
    apiVersion: 'v3',
    credentials: { ...credentialsOf(h.sandbox), platformCertificates: [h.sandbox.platformCertificate] },
    baseUrl: h.sandbox.url,
    timeouts: { connectMs: 3000, totalMs: 8000 },
    clock: h.clock,
    logger: new MemoryLogger(),
    spbillCreateIp: '127.0.0.1',
    notifyUrl: receiver.url('/v3'),
  });
});
afterAll(async () => {
  await receiver.close();
  await h.close();
});
afterEach(async () => {
  await h.sandbox.faults.clear();
  h.sandbox.setV3SigningMode('public-key');
  receiver.failNext(0);
  // Nothing left over for the next test: everything due is sent, then the clock moves far past every retry.
  h.clock.advance(2 * 24 * 3600_000);
  await h.sandbox.notifications.pump();
  receiver.received.length = 0;
});

async function paidQr(totalFen = 1250): Promise<string> {
  const no = outNo('NQ');
  const created = await client.createNativeOrder({ outTradeNo: no, totalFen: fen(totalFen), description: '测试商品', productId: no, timeExpire: h.clock.now() + 30 * 60_000 });
  if (created.kind !== 'success') throw new Error(`native order failed: ${JSON.stringify(created)}`);
  h.sandbox.customerPay(created.value.codeUrl);
  return no;
}

const deliveriesOf = (outTradeNo: string) => h.sandbox.notifications.list().filter((n) => n.outTradeNo === outTradeNo);

describe('v3 payment notifications from the sandbox', () => {
  it('sends one TRANSACTION.SUCCESS for a paid QR that the verifier accepts, amounts in fen and the openid masked', async () => {
    const no = await paidQr(1250);
    expect(await h.sandbox.notifications.pump()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    expect(got?.headers['wechatpay-serial']).toBe(h.sandbox.credentials.wechatPayPublicKeyId);
    expect(got?.result).toMatchObject({
      ok: true,
      notification: { kind: 'payment', eventType: 'TRANSACTION.SUCCESS', outTradeNo: no, tradeState: 'SUCCESS', totalFen: 1250, payerTotalFen: 1250, mchid: h.sandbox.credentials.mchid },
    });
    const n = got?.result.ok ? got.result.notification : null;
    expect(n?.kind === 'payment' && n.payerOpenidMasked).toMatch(/^.{4}\*\*\*.{4}$/);
    expect(JSON.stringify(n)).not.toMatch(/oSbx[A-Za-z0-9_-]{24}/);
    const [view] = deliveriesOf(no);
    expect(view).toMatchObject({ state: 'delivered', failures: 0 });
    expect(view?.attempts).toMatchObject([{ attempt: 1, status: 204, accepted: true }]);
    expect(await h.sandbox.notifications.pump()).toBe(0);
  });

  it('sends nothing for a micropay payment: payment codes carry no notify_url', async () => {
    const outcome = await client.micropay({ outTradeNo: outNo('MP'), authCode: walletCode('01'), totalFen: fen(300), description: '条码支付' });
    expect(outcome.kind).toBe('success');
    expect(await h.sandbox.notifications.pump()).toBe(0);
    expect(receiver.received).toHaveLength(0);
  });

  it('verifies a platform-certificate-signed and a public-key-signed notification with both keys loaded, and refuses the serial it has no key for', async () => {
    // Each delivery is signed when it is sent, with the key the sandbox uses at that moment.
    await paidQr();
    await h.sandbox.notifications.pump();
    h.sandbox.setV3SigningMode('platform-certificate');
    await paidQr();
    await h.sandbox.notifications.pump();
    expect(receiver.received.map((r) => r.headers['wechatpay-serial'])).toEqual([h.sandbox.credentials.wechatPayPublicKeyId, h.sandbox.platformCertificate.serial]);
    expect(receiver.received.map((r) => r.result.ok)).toEqual([true, true]);
    const onlyPublicKey = decoderFor(h.sandbox, h.clock, 'public-key');
    const certSigned = receiver.received[1];
    expect(onlyPublicKey.decode(certSigned?.body ?? Buffer.alloc(0), certSigned?.headers ?? {})).toMatchObject({ ok: false, reason: 'UNKNOWN_SERIAL' });
  });

  it('retries on the real schedule until the receiver answers 2xx: 500 three times then 204 is exactly four deliveries at 0/15s/30s/60s', async () => {
    receiver.failNext(3, 500);
    const no = await paidQr();
    const t0 = h.clock.now();
    const sentAt: number[] = [];
    // Look every second for two minutes, then once much later: deliveries happen only when due.
    for (let s = 0; s <= 120; s += 1) {
      if ((await h.sandbox.notifications.pump()) > 0) sentAt.push(h.clock.now() - t0);
      h.clock.advance(1000);
    }
    h.clock.advance(3 * 3600_000);
    await h.sandbox.notifications.pump();
    expect(sentAt).toEqual([0, 15_000, 30_000, 60_000]);
    expect(receiver.received.map((r) => r.answeredStatus)).toEqual([500, 500, 500, 204]);
    expect(deliveriesOf(no)[0]).toMatchObject({ state: 'delivered', failures: 3 });
    const ids = receiver.received.map((r) => (r.result.ok ? r.result.notification.id : null));
    expect(new Set(ids).size).toBe(1);
  });

  it('compresses the schedule by the time factor', async () => {
    h.sandbox.notifications.setTimeFactor(1000);
    try {
      receiver.failNext(2, 503);
      await paidQr();
      await h.sandbox.notifications.pump();
      h.clock.advance(15);
      await h.sandbox.notifications.pump();
      h.clock.advance(15);
      await h.sandbox.notifications.pump();
      expect(receiver.received.map((r) => r.answeredStatus)).toEqual([503, 503, 204]);
    } finally {
      h.sandbox.notifications.setTimeFactor(1);
    }
  });
});

describe('v3 notification delivery limits', () => {
  it('gives up after the fifteenth retry, 24 h 4 min after the first delivery, when the receiver never accepts', async () => {
    receiver.failNext(1000, 500);
    const no = await paidQr();
    const t0 = h.clock.now();
    const sentAt: number[] = [];
    for (const wait of [0, ...RETRY_SCHEDULE_MS, 24 * 3600_000]) {
      h.clock.advance(wait);
      if ((await h.sandbox.notifications.pump()) > 0) sentAt.push(h.clock.now() - t0);
    }
    expect(sentAt).toHaveLength(16);
    expect(sentAt.at(-1)).toBe((24 * 60 + 4) * 60_000);
    expect(deliveriesOf(no)[0]).toMatchObject({ state: 'given-up', failures: 16, nextAttemptAt: null });
  });

  it('out of order with no refund coming: the held payment notification still goes after 10 minutes', async () => {
    await h.sandbox.faults.add({ kind: 'notify-out-of-order', times: 1 });
    await paidQr();
    await h.sandbox.notifications.pump();
    h.clock.advance(10 * 60_000 - 1);
    await h.sandbox.notifications.pump();
    expect(receiver.received).toHaveLength(0);
    h.clock.advance(1);
    await h.sandbox.notifications.pump();
    expect(receiver.received.map((r) => r.result.ok)).toEqual([true]);
  });
});

describe('v3 notification fault switches', () => {
  it('duplicate: the same notification arrives twice about a second apart, with the same id', async () => {
    await h.sandbox.faults.add({ kind: 'notify-duplicate', times: 1 });
    await paidQr();
    await h.sandbox.notifications.pump();
    h.clock.advance(1000);
    await h.sandbox.notifications.pump();
    expect(receiver.received).toHaveLength(2);
    const [a, b] = receiver.received.map((r) => (r.result.ok ? r.result.notification : null));
    expect(a).not.toBeNull();
    expect(b).toEqual(a);
  });

  it('tampered signature: refused as BAD_SIGNATURE (4xx), and the clean retry 15 s later is accepted', async () => {
    await h.sandbox.faults.add({ kind: 'notify-tamper', times: 1 });
    await paidQr();
    await h.sandbox.notifications.pump();
    expect(receiver.received[0]?.result).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(receiver.received[0]?.answeredStatus).toBe(401);
    h.clock.advance(15_000);
    await h.sandbox.notifications.pump();
    expect(receiver.received[1]?.result.ok).toBe(true);
  });

  it('stale timestamp: refused as STALE_TIMESTAMP although the signature is valid', async () => {
    await h.sandbox.faults.add({ kind: 'notify-stale', times: 1 });
    await paidQr();
    await h.sandbox.notifications.pump();
    expect(receiver.received[0]?.result).toMatchObject({ ok: false, reason: 'STALE_TIMESTAMP' });
    const ts = Number(receiver.received[0]?.headers['wechatpay-timestamp']);
    expect(h.clock.now() / 1000 - ts).toBeGreaterThan(300);
  });

  it('wrong amount: decodes (it is genuinely signed) but the amount differs from the order', async () => {
    await h.sandbox.faults.add({ kind: 'notify-wrong-amount', times: 1 });
    const no = await paidQr(800);
    await h.sandbox.notifications.pump();
    const result = receiver.received[0]?.result;
    expect(result).toMatchObject({ ok: true, notification: { outTradeNo: no, totalFen: 900 } });
    expect(h.sandbox.getOrder(no)?.totalFen).toBe(800);
  });

  it('out of order: the refund notification arrives before the payment notification of the same order', async () => {
    await h.sandbox.faults.add({ kind: 'notify-out-of-order', times: 1 });
    const no = await paidQr(1000);
    await h.sandbox.notifications.pump();
    expect(receiver.received).toHaveLength(0);
    const refund = await client.refund({ outTradeNo: no, outRefundNo: `${no}R`, totalFen: fen(1000), refundFen: fen(400) });
    expect(refund.kind).toBe('success');
    h.clock.advance(REFUND_SETTLE_MS);
    await h.sandbox.notifications.pump();
    expect(receiver.received.map((r) => (r.result.ok ? r.result.notification.eventType : r.result.reason))).toEqual(['REFUND.SUCCESS', 'TRANSACTION.SUCCESS']);
    expect(receiver.received[0]?.result).toMatchObject({ ok: true, notification: { kind: 'refund', outTradeNo: no, outRefundNo: `${no}R`, refundStatus: 'SUCCESS', refundFen: 400, totalFen: 1000 } });
    expect(h.sandbox.notifications.list().find((n) => n.outTradeNo === no && n.kind === 'payment')?.attempts[0]?.faults).toEqual(['out-of-order']);
  });
});

describe('v3 notification decoder refusals', () => {
  it('refuses an undecryptable resource, a wrong merchant, an oversized body and missing headers, each with its own reason', async () => {
    await paidQr();
    await h.sandbox.notifications.pump();
    const first = receiver.received[0];
    if (!first) throw new Error('nothing was delivered');
    const { body, headers } = first;
    const c = h.sandbox.credentials;
    const keys = { wechatPayPublicKeys: [{ id: c.wechatPayPublicKeyId, pem: c.wechatPayPublicKeyPem }], clock: h.clock };
    expect(createV3NotificationDecoder({ ...keys, apiV3Key: 'x'.repeat(32) }).decode(body, headers)).toMatchObject({ ok: false, reason: 'UNDECRYPTABLE' });
    expect(createV3NotificationDecoder({ ...keys, apiV3Key: c.apiV3Key, mchid: '1999999999' }).decode(body, headers)).toMatchObject({ ok: false, reason: 'WRONG_MERCHANT' });
    expect(createV3NotificationDecoder({ ...keys, apiV3Key: c.apiV3Key, maxBodyBytes: 100 }).decode(body, headers)).toMatchObject({ ok: false, reason: 'BODY_TOO_LARGE' });
    const { 'wechatpay-signature': _dropped, ...unsigned } = headers;
    const refusal = createV3NotificationDecoder({ ...keys, apiV3Key: c.apiV3Key }).decode(body, unsigned);
    expect(refusal).toMatchObject({ ok: false, reason: 'MISSING_HEADERS' });
    expect(JSON.stringify(refusal)).not.toContain(c.apiV3Key);
  });
});

describe('notifications on the sandbox page and admin API', () => {
  it('lists every delivery with its answer, pumps on request, and refuses an invalid time factor', async () => {
    const no = await paidQr();
    const admin = (method: string, path: string, body: unknown = null) =>
      h.sandbox.handleAdminRequest({ method, path, body: Buffer.from(body === null ? '' : JSON.stringify(body)) });
    expect(JSON.parse((await admin('POST', '/sandbox/admin/notifications/pump')).body.toString())).toEqual({ sent: 1 });
    const listed = JSON.parse((await admin('GET', '/sandbox/admin/notifications')).body.toString()) as {
      time_factor: number;
      notifications: { outTradeNo: string; attempts: { status: number; accepted: boolean; body: string }[] }[];
    };
    expect(listed.time_factor).toBe(1);
    const mine = listed.notifications.find((n) => n.outTradeNo === no);
    expect(mine?.attempts).toMatchObject([{ status: 204, accepted: true }]);
    expect(mine?.attempts[0]?.body).toContain('"resource_type":"encrypt-resource"');
    expect((await admin('POST', '/sandbox/admin/notifications/time-factor', { factor: 0 })).status).toBe(400);
    expect(JSON.parse((await admin('POST', '/sandbox/admin/notifications/time-factor', { factor: 60 })).body.toString())).toEqual({ time_factor: 60 });
    h.sandbox.notifications.setTimeFactor(1);
    const page = (await admin('GET', '/sandbox/')).body.toString();
    expect(page).toContain('支付通知 / Notifications');
    expect(page).toContain(no);
  });
});
