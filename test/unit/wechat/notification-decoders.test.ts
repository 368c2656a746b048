import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { signV2 } from '../../../electron/wechat/v2/sign';
import { toXml } from '../../../electron/wechat/v2/xml';
import { decodeV2Notification, v2NotificationAnswer } from '../../../electron/wechat/v2/notification';
import { encryptAeadAes256Gcm } from '../../../electron/wechat/v3/aead';
import { signSha256Rsa, v3Message } from '../../../electron/wechat/v3/sign';
import { createV3NotificationDecoder, NotificationKeyError, v3NotificationAnswer } from '../../../electron/wechat/v3/notification';
import { createTestPki, type TestPki } from './helpers/pki';

const NOW = Date.UTC(2024, 2, 1, 4, 0, 0);
const API_V3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const API_KEY = 'ZYXWVUTSRQPONMLKJIHGFEDCBA543210';
const PUB_KEY_ID = 'PUB_KEY_ID_0119000000012024030100000000000001';
const clock = new ManualClock(NOW);
let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

const transaction = {
  appid: 'wx00000000000000a1',
  mchid: '1900000001',
  out_trade_no: 'S1',
  transaction_id: '4200000001202403011234567890',
  trade_type: 'NATIVE',
  trade_state: 'SUCCESS',
  success_time: '2024-03-01T12:00:00+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 1250, payer_total: 1250, currency: 'CNY', payer_currency: 'CNY' },
};

/** A notification as WeChat sends it: resource encrypted with the APIv3 key, body signed by `signer`. */
function notification(plaintext: unknown, opts: { eventType?: string; signer?: 'public-key' | 'certificate'; body?: string } = {}) {
  const nonce = 'r1a2n3d4o5m6';
  const body =
    opts.body ??
    JSON.stringify({
      id: 'EV-1',
      create_time: '2024-03-01T12:00:01+08:00',
      resource_type: 'encrypt-resource',
      event_type: opts.eventType ?? 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: encryptAeadAes256Gcm({ key: API_V3_KEY, nonce, associatedData: 'transaction', plaintext: JSON.stringify(plaintext) }),
        associated_data: 'transaction',
        nonce,
      },
    });
  const timestamp = String(NOW / 1000);
  const certificate = opts.signer === 'certificate';
  const headers = {
    'wechatpay-timestamp': timestamp,
    'wechatpay-nonce': 'N0NCE',
    'wechatpay-serial': certificate ? pki.platformSerial : PUB_KEY_ID,
    'wechatpay-signature': signSha256Rsa(v3Message([timestamp, 'N0NCE', body]), certificate ? pki.platformKeyPem : pki.wechatPayPrivateKeyPem),
  };
  return { body: Buffer.from(body, 'utf8'), headers };
}

const decoder = () =>
  createV3NotificationDecoder({
    apiV3Key: API_V3_KEY,
    wechatPayPublicKeys: [{ id: PUB_KEY_ID, pem: pki.wechatPayPublicKeyPem }],
    platformCertificates: [{ serial: pki.platformSerial.toLowerCase(), pem: pki.platformCertPem }],
    clock,
  });

describe('v3 notification decoder', () => {
  it('accepts a payment signed by the public key or by the platform certificate (serials compared without case)', () => {
    for (const signer of ['public-key', 'certificate'] as const) {
      const { body, headers } = notification(transaction, { signer });
      expect(decoder().decode(body, headers)).toMatchObject({
        ok: true,
        notification: { id: 'EV-1', outTradeNo: 'S1', totalFen: 1250, payerOpenidMasked: 'oUpF***eS6o', successTime: Date.UTC(2024, 2, 1, 4, 0, 0) },
      });
    }
  });

  it('refuses a plaintext of the wrong shape, an unknown event, a body that is not JSON, and a refund status that contradicts the event', () => {
    const { amount: _amount, ...noAmount } = transaction;
    const shapeless = notification(noAmount);
    expect(decoder().decode(shapeless.body, shapeless.headers)).toMatchObject({ ok: false, reason: 'UNEXPECTED_PLAINTEXT' });
    const unknown = notification(transaction, { eventType: 'TRANSACTION.MAYBE' });
    expect(decoder().decode(unknown.body, unknown.headers)).toMatchObject({ ok: false, reason: 'UNKNOWN_EVENT' });
    const notJson = notification(null, { body: 'not json' });
    expect(decoder().decode(notJson.body, notJson.headers)).toMatchObject({ ok: false, reason: 'MALFORMED_BODY' });
    const refund = { mchid: '1900000001', out_trade_no: 'S1', transaction_id: 'T', out_refund_no: 'R1', refund_id: '503', refund_status: 'CLOSED', amount: { total: 1250, refund: 100, payer_total: 1250, payer_refund: 100 } };
    const mismatch = notification(refund, { eventType: 'REFUND.SUCCESS' });
    expect(decoder().decode(mismatch.body, mismatch.headers)).toMatchObject({ ok: false, reason: 'UNEXPECTED_PLAINTEXT' });
    const closed = notification(refund, { eventType: 'REFUND.CLOSED' });
    expect(decoder().decode(closed.body, closed.headers)).toMatchObject({ ok: true, notification: { kind: 'refund', refundStatus: 'CLOSED', refundFen: 100 } });
  });

  it('refuses a timestamp five minutes off either way', () => {
    const { body, headers } = notification(transaction);
    for (const offset of [-300_000, 300_000]) {
      const skewed = createV3NotificationDecoder({ apiV3Key: API_V3_KEY, wechatPayPublicKeys: [{ id: PUB_KEY_ID, pem: pki.wechatPayPublicKeyPem }], clock: new ManualClock(NOW + offset) });
      expect(skewed.decode(body, headers)).toMatchObject({ ok: false, reason: 'STALE_TIMESTAMP' });
    }
  });

  it('cannot be built without a verification key or with an APIv3 key of the wrong length', () => {
    expect(() => createV3NotificationDecoder({ apiV3Key: API_V3_KEY, clock })).toThrow(NotificationKeyError);
    expect(() => createV3NotificationDecoder({ apiV3Key: 'short', wechatPayPublicKeys: [{ id: PUB_KEY_ID, pem: pki.wechatPayPublicKeyPem }], clock })).toThrow(NotificationKeyError);
  });

  it('answers 204 when accepted, 4xx {code, message} when refused, 500 when recording failed', () => {
    expect(v3NotificationAnswer({ kind: 'accepted' })).toMatchObject({ status: 204, body: '' });
    const refused = v3NotificationAnswer({ kind: 'refused', reason: 'BAD_SIGNATURE' });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'FAIL' });
    expect(v3NotificationAnswer({ kind: 'refused', reason: 'UNEXPECTED_PLAINTEXT' }).status).toBe(400);
    expect(v3NotificationAnswer({ kind: 'failed' }).status).toBe(500);
  });
});

describe('v2 notification decoder', () => {
  const payment = (signType: 'MD5' | 'HMAC-SHA256', extra: Record<string, string> = {}) => {
    const fields: Record<string, string> = {
      return_code: 'SUCCESS',
      appid: 'wx00000000000000a1',
      mch_id: '1900000001',
      nonce_str: 'abc',
      result_code: 'SUCCESS',
      openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      trade_type: 'NATIVE',
      total_fee: '1250',
      cash_fee: '1250',
      transaction_id: '4200000001202403011234567890',
      out_trade_no: 'S1',
      time_end: '20240301120000',
      ...extra,
    };
    fields.sign = signV2(fields, API_KEY, signType);
    return Buffer.from(toXml(fields), 'utf8');
  };

  it('accepts an MD5 or HMAC-SHA256 signed payment and refuses another merchant or a forged sign', () => {
    for (const type of ['MD5', 'HMAC-SHA256'] as const) {
      expect(decodeV2Notification(payment(type), { apiKey: API_KEY })).toMatchObject({
        ok: true,
        notification: { id: 'v2:pay:4200000001202403011234567890', totalFen: 1250, successTime: Date.UTC(2024, 2, 1, 4, 0, 0), payerOpenidMasked: 'oUpF***eS6o' },
      });
    }
    expect(decodeV2Notification(payment('MD5'), { apiKey: API_KEY, mchid: '1900000002' })).toMatchObject({ ok: false, reason: 'WRONG_MERCHANT' });
    expect(decodeV2Notification(payment('MD5'), { apiKey: 'Z'.repeat(32) })).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('answers SUCCESS to stop the retries and FAIL otherwise', () => {
    expect(v2NotificationAnswer({ kind: 'accepted' }).body).toContain('<return_code><![CDATA[SUCCESS]]></return_code>');
    expect(v2NotificationAnswer({ kind: 'refused', reason: 'BAD_SIGNATURE' }).body).toContain('<return_code><![CDATA[FAIL]]></return_code>');
  });
});
