import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { createResponseVerifier } from '../../electron/wechat/v3/verify';
import { signV2, verifyV2, type V2SignType } from '../../electron/wechat/v2/sign';
import { signSha256Rsa, v3Message } from '../../electron/wechat/v3/sign';
import { batchSampler, interleave, throughputRow, type Benchmark, type BenchRow } from './stats';

// (7) Signing and verification per second, our client's functions side by side with wechatpay-axios-plugin
// (a devDependency used only here) on the same inputs. Ratio = our rate / the plugin's rate; target >= 1.

type KeyLike = KeyObject;
interface Plugin {
  Hash: { sign(type: V2SignType, data: Record<string, string>, key: string): string; equals(known: string, user?: string): boolean };
  Rsa: { sign(message: string, key: KeyLike): string; verify(message: string, signature: string, key: KeyLike): boolean; from(thing: string, type?: string): KeyLike };
  Formatter: { request(method: string, uri: string, timestamp: string, nonce: string, body?: string): string; response(timestamp: string, nonce: string, body?: string): string };
}
const plugin = createRequire(import.meta.url)('wechatpay-axios-plugin') as Plugin;

const API_KEY_V2 = '8934e7d15453e97507ef794cf7b0519d';

/** A micropay request as the v2 client sends it. */
function v2Fields(signType: V2SignType): Record<string, string> {
  return {
    appid: 'wx2421b1c4370ec43b',
    mch_id: '10000100',
    nonce_str: randomBytes(16).toString('hex'),
    sign_type: signType,
    body: '微信收银台-门店消费',
    out_trade_no: 'POS01-20250101-000123',
    total_fee: '1250',
    spbill_create_ip: '127.0.0.1',
    auth_code: '134567890123456789',
    device_info: 'POS01',
  };
}

function v2Rows(signType: V2SignType): BenchRow[] {
  const fields = v2Fields(signType);
  const signed = { ...fields, sign: signV2(fields, API_KEY_V2, signType) };
  const sign = interleave(
    {
      ours: batchSampler(() => signV2(fields, API_KEY_V2, signType), 500),
      plugin: batchSampler(() => plugin.Hash.sign(signType, fields, API_KEY_V2), 500),
    },
    200,
  );
  const verify = interleave(
    {
      ours: batchSampler(() => verifyV2(signed, API_KEY_V2, signType), 500),
      plugin: batchSampler(() => plugin.Hash.equals(plugin.Hash.sign(signType, signed, API_KEY_V2), signed.sign), 500),
    },
    200,
  );
  const target = 'ratio >= 1';
  return [
    { ...throughputRow({ id: `7.v2-${signType}-sign`, name: `v2 ${signType} sign` }, sign.ours ?? [], 'wechatpay-axios-plugin', sign.plugin ?? []), target },
    { ...throughputRow({ id: `7.v2-${signType}-verify`, name: `v2 ${signType} verify` }, verify.ours ?? [], 'wechatpay-axios-plugin', verify.plugin ?? []), target },
  ];
}

function v3Rows(): BenchRow[] {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const pluginPrivate = plugin.Rsa.from(privatePem, 'private');
  const pluginPublic = plugin.Rsa.from(publicPem, 'public');
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const uri = '/v3/pay/transactions/codepay';
  const body = JSON.stringify({ appid: 'wx2421b1c4370ec43b', mchid: '1230000109', description: '微信收银台-门店消费', out_trade_no: 'POS01-20250101-000123', amount: { total: 1250, currency: 'CNY' }, payer: { auth_code: '134567890123456789' } });
  // Both sides sign the request (client) and verify the answer (the sandbox signs it as WeChat Pay would).
  const answer = JSON.stringify({ trade_state: 'SUCCESS', transaction_id: '4200000000202501011234567890', amount: { total: 1250, payer_total: 1250 } });
  const answerSignature = signSha256Rsa(v3Message([timestamp, nonce, answer]), privatePem);
  const verifier = createResponseVerifier({ mchid: '1230000109', appid: 'wx2421b1c4370ec43b', wechatPayPublicKeyId: 'PUB_KEY_ID_0000000000000001', wechatPayPublicKeyPem: publicPem }, { now: () => Date.now() });
  const headers = { 'wechatpay-timestamp': timestamp, 'wechatpay-nonce': nonce, 'wechatpay-signature': answerSignature, 'wechatpay-serial': 'PUB_KEY_ID_0000000000000001' };
  const answerBuffer = Buffer.from(answer);
  const sign = interleave(
    {
      ours: batchSampler(() => signSha256Rsa(v3Message(['POST', uri, timestamp, nonce, body]), privatePem), 5),
      plugin: batchSampler(() => plugin.Rsa.sign(plugin.Formatter.request('POST', uri, timestamp, nonce, body), pluginPrivate), 5),
    },
    100,
  );
  const verify = interleave(
    {
      ours: batchSampler(() => verifier.verify(headers, answerBuffer), 50),
      plugin: batchSampler(() => plugin.Rsa.verify(plugin.Formatter.response(timestamp, nonce, answer), answerSignature, pluginPublic), 50),
    },
    100,
  );
  if (!verifier.verify(headers, answerBuffer).ok) throw new Error('bench inputs do not verify');
  const target = 'ratio >= 1';
  // Both sides parse each key once (ours caches the KeyObject by PEM, electron/wechat/v3/sign.ts). What is left on
  // verify is what ours checks beyond the signature: the timestamp window, the key id, the headers' shape.
  const note = 'keys parsed once on both sides; our verify also checks the timestamp window, key id and headers';
  return [
    { ...throughputRow({ id: '7.v3-rsa-sign', name: 'v3 RSA-SHA256 sign (request)' }, sign.ours ?? [], 'wechatpay-axios-plugin', sign.plugin ?? []), target, note },
    { ...throughputRow({ id: '7.v3-rsa-verify', name: 'v3 RSA-SHA256 verify (answer)' }, verify.ours ?? [], 'wechatpay-axios-plugin', verify.plugin ?? []), target, note },
  ];
}

export const benchmark: Benchmark = {
  id: 'signing',
  title: '(7) Signing and verification per second vs wechatpay-axios-plugin',
  run: () => Promise.resolve([...v2Rows('MD5'), ...v2Rows('HMAC-SHA256'), ...v3Rows()].map((row) => ({ ...row, met: (row.ratio ?? 0) >= 1 }))),
};
