import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import { BATCH_REPORT_INTERFACE_URL, WechatPayV2Client } from '../../../electron/wechat/v2/client';
import { verifyV2 } from '../../../electron/wechat/v2/sign';
import { createTestPki, type TestPki } from './helpers/pki';
import { startScriptServer, type ScriptServer } from './helpers/script-server';
import { businessFail, requestFields, signedAnswer, v2Client, v2Credentials, V2_KEY, xmlAnswer } from './helpers/v2-fixture';

let pki: TestPki;
let server: ScriptServer;
beforeAll(async () => {
  pki = await createTestPki();
  server = await startScriptServer(() => ({ status: 500, body: 'no script' }), {
    certPem: pki.serverCertPem,
    keyPem: pki.serverKeyPem,
    clientCaPem: pki.caCertPem,
  });
});
afterAll(async () => {
  await server.close();
});

const withCert = (): ReturnType<typeof v2Credentials> =>
  v2Credentials({ caCertPem: pki.caCertPem, clientCertPem: pki.merchantCertPem, clientKeyPem: pki.merchantKeyPem });
const lastFields = (): Record<string, string> => requestFields(server.requests.at(-1) ?? ({ body: '<xml/>' } as never));

describe('v2 reverse (secapi, mutual TLS)', () => {
  it('presents the client certificate on /secapi/ and reads recall', async () => {
    server.setScript(() => signedAnswer({ result_code: 'SUCCESS', recall: 'N' }));
    const { client } = v2Client(server.url, withCert());
    expect(await client.reverseOrder('R1')).toEqual({ kind: 'success', value: { recall: false } });
    expect(server.requests.at(-1)?.url).toBe('/secapi/pay/reverse');
    expect(server.requests.at(-1)?.clientCertSerial).toBe(pki.merchantSerial);
    server.setScript(() => signedAnswer({ result_code: 'SUCCESS', recall: 'Y' }));
    expect(await client.reverseOrder('R1')).toEqual({ kind: 'success', value: { recall: true } });
  });

  it('does not present the client certificate on ordinary paths', async () => {
    server.setScript(() => signedAnswer({ result_code: 'SUCCESS', out_trade_no: 'R1', trade_state: 'NOTPAY' }));
    const { client } = v2Client(server.url, withCert());
    await client.queryOrder('R1');
    expect(server.requests.at(-1)?.clientCertSerial).toBeNull();
  });

  it('reports a failed reverse with recall=Y as unknown: it must be called again', async () => {
    server.setScript(() => businessFail('SYSTEMERROR', '系统错误', { recall: 'Y' }));
    const { client } = v2Client(server.url, withCert());
    expect(await client.reverseOrder('R1')).toMatchObject({ kind: 'unknown', cause: 'system-error', code: 'SYSTEMERROR' });
    server.setScript(() => businessFail('USERPAYING', '用户支付中', { recall: 'Y' }));
    expect(await client.reverseOrder('R1')).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
    server.setScript(() => businessFail('REVERSE_EXPIRE', '订单已超过撤销期限', { recall: 'N' }));
    expect(await client.reverseOrder('R1')).toMatchObject({ kind: 'failure', code: 'REVERSE_EXPIRE' });
  });

  it('refuses to reverse without a client certificate, without calling', async () => {
    const before = server.requests.length;
    const { client } = v2Client(server.url, v2Credentials({ caCertPem: pki.caCertPem }));
    expect(await client.reverseOrder('R1')).toMatchObject({ kind: 'failure', code: 'CLIENT_CERT_MISSING' });
    expect(server.requests.length).toBe(before);
  });

  it('maps the front end refusing the certificate (HTML 400) to CLIENT_CERT_REJECTED', async () => {
    server.setScript(() => ({ status: 400, headers: { 'Content-Type': 'text/html' }, body: '<html>400 No required SSL certificate was sent</html>' }));
    const { client } = v2Client(
      server.url,
      v2Credentials({ caCertPem: pki.caCertPem, clientCertPem: pki.strangerCertPem, clientKeyPem: pki.strangerKeyPem }),
    );
    expect(await client.reverseOrder('R1')).toMatchObject({ kind: 'failure', code: 'CLIENT_CERT_REJECTED' });
    expect(server.requests.at(-1)?.clientCertSerial).toBeNull();
  });
});

describe('v2 refund and refund query', () => {
  it('sends the refund over mutual TLS and reports it accepted, not done', async () => {
    server.setScript(() => signedAnswer({ result_code: 'SUCCESS', out_trade_no: 'P1', out_refund_no: 'RF1', refund_id: '50000000001', refund_fee: 300 }));
    const { client } = v2Client(server.url, withCert());
    const outcome = await client.refund({ outTradeNo: 'P1', outRefundNo: 'RF1', totalFen: fen(1000), refundFen: fen(300), reason: '顾客退货' });
    expect(outcome).toEqual({ kind: 'success', value: { refundId: '50000000001', status: 'PROCESSING' } });
    expect(server.requests.at(-1)?.url).toBe('/secapi/pay/refund');
    expect(server.requests.at(-1)?.clientCertSerial).toBe(pki.merchantSerial);
    const fields = lastFields();
    expect(verifyV2(fields, V2_KEY)).toBe(true);
    expect(fields).toMatchObject({
      out_trade_no: 'P1',
      out_refund_no: 'RF1',
      total_fee: '1000',
      refund_fee: '300',
      refund_desc: '顾客退货',
      notify_url: 'https://shop.example.com/notify',
    });
  });

  it("explains NOTENOUGH in a refund as the merchant's balance", async () => {
    server.setScript(() => businessFail('NOTENOUGH', '基本账户余额不足'));
    const { client } = v2Client(server.url, withCert());
    const outcome = await client.refund({ outTradeNo: 'P1', outRefundNo: 'RF1', totalFen: fen(1000), refundFen: fen(300) });
    expect(outcome).toMatchObject({ kind: 'failure', code: 'NOTENOUGH' });
    if (outcome.kind === 'failure') expect(outcome.reason.zh).toContain('商户');
  });

  it('reports BIZERR_NEED_RETRY and SYSTEMERROR as unknown (retry with the same out_refund_no)', async () => {
    const { client } = v2Client(server.url, withCert());
    for (const code of ['BIZERR_NEED_RETRY', 'SYSTEMERROR', 'INVALID_REQ_TOO_MUCH']) {
      server.setScript(() => businessFail(code));
      expect(await client.refund({ outTradeNo: 'P1', outRefundNo: 'RF1', totalFen: fen(1000), refundFen: fen(300) })).toMatchObject({ kind: 'unknown' });
    }
  });

  it('finds its refund among several and maps v2 statuses', async () => {
    const { client } = v2Client(server.url, withCert());
    const answer = (status: string): ReturnType<typeof signedAnswer> =>
      signedAnswer({
        result_code: 'SUCCESS',
        refund_count: 2,
        out_refund_no_0: 'RF0',
        refund_id_0: '500',
        refund_fee_0: 100,
        refund_status_0: 'SUCCESS',
        out_refund_no_1: 'RF1',
        refund_id_1: '501',
        refund_fee_1: 300,
        refund_status_1: status,
        refund_success_time_1: '2024-03-01 12:30:00',
      });
    server.setScript(() => answer('SUCCESS'));
    expect(await client.queryRefund('RF1')).toEqual({
      kind: 'success',
      value: { outRefundNo: 'RF1', refundId: '501', refundFen: 300, status: 'SUCCESS', successTime: Date.UTC(2024, 2, 1, 4, 30, 0) },
    });
    expect(lastFields().out_refund_no).toBe('RF1');
    const mapped: [string, string][] = [['PROCESSING', 'PROCESSING'], ['REFUNDCLOSE', 'CLOSED'], ['CHANGE', 'ABNORMAL']];
    for (const [v2, status] of mapped) {
      server.setScript(() => answer(v2));
      expect(await client.queryRefund('RF1')).toMatchObject({ kind: 'success', value: { status } });
    }
  });

  it('reports REFUNDNOTEXIST as failure', async () => {
    server.setScript(() => businessFail('REFUNDNOTEXIST', '退款订单查询失败'));
    const { client } = v2Client(server.url, withCert());
    expect(await client.queryRefund('RF9')).toMatchObject({ kind: 'failure', code: 'REFUNDNOTEXIST' });
  });
});

const BILL = '\uFEFF交易时间,公众账号ID,商户号\r\n`2024-03-01 12:00:05,`wx00000000000000a1,`1900000001\r\n总交易单数,应结订单总金额\r\n`1,`12.50\r\n';

describe('v2 bill download', () => {
  it('asks for a gzip bill of a day and returns its CSV without the BOM', async () => {
    server.setScript(() => ({ status: 200, headers: { 'Content-Type': 'application/x-gzip' }, body: gzipSync(Buffer.from(BILL, 'utf8')) }));
    const { client } = v2Client(server.url, withCert());
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'ALL' })).toEqual({ kind: 'success', value: { kind: 'bill', csv: BILL.slice(1) } });
    expect(lastFields()).toMatchObject({ bill_date: '20240301', bill_type: 'ALL', tar_type: 'GZIP' });
  });

  it('accepts a plain-text bill too', async () => {
    server.setScript(() => ({ status: 200, body: BILL }));
    const { client } = v2Client(server.url, withCert());
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'SUCCESS' })).toMatchObject({ kind: 'success', value: { kind: 'bill' } });
  });

  it('reads "No Bill Exist" (error_code 20002) as a day without trades', async () => {
    server.setScript(() => xmlAnswer({ return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' }));
    const { client } = v2Client(server.url, withCert());
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'ALL' })).toEqual({ kind: 'success', value: { kind: 'no-bill' } });
  });

  it('reads "Bill Creating" as unknown: try again later', async () => {
    server.setScript(() => xmlAnswer({ return_code: 'FAIL', return_msg: 'Bill Creating', error_code: '20003' }));
    const { client } = v2Client(server.url, withCert());
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'ALL' })).toMatchObject({ kind: 'unknown', code: 'BILL_CREATING' });
  });

  it('reports other bill errors as failure and garbage as malformed', async () => {
    const { client } = v2Client(server.url, withCert());
    server.setScript(() => xmlAnswer({ return_code: 'FAIL', return_msg: 'invalid bill_date', error_code: '20001' }));
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'ALL' })).toMatchObject({ kind: 'failure', code: 'RETURN_FAIL' });
    server.setScript(() => ({ status: 200, body: '{"weird":true}' }));
    expect(await client.downloadBill({ billDate: '2024-03-01', billType: 'ALL' })).toMatchObject({ kind: 'unknown', cause: 'malformed' });
  });
});

describe('v2 transaction reports (payitil/report)', () => {
  it('sends the micropay batch form with trades as JSON and accepts the unsigned answer', async () => {
    server.setScript(() => xmlAnswer({ return_code: 'SUCCESS', result_code: 'SUCCESS' }));
    const { client } = v2Client(server.url, withCert());
    const outcome = await client.reportMicropayBatch([
      { outTradeNo: 'S1', beginTime: Date.UTC(2024, 2, 1, 4, 0, 0), endTime: Date.UTC(2024, 2, 1, 4, 0, 3), state: 'OK' },
      { outTradeNo: 'S2', beginTime: Date.UTC(2024, 2, 1, 4, 1, 0), endTime: Date.UTC(2024, 2, 1, 4, 1, 9), state: 'FAIL', errMsg: 'NOTENOUGH' },
    ]);
    expect(outcome).toEqual({ kind: 'success', value: undefined });
    expect(server.requests.at(-1)?.url).toBe('/payitil/report');
    const fields = lastFields();
    expect(verifyV2(fields, V2_KEY)).toBe(true);
    expect(fields.interface_url).toBe(BATCH_REPORT_INTERFACE_URL);
    expect(fields.user_ip).toBe('192.168.1.20');
    expect(JSON.parse(fields.trades ?? '[]')).toEqual([
      { out_trade_no: 'S1', begin_time: '20240301120000', end_time: '20240301120003', state: 'OK', err_msg: '' },
      { out_trade_no: 'S2', begin_time: '20240301120100', end_time: '20240301120109', state: 'FAIL', err_msg: 'NOTENOUGH' },
    ]);
  });

  it('sends nothing for an empty batch', async () => {
    const before = server.requests.length;
    const { client } = v2Client(server.url, withCert());
    expect(await client.reportMicropayBatch([])).toEqual({ kind: 'success', value: undefined });
    expect(server.requests.length).toBe(before);
  });

  it('sends the per-call form with execute_time_ and time', async () => {
    server.setScript(() => xmlAnswer({ return_code: 'SUCCESS', result_code: 'SUCCESS' }));
    const { client } = v2Client(server.url, withCert());
    if (!(client instanceof WechatPayV2Client)) throw new Error('expected the v2 client');
    const outcome = await client.reportApiCall({
      interfaceUrl: 'https://api.mch.weixin.qq.com/pay/micropay',
      executeTimeMs: 1234,
      returnCode: 'SUCCESS',
      resultCode: 'FAIL',
      errCode: 'USERPAYING',
      outTradeNo: 'S3',
    });
    expect(outcome.kind).toBe('success');
    expect(lastFields()).toMatchObject({
      interface_url: 'https://api.mch.weixin.qq.com/pay/micropay',
      execute_time_: '1234',
      return_code: 'SUCCESS',
      result_code: 'FAIL',
      err_code: 'USERPAYING',
      out_trade_no: 'S3',
      time: '20240301120000',
    });
  });
});
