import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { silentLogger } from '../../../shared/log';
import type { WechatClientConfig } from '../../../electron/wechat/config';
import { createWechatPayClient, WechatConfigError } from '../../../electron/wechat/factory';
import type { WechatCredentials } from '../../../electron/wechat/types';
import { WechatPayV2Client } from '../../../electron/wechat/v2/client';
import { WechatPayV3Client } from '../../../electron/wechat/v3/client';
import { createTestPki } from './helpers/pki';

function config(apiVersion: 'v2' | 'v3', credentials: WechatCredentials, extra: Partial<WechatClientConfig> = {}): WechatClientConfig {
  return {
    apiVersion,
    credentials,
    baseUrl: 'https://api.mch.weixin.qq.com',
    timeouts: { connectMs: 3000, totalMs: 10000 },
    clock: new ManualClock(0),
    logger: silentLogger,
    spbillCreateIp: '127.0.0.1',
    ...extra,
  };
}

describe('createWechatPayClient', () => {
  it('builds a v2 client from the v2 key', () => {
    const client = createWechatPayClient(config('v2', { mchid: '1', appid: 'wx1', apiKeyV2: 'k'.repeat(32) }));
    expect(client).toBeInstanceOf(WechatPayV2Client);
    expect(client.apiVersion).toBe('v2');
  });

  it('builds a v3 client from the private key, serial and a WeChat Pay key', async () => {
    const pki = await createTestPki();
    const credentials = {
      mchid: '1',
      appid: 'wx1',
      merchantPrivateKeyPem: pki.merchantKeyPem,
      merchantCertSerial: pki.merchantSerial,
      wechatPayPublicKeyPem: pki.wechatPayPublicKeyPem,
      wechatPayPublicKeyId: 'PUB_KEY_ID_1',
    };
    expect(createWechatPayClient(config('v3', credentials))).toBeInstanceOf(WechatPayV3Client);
    expect(() => createWechatPayClient(config('v3', { ...credentials, wechatPayPublicKeyId: undefined }))).toThrow(/wechatPayPublicKeyId/);
    expect(() => createWechatPayClient(config('v3', { ...credentials, wechatPayPublicKeyPem: 'junk' }))).toThrow(WechatConfigError);
    expect(() =>
      createWechatPayClient(config('v3', { ...credentials, wechatPayPublicKeyPem: undefined, wechatPayPublicKeyId: undefined })),
    ).toThrow(/public key or platform certificate/);
    expect(() =>
      createWechatPayClient(
        config('v3', { ...credentials, wechatPayPublicKeyPem: undefined, platformCertificates: [{ serial: 'AB', pem: pki.platformCertPem }] }),
      ),
    ).not.toThrow();
  });

  it('names what is missing', () => {
    expect(() => createWechatPayClient(config('v2', { mchid: '1', appid: 'wx1' }))).toThrow(/apiKeyV2/);
    expect(() => createWechatPayClient(config('v3', { mchid: '1', appid: 'wx1' }))).toThrow(/merchantPrivateKeyPem, merchantCertSerial/);
    expect(() => createWechatPayClient(config('v2', { mchid: '', appid: 'wx1', apiKeyV2: 'k' }))).toThrow(/mchid/);
  });

  it('refuses a bad base URL or timeouts', () => {
    const creds = { mchid: '1', appid: 'wx1', apiKeyV2: 'k'.repeat(32) };
    expect(() => createWechatPayClient(config('v2', creds, { baseUrl: 'api.mch.weixin.qq.com' }))).toThrow(WechatConfigError);
    expect(() => createWechatPayClient(config('v2', creds, { timeouts: { connectMs: 5000, totalMs: 1000 } }))).toThrow(WechatConfigError);
    expect(() => createWechatPayClient(config('v2', creds, { timeouts: { connectMs: 0, totalMs: 1000 } }))).toThrow(WechatConfigError);
  });
});
