import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import { fen } from '../../../shared/money';
import { createWechatPayClient, WechatConfigError } from '../../../electron/wechat/factory';
import type { WechatOutcome } from '../../../electron/wechat/types';
import { createTestPki, type TestPki } from './helpers/pki';
import { startScriptServer, type ScriptedAnswer, type ScriptServer } from './helpers/script-server';
import { businessFail, signedAnswer, v2Client, v2Credentials, V2_KEY, xmlAnswer } from './helpers/v2-fixture';
import { PUB_KEY_ID, signedJson, v3Client, v3Credentials } from './helpers/v3-fixture';

/**
 * Secrets (API keys, private keys), full payment codes and full openids must never reach a log line or an
 * error detail, even when the server echoes them back in its error messages.
 */

const AUTH_CODE = '134567890123456789';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

let pki: TestPki;
let server: ScriptServer;
beforeAll(async () => {
  pki = await createTestPki();
  server = await startScriptServer(() => 'drop', { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem });
});
afterAll(async () => {
  await server.close();
});

function secretsOf(extra: string[]): string[] {
  const keyLines = [pki.merchantKeyPem, pki.strangerKeyPem]
    .flatMap((pem) => pem.split('\n'))
    .filter((line) => line.length > 20 && !line.startsWith('-----'));
  return [AUTH_CODE, OPENID, V2_KEY, ...keyLines, ...extra];
}

function expectClean(text: string, secrets: string[]): void {
  for (const secret of secrets) expect(text, `leaked ${secret.slice(0, 6)}…`).not.toContain(secret);
}

const nonSuccessText = (outcome: WechatOutcome<unknown>): string => (outcome.kind === 'success' ? '' : JSON.stringify(outcome));

describe('v2 client never leaks secrets into logs or error details', () => {
  const echo = `auth_code=${AUTH_CODE} openid=${OPENID} key=${V2_KEY}`;
  const scenarios: [string, ScriptedAnswer][] = [
    ['a return_code FAIL echoing the request', xmlAnswer({ return_code: 'FAIL', return_msg: `签名错误 ${echo}` })],
    ['a business error echoing the request', businessFail('PARAM_ERROR', `参数错误 ${echo}`)],
    ['a rate limit echoing the request', businessFail('INVALID_REQUEST', `请求过于频繁 ${echo}`)],
    ['an answer signed with another key', signedAnswer({ result_code: 'SUCCESS', openid: OPENID, err_code_des: echo }, { key: 'f'.repeat(32) })],
    ['a dropped connection', 'drop'],
    ['an HTML 502', { status: 502, body: `<html>${echo}</html>` }],
    ['garbage', { status: 200, body: `<xml><a>${echo}` }],
  ];
  for (const [what, answer] of scenarios) {
    it(`for ${what}`, async () => {
      server.setScript(() => answer);
      const credentials = v2Credentials({ caCertPem: pki.caCertPem, clientCertPem: pki.merchantCertPem, clientKeyPem: pki.merchantKeyPem });
      const { client, logger } = v2Client(server.url, credentials);
      const outcomes = [
        await client.micropay({ outTradeNo: 'L1', authCode: AUTH_CODE, totalFen: fen(100), description: 'x' }),
        await client.queryOrder('L1'),
        await client.refund({ outTradeNo: 'L1', outRefundNo: 'LR1', totalFen: fen(100), refundFen: fen(100) }),
      ];
      expect(logger.lines.length).toBe(3);
      expectClean(logger.text(), secretsOf([]));
      for (const outcome of outcomes) expectClean(nonSuccessText(outcome), secretsOf([]));
    });
  }

  it('does not log the openid of a successful payment', async () => {
    server.setScript(() =>
      signedAnswer({ result_code: 'SUCCESS', out_trade_no: 'L2', openid: OPENID, transaction_id: '42', total_fee: 100, cash_fee: 100, time_end: '20240301120000' }),
    );
    const { client, logger } = v2Client(server.url, v2Credentials({ caCertPem: pki.caCertPem }));
    const outcome = await client.micropay({ outTradeNo: 'L2', authCode: AUTH_CODE, totalFen: fen(100), description: 'x' });
    expect(outcome.kind).toBe('success');
    expectClean(logger.text(), secretsOf([]));
  });
});

describe('v3 client never leaks secrets into logs or error details', () => {
  const v3Key = 'V3KEYV3KEYV3KEYV3KEYV3KEYV3KEY12';
  const echo = `auth_code=${AUTH_CODE} openid=${OPENID} key=${v3Key}`;
  const sign = (): { keyPem: string; serial: string } => ({ keyPem: pki.wechatPayPrivateKeyPem, serial: PUB_KEY_ID });
  const scenarios: [string, () => ScriptedAnswer][] = [
    ['a 400 echoing the request', () => signedJson(400, { code: 'PARAM_ERROR', message: `参数错误 ${echo}` }, sign())],
    ['an unsigned 401 echoing the request', () => ({ status: 401, body: JSON.stringify({ code: 'SIGN_ERROR', message: echo }) })],
    ['a 500 echoing the request', () => signedJson(500, { code: 'SYSTEM_ERROR', message: echo }, sign())],
    ['a badly signed answer', () => signedJson(200, { out_trade_no: 'L1', trade_state: 'SUCCESS', payer: { openid: OPENID } }, { keyPem: pki.platformKeyPem, serial: PUB_KEY_ID })],
    ['a dropped connection', () => 'drop'],
  ];
  for (const [what, answer] of scenarios) {
    it(`for ${what}`, async () => {
      server.setScript(answer);
      const { client, logger } = v3Client(server.url, v3Credentials(pki));
      const outcomes = [
        await client.micropay({ outTradeNo: 'L1', authCode: AUTH_CODE, totalFen: fen(100), description: 'x' }),
        await client.queryOrder('L1'),
      ];
      expectClean(logger.text(), secretsOf([v3Key]));
      for (const outcome of outcomes) expectClean(nonSuccessText(outcome), secretsOf([v3Key]));
    });
  }
});

describe('configuration errors never quote a secret', () => {
  it('names a bad private key without repeating it', () => {
    const broken = pki.merchantKeyPem.replace(/[A-Za-z]{10}/, 'xxxxxxxxxx');
    let message = '';
    try {
      createWechatPayClient({
        apiVersion: 'v3',
        credentials: v3Credentials(pki, { merchantPrivateKeyPem: broken }),
        baseUrl: server.url,
        timeouts: { connectMs: 100, totalMs: 200 },
        clock: new ManualClock(0),
        logger: new MemoryLogger(),
        spbillCreateIp: '127.0.0.1',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(WechatConfigError);
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toContain('private key');
    expectClean(message, [...secretsOf([]), ...broken.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))]);
  });
});
