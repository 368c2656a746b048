import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import { verifyV2 } from '../../../electron/wechat/v2/sign';
import {
  APPID,
  AUTH_CODE,
  businessFail,
  MCHID,
  paidOrder,
  requestFields,
  signedAnswer,
  v2Client,
  v2Credentials,
  V2_KEY,
  xmlAnswer,
} from './helpers/v2-fixture';
import { startScriptServer, type ScriptServer } from './helpers/script-server';

let server: ScriptServer;
beforeAll(async () => {
  server = await startScriptServer(() => ({ status: 500, body: 'no script' }));
});
afterAll(async () => {
  await server.close();
});

const micropayRequest = { outTradeNo: 'S20240301001', authCode: AUTH_CODE, totalFen: fen(1250), description: '便利店-饮料' };

describe('v2 micropay', () => {
  it('sends a signed XML request with every required field', async () => {
    server.setScript(() => signedAnswer(paidOrder('S20240301001')));
    const { client } = v2Client(server.url);
    await client.micropay(micropayRequest);
    const request = server.requests.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/pay/micropay');
    expect(request?.body).toContain('<total_fee>1250</total_fee>');
    const fields = request ? requestFields(request) : {};
    expect(verifyV2(fields, V2_KEY)).toBe(true);
    expect(fields).toMatchObject({
      appid: APPID,
      mch_id: MCHID,
      out_trade_no: 'S20240301001',
      total_fee: '1250',
      auth_code: AUTH_CODE,
      body: '便利店-饮料',
      spbill_create_ip: '192.168.1.20',
      device_info: 'POS01',
      fee_type: 'CNY',
    });
    expect(fields.nonce_str).toMatch(/^[0-9A-F]{32}$/);
    expect(fields.sign_type).toBeUndefined();
  });

  it('maps a paid answer to a SUCCESS order', async () => {
    server.setScript(() => signedAnswer(paidOrder('S20240301001')));
    const { client } = v2Client(server.url);
    const outcome = await client.micropay(micropayRequest);
    expect(outcome).toEqual({
      kind: 'success',
      value: {
        outTradeNo: 'S20240301001',
        tradeState: 'SUCCESS',
        transactionId: '4200000000202403011234567890',
        totalFen: 1250,
        payerTotalFen: 1250,
        openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
        bankType: 'CMB_DEBIT',
        successTime: Date.UTC(2024, 2, 1, 4, 0, 5),
      },
    });
  });

  it('signs with HMAC-SHA256 and verifies an HMAC answer that does not declare its type', async () => {
    server.setScript(() => signedAnswer(paidOrder('S20240301001'), { signType: 'HMAC-SHA256' }));
    const { client } = v2Client(server.url, v2Credentials({ v2SignType: 'HMAC-SHA256' }));
    const outcome = await client.micropay(micropayRequest);
    expect(outcome.kind).toBe('success');
    const fields = requestFields(server.requests.at(-1) ?? { body: '<xml/>' } as never);
    expect(fields.sign_type).toBe('HMAC-SHA256');
    expect(verifyV2(fields, V2_KEY)).toBe(true);
  });

  it('refuses a code that is not an 18-digit WeChat payment code without calling WeChat Pay', async () => {
    const before = server.requests.length;
    const { client } = v2Client(server.url);
    const outcome = await client.micropay({ ...micropayRequest, authCode: '284567890123456789' });
    expect(outcome).toMatchObject({ kind: 'failure', code: 'AUTH_CODE_INVALID' });
    expect(server.requests.length).toBe(before);
  });

  const unknownCodes: [string, string][] = [
    ['USERPAYING', 'user-paying'],
    ['SYSTEMERROR', 'system-error'],
    ['BANKERROR', 'system-error'],
    ['FREQUENCY_LIMITED', 'rate-limited'],
  ];
  for (const [code, cause] of unknownCodes) {
    it(`reports ${code} as unknown (${cause}), never as failure`, async () => {
      server.setScript(() => businessFail(code));
      const { client } = v2Client(server.url);
      expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause, code });
    });
  }

  it('treats INVALID_REQUEST as rate limiting only when its message says so', async () => {
    const { client } = v2Client(server.url);
    server.setScript(() => businessFail('INVALID_REQUEST', '请求过于频繁，请降低频率后重试'));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'rate-limited' });
    server.setScript(() => businessFail('INVALID_REQUEST', '参数错误'));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });
  });

  const failureCodes = [
    'AUTHCODEEXPIRE', 'AUTH_CODE_ERROR', 'AUTH_CODE_INVALID', 'NOTENOUGH', 'NOTSUPORTCARD', 'BUYER_MISMATCH',
    'TRADE_ERROR', 'ORDERCLOSED', 'ORDERREVERSED', 'OUT_TRADE_NO_USED', 'ORDERPAID', 'PARAM_ERROR', 'SIGNERROR',
    'LACK_PARAMS', 'XML_FORMAT_ERROR', 'NOAUTH', 'APPID_MCHID_NOT_MATCH',
  ];
  for (const code of failureCodes) {
    it(`reports ${code} as a definite failure with a reason a cashier understands`, async () => {
      server.setScript(() => businessFail(code, '说明'));
      const { client } = v2Client(server.url);
      const outcome = await client.micropay(micropayRequest);
      expect(outcome).toMatchObject({ kind: 'failure', code });
      if (outcome.kind !== 'failure') return;
      expect(outcome.reason.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(outcome.reason.en).toMatch(/[a-z]/);
      expect(outcome.reason.zh).not.toContain(code);
    });
  }

  it('reports return_code FAIL "签名错误" as SIGNERROR', async () => {
    server.setScript(() => xmlAnswer({ return_code: 'FAIL', return_msg: '签名错误，请检查后再试' }));
    const { client } = v2Client(server.url);
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'failure', code: 'SIGNERROR', detail: '签名错误，请检查后再试' });
  });

  it('reports return_code FAIL "appid和mch_id不匹配" as APPID_MCHID_NOT_MATCH', async () => {
    server.setScript(() => xmlAnswer({ return_code: 'FAIL', return_msg: 'appid和mch_id不匹配' }));
    const { client } = v2Client(server.url);
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'failure', code: 'APPID_MCHID_NOT_MATCH' });
  });

  it('rejects an answer with one changed byte as bad-signature', async () => {
    server.setScript(() => {
      const answer = signedAnswer(paidOrder('S20240301001'));
      if (typeof answer === 'string') return answer;
      const body = String(answer.body);
      const tampered = body.replace('<total_fee><![CDATA[1250]]>', '<total_fee><![CDATA[1251]]>');
      if (tampered === body) throw new Error('fixture did not change');
      return { ...answer, body: tampered };
    });
    const { client } = v2Client(server.url);
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'bad-signature', code: 'SIGNATURE_MISMATCH' });
  });

  it('rejects an unsigned success answer and one signed with another key', async () => {
    const { client } = v2Client(server.url);
    server.setScript(() => xmlAnswer({ return_code: 'SUCCESS', ...paidOrder('S20240301001') }));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'bad-signature', code: 'MISSING_SIGNATURE' });
    server.setScript(() => signedAnswer(paidOrder('S20240301001'), { key: 'ffffffffffffffffffffffffffffffff' }));
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
  });

  it('treats a signed answer about another order as malformed', async () => {
    server.setScript(() => signedAnswer(paidOrder('OTHER')));
    const { client } = v2Client(server.url);
    expect(await client.micropay(micropayRequest)).toMatchObject({ kind: 'unknown', cause: 'malformed' });
  });
});

describe('v2 native order', () => {
  it('asks for a NATIVE order with product_id, notify_url and a Beijing time_expire', async () => {
    server.setScript(() => signedAnswer({ result_code: 'SUCCESS', trade_type: 'NATIVE', prepay_id: 'wx01', code_url: 'weixin://wxpay/bizpayurl?pr=abc' }));
    const { client } = v2Client(server.url);
    const outcome = await client.createNativeOrder({
      outTradeNo: 'Q1',
      totalFen: fen(990),
      description: '午餐',
      timeExpire: Date.UTC(2024, 2, 1, 4, 10, 0),
      productId: 'SALE-1',
    });
    expect(outcome).toEqual({ kind: 'success', value: { codeUrl: 'weixin://wxpay/bizpayurl?pr=abc' } });
    const fields = requestFields(server.requests.at(-1) ?? ({ body: '<xml/>' } as never));
    expect(server.requests.at(-1)?.url).toBe('/pay/unifiedorder');
    expect(fields).toMatchObject({
      trade_type: 'NATIVE',
      product_id: 'SALE-1',
      total_fee: '990',
      notify_url: 'https://shop.example.com/notify',
      time_start: '20240301120000',
      time_expire: '20240301121000',
    });
  });

  it('treats a success answer without code_url as malformed', async () => {
    server.setScript(() => signedAnswer({ result_code: 'SUCCESS', trade_type: 'NATIVE' }));
    const { client } = v2Client(server.url);
    const outcome = await client.createNativeOrder({ outTradeNo: 'Q1', totalFen: fen(1), description: 'x', timeExpire: 0, productId: 'p' });
    expect(outcome).toMatchObject({ kind: 'unknown', cause: 'malformed' });
  });
});

describe('v2 order query and close', () => {
  it('maps every trade_state, and unpaid orders without amounts', async () => {
    const { client } = v2Client(server.url);
    server.setScript(() => signedAnswer({ result_code: 'SUCCESS', out_trade_no: 'Q2', trade_state: 'NOTPAY', trade_state_desc: '订单未支付' }));
    expect(await client.queryOrder('Q2')).toEqual({
      kind: 'success',
      value: { outTradeNo: 'Q2', tradeState: 'NOTPAY', totalFen: 0, tradeStateDesc: '订单未支付' },
    });
    for (const state of ['USERPAYING', 'CLOSED', 'REVOKED', 'PAYERROR', 'ACCEPT']) {
      server.setScript(() => signedAnswer({ result_code: 'SUCCESS', out_trade_no: 'Q2', trade_state: state, total_fee: 5 }));
      expect(await client.queryOrder('Q2')).toMatchObject({ kind: 'success', value: { tradeState: state, totalFen: 5 } });
    }
    server.setScript(() => signedAnswer({ ...paidOrder('Q2'), trade_state: 'SUCCESS' }));
    expect(await client.queryOrder('Q2')).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS', transactionId: '4200000000202403011234567890' } });
  });

  it('treats an unknown trade_state or a paid order without its amount as malformed', async () => {
    const { client } = v2Client(server.url);
    server.setScript(() => signedAnswer({ result_code: 'SUCCESS', out_trade_no: 'Q2', trade_state: 'WEIRD' }));
    expect(await client.queryOrder('Q2')).toMatchObject({ kind: 'unknown', cause: 'malformed' });
    server.setScript(() => signedAnswer({ result_code: 'SUCCESS', out_trade_no: 'Q2', trade_state: 'SUCCESS', transaction_id: 'T' }));
    expect(await client.queryOrder('Q2')).toMatchObject({ kind: 'unknown', cause: 'malformed' });
  });

  it('reports ORDERNOTEXIST as failure with that code', async () => {
    server.setScript(() => businessFail('ORDERNOTEXIST', '此交易订单号不存在'));
    const { client } = v2Client(server.url);
    expect(await client.queryOrder('NOPE')).toMatchObject({ kind: 'failure', code: 'ORDERNOTEXIST' });
  });

  it('closes an order, treats an already closed one as closed, and reports ORDERPAID as failure', async () => {
    const { client } = v2Client(server.url);
    server.setScript(() => signedAnswer({ result_code: 'SUCCESS' }));
    expect(await client.closeOrder('Q3')).toEqual({ kind: 'success', value: undefined });
    expect(requestFields(server.requests.at(-1) ?? ({ body: '<xml/>' } as never)).out_trade_no).toBe('Q3');
    server.setScript(() => businessFail('ORDERCLOSED', '订单已关闭'));
    expect(await client.closeOrder('Q3')).toEqual({ kind: 'success', value: undefined });
    server.setScript(() => businessFail('ORDERPAID', '订单已支付'));
    expect(await client.closeOrder('Q3')).toMatchObject({ kind: 'failure', code: 'ORDERPAID' });
    server.setScript(() => businessFail('SYSTEMERROR'));
    expect(await client.closeOrder('Q3')).toMatchObject({ kind: 'unknown', cause: 'system-error' });
  });
});
