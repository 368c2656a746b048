import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import { createTestPki, type TestPki } from './helpers/pki';
import { startScriptServer, type ScriptServer } from './helpers/script-server';
import { APPID, assertSignedRequest, MCHID, NOW, PUB_KEY_ID, signedJson, transaction, v3Client, v3Credentials } from './helpers/v3-fixture';

let pki: TestPki;
let server: ScriptServer;
beforeAll(async () => {
  pki = await createTestPki();
  server = await startScriptServer(() => ({ status: 500, body: '' }), { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem });
});
afterAll(async () => {
  await server.close();
});

const pub = (): { keyPem: string; serial: string } => ({ keyPem: pki.wechatPayPrivateKeyPem, serial: PUB_KEY_ID });
const last = (): NonNullable<ScriptServer['requests'][number]> => {
  const request = server.requests.at(-1);
  if (!request) throw new Error('no request');
  return request;
};
const micropayRequest = { outTradeNo: 'S1', authCode: '134567890123456789', totalFen: fen(1250), description: '饮料' };

describe('v3 request signing', () => {
  it('signs METHOD, path with query, timestamp, nonce and body with the merchant key', async () => {
    server.setScript(() => signedJson(200, transaction('S1', { trade_state: 'NOTPAY' }), pub()));
    const { client } = v3Client(server.url, v3Credentials(pki));
    await client.queryOrder('S1');
    const request = last();
    expect(request.method).toBe('GET');
    expect(request.url).toBe(`/v3/pay/transactions/out-trade-no/S1?mchid=${MCHID}`);
    const auth = assertSignedRequest(request, pki.merchantCertPem);
    expect(auth).toMatchObject({ mchid: MCHID, serialNo: pki.merchantSerial, timestamp: String(NOW / 1000) });
    expect(request.headers.accept).toBe('application/json');
  });

  it('signs the path as the server sees it when the base URL has a prefix', async () => {
    server.setScript(() => signedJson(200, transaction('S1', { trade_state: 'NOTPAY' }), pub()));
    const { client } = v3Client(`${server.url}/gateway/`, v3Credentials(pki));
    await client.queryOrder('S1');
    expect(last().url).toBe(`/gateway/v3/pay/transactions/out-trade-no/S1?mchid=${MCHID}`);
    assertSignedRequest(last(), pki.merchantCertPem);
  });
});

describe('v3 codepay (micropay)', () => {
  it('posts the documented body and maps a paid answer', async () => {
    server.setScript(() => signedJson(200, transaction('S1'), pub()));
    const { client } = v3Client(server.url, v3Credentials(pki));
    const outcome = await client.micropay(micropayRequest);
    expect(outcome).toEqual({
      kind: 'success',
      value: {
        outTradeNo: 'S1',
        tradeState: 'SUCCESS',
        transactionId: '4200000000202403011234567890',
        totalFen: 1250,
        payerTotalFen: 1250,
        openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
        bankType: 'CMB_DEBIT',
        successTime: Date.UTC(2024, 2, 1, 4, 0, 5),
        tradeStateDesc: '支付成功',
      },
    });
    expect(last().url).toBe('/v3/pay/transactions/codepay');
    assertSignedRequest(last(), pki.merchantCertPem);
    expect(JSON.parse(last().body)).toMatchObject({
      appid: APPID,
      mchid: MCHID,
      out_trade_no: 'S1',
      description: '饮料',
      payer: { auth_code: '134567890123456789' },
      amount: { total: 1250, currency: 'CNY' },
      scene_info: { device_ip: '192.168.1.20', store_info: { out_id: 'POS01' } },
    });
  });

  it('treats 202, USERPAYING and any non-final state as unknown user-paying', async () => {
    const { client } = v3Client(server.url, v3Credentials(pki));
    server.setScript(() => signedJson(202, null, pub()));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
    server.setScript(() => signedJson(200, transaction('S1', { trade_state: 'USERPAYING', transaction_id: undefined }), pub()));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'user-paying', code: 'USERPAYING' });
    server.setScript(() => signedJson(403, { code: 'USERPAYING', message: '用户支付中' }, pub()));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
  });

  it('maps 5xx, 429 and retryable 4xx codes to unknown', async () => {
    const { client } = v3Client(server.url, v3Credentials(pki));
    server.setScript(() => signedJson(500, { code: 'SYSTEM_ERROR', message: '系统错误' }, pub()));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'http-5xx', code: 'SYSTEM_ERROR' });
    server.setScript(() => ({ status: 502, headers: { 'Content-Type': 'text/html' }, body: '<html>502 Bad Gateway</html>' }));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'http-5xx', code: 'HTTP_502' });
    server.setScript(() => signedJson(429, { code: 'FREQUENCY_LIMITED', message: '频率超限' }, pub()));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'rate-limited' });
    server.setScript(() => signedJson(403, { code: 'BANK_ERROR', message: '银行系统异常' }, pub()));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'system-error', code: 'BANKERROR' });
  });

  it('maps 4xx business codes to failure in the v2 spelling, with a reason', async () => {
    const { client } = v3Client(server.url, v3Credentials(pki));
    const cases: [number, string, string][] = [
      [400, 'PARAM_ERROR', 'PARAM_ERROR'],
      [403, 'NOT_ENOUGH', 'NOTENOUGH'],
      [400, 'AUTH_CODE_EXPIRE', 'AUTHCODEEXPIRE'],
      [400, 'ORDER_CLOSED', 'ORDERCLOSED'],
      [403, 'TRADE_ERROR', 'TRADE_ERROR'],
    ];
    for (const [status, code, normalised] of cases) {
      server.setScript(() => signedJson(status, { code, message: '说明' }, pub()));
      const outcome = await client.micropay(micropayRequest);
      expect(outcome).toMatchObject({ kind: 'failure', code: normalised });
      if (outcome.kind === 'failure') expect(outcome.reason.zh.length).toBeGreaterThan(0);
    }
  });

  it('reports an unsigned 401 (our signature refused) as SIGNERROR failure', async () => {
    server.setScript(() => ({ status: 401, headers: { 'Content-Type': 'application/json' }, body: '{"code":"SIGN_ERROR","message":"签名错误"}' }));
    const { client } = v3Client(server.url, v3Credentials(pki));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'failure', code: 'SIGNERROR' });
  });
});

describe('v3 answer verification fails closed', () => {
  const cases: [string, () => ReturnType<typeof signedJson>, string][] = [
    ['a timestamp 5 minutes old', () => signedJson(200, transaction('S1'), { ...pub(), timestamp: NOW / 1000 - 300 }), 'STALE_TIMESTAMP'],
    ['a timestamp 5 minutes ahead', () => signedJson(200, transaction('S1'), { ...pub(), timestamp: NOW / 1000 + 300 }), 'STALE_TIMESTAMP'],
    ['an unknown serial', () => signedJson(200, transaction('S1'), { ...pub(), serial: 'PUB_KEY_ID_OTHER' }), 'UNKNOWN_SERIAL'],
    ['no signature header', () => signedJson(200, transaction('S1'), { ...pub(), omit: 'Wechatpay-Signature' }), 'MISSING_SIGNATURE_HEADERS'],
    ['no serial header', () => signedJson(200, transaction('S1'), { ...pub(), omit: 'Wechatpay-Serial' }), 'MISSING_SIGNATURE_HEADERS'],
    ['no nonce header', () => signedJson(200, transaction('S1'), { ...pub(), omit: 'Wechatpay-Nonce' }), 'MISSING_SIGNATURE_HEADERS'],
    ['no timestamp header', () => signedJson(200, transaction('S1'), { ...pub(), omit: 'Wechatpay-Timestamp' }), 'MISSING_SIGNATURE_HEADERS'],
    ['the right serial but another key', () => signedJson(200, transaction('S1'), { keyPem: pki.platformKeyPem, serial: PUB_KEY_ID }), 'SIGNATURE_MISMATCH'],
    [
      'one changed byte',
      () => {
        const answer = signedJson(200, transaction('S1'), pub());
        if (typeof answer === 'string') return answer;
        return { ...answer, body: String(answer.body).replace('"total":1250', '"total":1251') };
      },
      'SIGNATURE_MISMATCH',
    ],
    ['a signed 4xx whose signature is wrong', () => signedJson(400, { code: 'PARAM_ERROR', message: 'x' }, { keyPem: pki.platformKeyPem, serial: PUB_KEY_ID }), 'SIGNATURE_MISMATCH'],
  ];
  for (const [what, answer, code] of cases) {
    it(`rejects ${what} as bad-signature (${code})`, async () => {
      server.setScript(answer);
      const { client } = v3Client(server.url, v3Credentials(pki));
      expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'bad-signature', code });
    });
  }

  it('accepts a timestamp just under 5 minutes off', async () => {
    server.setScript(() => signedJson(200, transaction('S1'), { ...pub(), timestamp: NOW / 1000 - 299 }));
    const { client } = v3Client(server.url, v3Credentials(pki));
    expect((await client.micropay(micropayRequest)).kind).toBe('success');
  });

  it('verifies by platform certificate serial in the older mode', async () => {
    server.setScript(() => signedJson(200, transaction('S1'), { keyPem: pki.platformKeyPem, serial: pki.platformSerial.toLowerCase() }));
    const credentials = v3Credentials(pki, {
      wechatPayPublicKeyPem: undefined,
      wechatPayPublicKeyId: undefined,
      platformCertificates: [{ serial: pki.platformSerial, pem: pki.platformCertPem }],
    });
    const { client } = v3Client(server.url, credentials);
    expect((await client.micropay(micropayRequest)).kind).toBe('success');
  });
});

describe('v3 native, query, close, reverse', () => {
  it('creates a native order with an RFC 3339 time_expire', async () => {
    server.setScript(() => signedJson(200, { code_url: 'weixin://wxpay/bizpayurl?pr=xyz' }, pub()));
    const { client } = v3Client(server.url, v3Credentials(pki));
    const outcome = await client.createNativeOrder({ outTradeNo: 'Q1', totalFen: fen(990), description: '午餐', timeExpire: Date.UTC(2024, 2, 1, 4, 10, 0), productId: 'SALE-1' });
    expect(outcome).toEqual({ kind: 'success', value: { codeUrl: 'weixin://wxpay/bizpayurl?pr=xyz' } });
    expect(last().url).toBe('/v3/pay/transactions/native');
    expect(JSON.parse(last().body)).toMatchObject({ time_expire: '2024-03-01T12:10:00+08:00', notify_url: 'https://shop.example.com/notify', amount: { total: 990, currency: 'CNY' } });
  });

  it('reports a 404 ORDER_NOT_EXIST query as ORDERNOTEXIST failure', async () => {
    server.setScript(() => signedJson(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' }, pub()));
    const { client } = v3Client(server.url, v3Credentials(pki));
    expect(await client.queryOrder('NOPE')).toMatchObject({ kind: 'failure', code: 'ORDERNOTEXIST' });
  });

  it('closes with 204, treats ORDER_CLOSED as closed and ORDERPAID as failure', async () => {
    const { client } = v3Client(server.url, v3Credentials(pki));
    server.setScript(() => signedJson(204, null, pub()));
    expect(await client.closeOrder('Q1')).toEqual({ kind: 'success', value: undefined });
    expect(last().url).toBe('/v3/pay/transactions/out-trade-no/Q1/close');
    expect(JSON.parse(last().body)).toEqual({ mchid: MCHID });
    server.setScript(() => signedJson(400, { code: 'ORDER_CLOSED', message: '订单已关闭' }, pub()));
    expect(await client.closeOrder('Q1')).toEqual({ kind: 'success', value: undefined });
    server.setScript(() => signedJson(400, { code: 'ORDERPAID', message: '订单已支付' }, pub()));
    expect(await client.closeOrder('Q1')).toMatchObject({ kind: 'failure', code: 'ORDERPAID' });
  });

  it('rejects an unsigned 204', async () => {
    server.setScript(() => ({ status: 204, body: '' }));
    const { client } = v3Client(server.url, v3Credentials(pki));
    expect(await client.closeOrder('Q1')).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
  });

  it('reverses, and reports USERPAYING / SYSTEM_ERROR as unknown (call again)', async () => {
    const { client } = v3Client(server.url, v3Credentials(pki));
    server.setScript(() => signedJson(200, { appid: APPID, mchid: MCHID, out_trade_no: 'S1' }, pub()));
    expect(await client.reverseOrder('S1')).toEqual({ kind: 'success', value: { recall: false } });
    expect(JSON.parse(last().body)).toEqual({ appid: APPID, mchid: MCHID });
    server.setScript(() => signedJson(403, { code: 'USERPAYING', message: '用户支付中' }, pub()));
    expect(await client.reverseOrder('S1')).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
    server.setScript(() => signedJson(500, { code: 'SYSTEM_ERROR', message: '系统错误' }, pub()));
    expect(await client.reverseOrder('S1')).toMatchObject({ kind: 'unknown', cause: 'http-5xx' });
  });
});

describe('v3 refunds', () => {
  it('posts a refund and maps the answer', async () => {
    server.setScript(() => signedJson(200, { refund_id: '50300000001', out_refund_no: 'RF1', status: 'PROCESSING', amount: { refund: 300, total: 1000 } }, pub()));
    const { client } = v3Client(server.url, v3Credentials(pki));
    expect(await client.refund({ outTradeNo: 'P1', outRefundNo: 'RF1', totalFen: fen(1000), refundFen: fen(300), reason: '退货' })).toEqual({
      kind: 'success',
      value: { refundId: '50300000001', status: 'PROCESSING' },
    });
    expect(last().url).toBe('/v3/refund/domestic/refunds');
    expect(JSON.parse(last().body)).toEqual({
      out_trade_no: 'P1',
      out_refund_no: 'RF1',
      reason: '退货',
      notify_url: 'https://shop.example.com/notify',
      amount: { refund: 300, total: 1000, currency: 'CNY' },
    });
  });

  it('leaves notify_url off a refund when settings name none (refunds, unlike native orders, do not need one)', async () => {
    server.setScript(() => signedJson(200, { refund_id: '50300000002', out_refund_no: 'RF2', status: 'PROCESSING', amount: { refund: 300, total: 1000 } }, pub()));
    const { client } = v3Client(server.url, v3Credentials(pki), { notifyUrl: null });
    await client.refund({ outTradeNo: 'P1', outRefundNo: 'RF2', totalFen: fen(1000), refundFen: fen(300) });
    expect(JSON.parse(last().body)).not.toHaveProperty('notify_url');
  });

  it('queries a refund and maps its status; a missing one is REFUNDNOTEXIST', async () => {
    const { client } = v3Client(server.url, v3Credentials(pki));
    for (const status of ['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL']) {
      server.setScript(() =>
        signedJson(200, { refund_id: '503', out_refund_no: 'RF1', status, success_time: '2024-03-01T12:30:00+08:00', amount: { refund: 300, total: 1000 } }, pub()),
      );
      expect(await client.queryRefund('RF1')).toMatchObject({ kind: 'success', value: { status, refundFen: 300, refundId: '503' } });
    }
    expect(last().url).toBe('/v3/refund/domestic/refunds/RF1');
    server.setScript(() => signedJson(404, { code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' }, pub()));
    expect(await client.queryRefund('RF9')).toMatchObject({ kind: 'failure', code: 'REFUNDNOTEXIST' });
  });
});

describe('v3 trade bill', () => {
  const csv = '\uFEFF交易时间,公众账号ID\r\n`2024-03-01 12:00:05,`wx1\r\n总交易单数\r\n`1\r\n';
  const file = gzipSync(Buffer.from(csv, 'utf8'));
  const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex').toUpperCase();

  function billScript(hash: string, downloadUrl?: string): Parameters<ScriptServer['setScript']>[0] {
    return (request) => {
      if (request.url.startsWith('/v3/bill/tradebill')) {
        return signedJson(200, { hash_type: 'SHA1', hash_value: hash, download_url: downloadUrl ?? `${server.url}/v3/billdownload/file?token=T1` }, pub());
      }
      if (request.url.startsWith('/v3/billdownload/file')) return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: file };
      return { status: 404, body: '' };
    };
  }

  it('fetches the announced file, checks its SHA1 and returns the CSV', async () => {
    server.setScript(billScript(sha1(Buffer.from(csv, 'utf8'))));
    const { client } = v3Client(server.url, v3Credentials(pki));
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'ALL' })).toEqual({ kind: 'success', value: { kind: 'bill', csv: csv.slice(1) } });
    const [query, download] = server.requests.slice(-2);
    expect(query?.url).toBe('/v3/bill/tradebill?bill_date=2024-03-01&bill_type=ALL&tar_type=GZIP');
    expect(download?.url).toBe('/v3/billdownload/file?token=T1');
    if (download) assertSignedRequest(download, pki.merchantCertPem);
  });

  it('rejects a file whose SHA1 does not match', async () => {
    server.setScript(billScript('0'.repeat(40)));
    const { client } = v3Client(server.url, v3Credentials(pki));
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'ALL' })).toMatchObject({ kind: 'unknown', cause: 'bad-signature', code: 'BILL_HASH_MISMATCH' });
  });

  it('does not send its Authorization to a download_url on another host', async () => {
    server.setScript(billScript(sha1(Buffer.from(csv, 'utf8')), 'https://evil.example.com/v3/billdownload/file?token=T1'));
    const { client } = v3Client(server.url, v3Credentials(pki));
    const before = server.requests.length;
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'ALL' })).toMatchObject({ kind: 'unknown', code: 'FOREIGN_DOWNLOAD_URL' });
    expect(server.requests.length).toBe(before + 1);
  });

  it('reads NO_STATEMENT_EXIST as no bill and STATEMENT_CREATING as unknown', async () => {
    const { client } = v3Client(server.url, v3Credentials(pki));
    server.setScript(() => signedJson(400, { code: 'NO_STATEMENT_EXIST', message: '账单文件不存在' }, pub()));
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'ALL' })).toEqual({ kind: 'success', value: { kind: 'no-bill' } });
    server.setScript(() => signedJson(400, { code: 'STATEMENT_CREATING', message: '账单生成中' }, pub()));
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'ALL' })).toMatchObject({ kind: 'unknown', code: 'BILL_CREATING' });
  });

  it('answers the micropay batch report without a call (v3 has no such API)', async () => {
    const before = server.requests.length;
    const { client } = v3Client(server.url, v3Credentials(pki));
    expect(await client.reportMicropayBatch([{ outTradeNo: 'S1', beginTime: 0, endTime: 1, state: 'OK' }])).toEqual({ kind: 'success', value: undefined });
    expect(server.requests.length).toBe(before);
  });
});
