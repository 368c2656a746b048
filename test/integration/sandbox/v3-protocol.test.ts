import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { decryptAeadAes256Gcm } from '../../../electron/wechat/v3/aead';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { outNo, send, v3Call, v3Verified, walletCode } from './raw-client';

const clock = new ManualClock(Date.UTC(2024, 4, 10, 2, 0, 0));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
});
afterAll(async () => {
  await sandbox.close();
});

const nativeBody = (overrides: Record<string, unknown> = {}) => ({
  appid: sandbox.credentials.appid,
  mchid: sandbox.credentials.mchid,
  description: '沙箱-蛋糕',
  out_trade_no: outNo('N'),
  notify_url: 'https://pos.invalid/notify',
  amount: { total: 2000, currency: 'CNY' },
  ...overrides,
});

describe('v3 request signatures', () => {
  it('accepts a request signed with the merchant key and signs its answer with the WeChat Pay public key', async () => {
    const { response, json } = await v3Call(sandbox, 'POST', '/v3/pay/transactions/native', nativeBody(), clock.now());
    expect(response.status).toBe(200);
    expect(String(json.code_url)).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(response.headers['wechatpay-serial']).toBe(sandbox.credentials.wechatPayPublicKeyId);
    expect(response.headers['wechatpay-timestamp']).toBe(String(Math.floor(clock.now() / 1000)));
    expect(v3Verified(sandbox, response)).toBe(true);
  });

  it('rejects a request signed with the wrong key with 401 SIGN_ERROR, itself signed', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrongKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const before = sandbox.listOrders().length;
    const { response, json } = await v3Call(sandbox, 'POST', '/v3/pay/transactions/native', nativeBody(), clock.now(), {
      privateKeyPem: wrongKey,
    });
    expect(response.status).toBe(401);
    expect(json.code).toBe('SIGN_ERROR');
    expect(v3Verified(sandbox, response)).toBe(true);
    expect(sandbox.listOrders().length).toBe(before);
  });

  it('rejects an unknown certificate serial, a stale timestamp and a missing Authorization', async () => {
    const serial = await v3Call(sandbox, 'GET', `/v3/pay/transactions/out-trade-no/NONE01?mchid=${sandbox.credentials.mchid}`, undefined, clock.now(), {
      serial: '1234567890ABCDEF1234567890ABCDEF12345678',
    });
    expect([serial.response.status, serial.json.code]).toEqual([401, 'SIGN_ERROR']);
    const stale = await v3Call(sandbox, 'GET', `/v3/pay/transactions/out-trade-no/NONE01?mchid=${sandbox.credentials.mchid}`, undefined, clock.now(), {
      timestamp: Math.floor(clock.now() / 1000) - 301,
    });
    expect([stale.response.status, stale.json.code]).toEqual([401, 'SIGN_ERROR']);
    const none = await send(sandbox, `/v3/pay/transactions/out-trade-no/NONE01?mchid=${sandbox.credentials.mchid}`);
    expect(none.status).toBe(401);
    expect((JSON.parse(none.text) as { code: string }).code).toBe('SIGN_ERROR');
  });

  it('covers the path and query string with the signature', async () => {
    const path = `/v3/pay/transactions/out-trade-no/NONE01?mchid=${sandbox.credentials.mchid}`;
    const signed = await v3Call(sandbox, 'GET', path, undefined, clock.now());
    expect([signed.response.status, signed.json.code]).toEqual([404, 'ORDER_NOT_EXIST']);
    const altered = await v3Call(sandbox, 'GET', `${path}&limit=1`, undefined, clock.now(), { signedPath: path });
    expect([altered.response.status, altered.json.code]).toEqual([401, 'SIGN_ERROR']);
  });

  it('answers malformed JSON with 400 PARAM_ERROR', async () => {
    const { response, json } = await v3Call(sandbox, 'POST', '/v3/pay/transactions/native', undefined, clock.now(), {
      rawBody: '{"appid": "wx", "amount": {"total": 1',
    });
    expect(response.status).toBe(400);
    expect(json.code).toBe('PARAM_ERROR');
    expect(v3Verified(sandbox, response)).toBe(true);
  });

  it('answers a field of the wrong type or a missing field with 400 PARAM_ERROR', async () => {
    const wrongType = await v3Call(sandbox, 'POST', '/v3/pay/transactions/native', nativeBody({ amount: { total: '20.00' } }), clock.now());
    expect([wrongType.response.status, wrongType.json.code]).toEqual([400, 'PARAM_ERROR']);
    const body: Record<string, unknown> = nativeBody();
    delete body.notify_url;
    const missing = await v3Call(sandbox, 'POST', '/v3/pay/transactions/native', body, clock.now());
    expect([missing.response.status, missing.json.code]).toEqual([400, 'PARAM_ERROR']);
  });

  it('requires scene_info on codepay, as the v3 interface does', async () => {
    const { response, json } = await v3Call(
      sandbox,
      'POST',
      '/v3/pay/transactions/codepay',
      { appid: sandbox.credentials.appid, mchid: sandbox.credentials.mchid, description: 'd', out_trade_no: outNo('C'), payer: { auth_code: walletCode('01') }, amount: { total: 1 } },
      clock.now(),
    );
    expect([response.status, json.code]).toEqual([400, 'PARAM_ERROR']);
  });
});

describe('v3 platform certificate mode', () => {
  it('serves the platform certificate encrypted with the APIv3 key, signed by that certificate', async () => {
    const { response, json } = await v3Call(sandbox, 'GET', '/v3/certificates', undefined, clock.now());
    expect(response.status).toBe(200);
    const data = json.data as { serial_no: string; encrypt_certificate: { nonce: string; associated_data: string; ciphertext: string } }[];
    const entry = data[0];
    if (!entry) throw new Error('no certificate');
    expect(entry.serial_no).toBe(sandbox.platformCertificate.serial);
    const pem = decryptAeadAes256Gcm({
      key: sandbox.credentials.apiV3Key,
      nonce: entry.encrypt_certificate.nonce,
      associatedData: entry.encrypt_certificate.associated_data,
      ciphertext: entry.encrypt_certificate.ciphertext,
    });
    expect(pem).toBe(sandbox.platformCertificate.pem);
    expect(response.headers['wechatpay-serial']).toBe(sandbox.platformCertificate.serial);
    expect(v3Verified(sandbox, response, pem)).toBe(true);
  });

  it('signs answers with the platform certificate when switched to the older mode', async () => {
    sandbox.setV3SigningMode('platform-certificate');
    try {
      const { response } = await v3Call(sandbox, 'POST', '/v3/pay/transactions/native', nativeBody(), clock.now());
      expect(response.headers['wechatpay-serial']).toBe(sandbox.platformCertificate.serial);
      expect(v3Verified(sandbox, response, sandbox.platformCertificate.pem)).toBe(true);
      expect(v3Verified(sandbox, response)).toBe(false);
    } finally {
      sandbox.setV3SigningMode('public-key');
    }
  });
});
