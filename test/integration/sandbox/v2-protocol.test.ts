import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { foreignClientCert, outNo, plainCode, send, v2Call, v2Verified } from './raw-client';

const clock = new ManualClock(Date.UTC(2024, 4, 10, 2, 0, 0));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
});
afterAll(async () => {
  await sandbox.close();
});

const micropayFields = (overrides: Record<string, string | number> = {}) => ({
  body: '沙箱-咖啡',
  out_trade_no: outNo(),
  total_fee: 1250,
  spbill_create_ip: '127.0.0.1',
  auth_code: plainCode(),
  ...overrides,
});

describe('v2 protocol checks', () => {
  it('signs a successful answer with MD5 over every field it sends', async () => {
    const { fields } = await v2Call(sandbox, '/pay/micropay', micropayFields());
    expect(fields.return_code).toBe('SUCCESS');
    expect(fields.result_code).toBe('SUCCESS');
    expect(fields.sign).toMatch(/^[0-9A-F]{32}$/);
    expect(v2Verified(sandbox, fields)).toBe(true);
  });

  it('answers an HMAC-SHA256 request with an HMAC-SHA256 signature, without naming the sign type', async () => {
    const { fields } = await v2Call(sandbox, '/pay/micropay', micropayFields(), { signType: 'HMAC-SHA256' });
    expect(fields.sign_type).toBeUndefined();
    expect(fields.sign).toMatch(/^[0-9A-F]{64}$/);
    expect(v2Verified(sandbox, fields, 'HMAC-SHA256')).toBe(true);
    expect(v2Verified(sandbox, fields, 'MD5')).toBe(false);
  });

  it('rejects a request signed with the wrong key as the live service does (return_code FAIL, 签名错误)', async () => {
    const before = sandbox.listOrders().length;
    const { fields } = await v2Call(sandbox, '/pay/micropay', micropayFields(), { key: 'X'.repeat(32) });
    expect(fields).toEqual({ return_code: 'FAIL', return_msg: '签名错误，请检查后再试' });
    expect(sandbox.listOrders().length).toBe(before);
  });

  it('rejects a request whose signed fields were altered after signing', async () => {
    const c = sandbox.credentials;
    const good = await v2Call(sandbox, '/pay/orderquery', { out_trade_no: 'nothing' });
    expect(good.fields.return_code).toBe('SUCCESS');
    const body = `<xml><appid>${c.appid}</appid><mch_id>${c.mchid}</mch_id><nonce_str>abc</nonce_str><out_trade_no>X1</out_trade_no><sign>00000000000000000000000000000000</sign></xml>`;
    const res = await send(sandbox, '/pay/orderquery', { body });
    expect(res.text).toContain('签名错误');
  });

  it('answers malformed XML with XML格式错误', async () => {
    const res = await send(sandbox, '/pay/micropay', { body: '<xml><appid>wx</appid><mch_id>1</mch_id' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<return_code><![CDATA[FAIL]]></return_code>');
    expect(res.text).toContain('XML格式错误');
  });

  it('refuses a DTD or an entity declaration as malformed XML', async () => {
    const res = await send(sandbox, '/pay/orderquery', { body: '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><a>&x;</a></xml>' });
    expect(res.text).toContain('XML格式错误');
  });

  it('answers a missing business field with LACK_PARAMS, signed', async () => {
    const fields = micropayFields();
    delete (fields as Partial<typeof fields>).auth_code;
    const res = await v2Call(sandbox, '/pay/micropay', fields);
    expect(res.fields).toMatchObject({ return_code: 'SUCCESS', result_code: 'FAIL', err_code: 'LACK_PARAMS' });
    expect(v2Verified(sandbox, res.fields)).toBe(true);
  });

  it('answers a malformed amount with PARAM_ERROR', async () => {
    const res = await v2Call(sandbox, '/pay/micropay', micropayFields({ total_fee: '12.50' }));
    expect(res.fields).toMatchObject({ result_code: 'FAIL', err_code: 'PARAM_ERROR' });
  });

  it('refuses a request for another merchant or app', async () => {
    const res = await v2Call(sandbox, '/pay/orderquery', { out_trade_no: 'x', mch_id: '1900000109' });
    expect(res.fields.return_code).toBe('FAIL');
    const app = await v2Call(sandbox, '/pay/orderquery', { out_trade_no: 'x', appid: 'wx0000000000000000' });
    expect(app.fields).toEqual({ return_code: 'FAIL', return_msg: 'appid和mch_id不匹配' });
  });

  it('refuses a GET with 请使用post方法', async () => {
    const res = await send(sandbox, '/pay/micropay');
    expect(res.text).toContain('请使用post方法');
  });
});

describe('v2 secapi mutual TLS', () => {
  const refund = () => ({ out_trade_no: 'none', out_refund_no: outNo('R'), total_fee: 1, refund_fee: 1 });

  it('refuses a secapi call without the client certificate with the front end 400 page', async () => {
    const { response } = await v2Call(sandbox, '/secapi/pay/refund', refund(), { withCert: false });
    expect(response.status).toBe(400);
    expect(response.text).toContain('No required SSL certificate was sent');
  });

  it('refuses a client certificate the sandbox CA did not issue', async () => {
    const foreign = await foreignClientCert();
    const c = sandbox.credentials;
    const res = await send(sandbox, '/secapi/pay/reverse', {
      body: `<xml><appid>${c.appid}</appid></xml>`,
      clientCert: foreign,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('The SSL certificate error');
  });

  it('accepts the merchant certificate on secapi paths', async () => {
    const { response, fields } = await v2Call(sandbox, '/secapi/pay/refund', refund());
    expect(response.status).toBe(200);
    expect(fields).toMatchObject({ return_code: 'SUCCESS', result_code: 'FAIL', err_code: 'ORDERNOTEXIST' });
  });

  it('does not need the client certificate outside secapi', async () => {
    const { fields } = await v2Call(sandbox, '/pay/orderquery', { out_trade_no: 'none' }, { withCert: false });
    expect(fields).toMatchObject({ return_code: 'SUCCESS', result_code: 'FAIL', err_code: 'ORDERNOTEXIST' });
  });
});

describe('plain HTTP sandbox', () => {
  it('serves the API without TLS but refuses secapi paths: no client certificate can exist', async () => {
    const plain = await startSandbox({ clock, tls: false });
    try {
      expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await v2Call(plain, '/pay/orderquery', { out_trade_no: 'none' })).fields.err_code).toBe('ORDERNOTEXIST');
      const { response } = await v2Call(plain, '/secapi/pay/refund', { out_trade_no: 'none', out_refund_no: 'r', total_fee: 1, refund_fee: 1 });
      expect(response.status).toBe(400);
      expect(response.text).toContain('No required SSL certificate was sent');
    } finally {
      await plain.close();
    }
  });
});
