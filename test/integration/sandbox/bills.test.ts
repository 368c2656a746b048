import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { BILL_SUMMARY_HEADERS } from '../../../electron/sandbox/bills';
import { parseBill as parseWithAppParser } from '../../../electron/wechat/bills/bill-parse';
import { parseFeeYuan } from '../../../shared/bill-amounts';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { plainCode, send, v2Call, v3Call, v3Verified } from './raw-client';

/** 2024-05-10 10:00 Beijing. */
const DAY_START = Date.UTC(2024, 4, 9, 16, 0, 0);
const clock = new ManualClock(DAY_START + 10 * 3_600_000);
let sandbox: Sandbox;

const ALL_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';

async function micropay(no: string, fee: number): Promise<void> {
  const { fields } = await v2Call(sandbox, '/pay/micropay', { body: '沙箱,咖啡', out_trade_no: no, total_fee: fee, spbill_create_ip: '127.0.0.1', auth_code: plainCode() });
  expect(fields.result_code).toBe('SUCCESS');
}

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
  await micropay('BILL-A', 1250);
  clock.advance(5 * 60_000);
  await micropay('BILL-B', 300);
  expect((await v2Call(sandbox, '/secapi/pay/reverse', { out_trade_no: 'BILL-B' })).fields.result_code).toBe('SUCCESS');
  clock.advance(5 * 60_000);
  const refund = await v2Call(sandbox, '/secapi/pay/refund', { out_trade_no: 'BILL-A', out_refund_no: 'BILL-A-R1', total_fee: 1250, refund_fee: 500 });
  expect(refund.fields.result_code).toBe('SUCCESS');
  sandbox.plantPayment({ outTradeNo: 'BILL-PLANTED', totalFen: 888, paidAt: clock.now() });
});
afterAll(async () => {
  await sandbox.close();
});

/** Lines without the BOM; data and summary fields without their backtick. */
function parseBill(csv: string): { header: string; rows: string[][]; summaryHeader: string; summary: string[] } {
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).split('\r\n').filter((l) => l !== '');
  const unquote = (line: string): string[] =>
    line.split(',').map((f) => {
      expect(f.startsWith('`')).toBe(true);
      return f.slice(1);
    });
  return {
    header: lines[0] ?? '',
    rows: lines.slice(1, -2).map(unquote),
    summaryHeader: lines.at(-2) ?? '',
    summary: unquote(lines.at(-1) ?? ''),
  };
}

const downloadV2 = (billDate: string, billType = 'ALL', tar?: string) =>
  v2Call(sandbox, '/pay/downloadbill', { bill_date: billDate, bill_type: billType, ...(tar ? { tar_type: tar } : {}) });

describe('trade bills', () => {
  it('is not ready before 10:00 the next day: Bill Creating / STATEMENT_CREATING', async () => {
    clock.set(DAY_START + 33 * 3_600_000);
    expect((await downloadV2('20240510')).fields).toMatchObject({ return_code: 'FAIL', return_msg: 'Bill Creating' });
    const v3 = await v3Call(sandbox, 'GET', '/v3/bill/tradebill?bill_date=2024-05-10&bill_type=ALL', undefined, clock.now());
    expect([v3.response.status, v3.json.code]).toEqual([400, 'STATEMENT_CREATING']);
  });

  it('builds the ALL bill from the ledger: BOM, header, backticked rows in yuan, summary', async () => {
    clock.set(DAY_START + 34 * 3_600_000);
    const { response } = await downloadV2('20240510');
    expect(response.headers['content-type']).toContain('text/plain');
    const bill = parseBill(response.text);
    expect(bill.header).toBe(ALL_HEADER);
    expect(bill.summaryHeader).toBe(BILL_SUMMARY_HEADERS.ALL.join(','));
    const byNo = new Map(bill.rows.map((r) => [`${r[6]}|${r[9]}`, r]));
    const a = byNo.get('BILL-A|SUCCESS');
    expect(a?.slice(0, 3)).toEqual(['2024-05-10 10:00:00', sandbox.credentials.appid, sandbox.credentials.mchid]);
    expect(a?.[12]).toBe('12.50');
    expect(a?.[20]).toBe('沙箱，咖啡');
    expect(a?.[22]).toBe('0.08000');
    expect(a?.[23]).toBe('0.60%');
    expect(byNo.get('BILL-B|REVOKED')?.[12]).toBe('0.00');
    const refund = byNo.get('BILL-A|REFUND');
    expect(refund?.[15]).toBe('BILL-A-R1');
    expect(refund?.[16]).toBe('5.00');
    // As the live service writes a refund row: nothing settled or ordered on it, the fee given back negative.
    expect([refund?.[12], refund?.[24], refund?.[25], refund?.[22]]).toEqual(['0.00', '0.00', '5.00', '-0.03000']);
    expect(byNo.get('BILL-PLANTED|SUCCESS')?.[12]).toBe('8.88');
    expect(bill.summary).toEqual(['4', '21.38', '5.00', '0.00', '0.10000', '24.38', '5.00']);
  });

  it('gzips the same bill on request', async () => {
    const plain = (await downloadV2('20240510')).response.body;
    const gz = (await downloadV2('20240510', 'ALL', 'GZIP')).response.body;
    expect(gunzipSync(gz).equals(plain)).toBe(true);
  });

  it('has SUCCESS and REFUND variants with their own columns', async () => {
    const success = parseBill((await downloadV2('20240510', 'SUCCESS')).response.text);
    expect(success.header.split(',')).toHaveLength(20);
    expect(success.rows.map((r) => r[6]).sort()).toEqual(['BILL-A', 'BILL-PLANTED']);
    const refunds = parseBill((await downloadV2('20240510', 'REFUND')).response.text);
    expect(refunds.header.split(',')).toHaveLength(29);
    expect(refunds.rows).toHaveLength(1);
    expect(refunds.rows[0]?.[14]).toBe('2024-05-10 10:10:00');
  });

  it('answers a day without trades with No Bill Exist, error_code 20002', async () => {
    const { fields } = await downloadV2('20240509');
    expect(fields).toEqual({ return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' });
    const v3 = await v3Call(sandbox, 'GET', '/v3/bill/tradebill?bill_date=2024-05-09&bill_type=ALL', undefined, clock.now());
    expect([v3.response.status, v3.json.code]).toEqual([400, 'NO_STATEMENT_EXIST']);
  });

  it('v3: tradebill gives a SHA1 of the CSV and a short-lived download URL for the gzip file', async () => {
    const { response, json } = await v3Call(sandbox, 'GET', '/v3/bill/tradebill?bill_date=2024-05-10&bill_type=ALL&tar_type=GZIP', undefined, clock.now());
    expect(v3Verified(sandbox, response)).toBe(true);
    expect(json.hash_type).toBe('SHA1');
    const url = new URL(String(json.download_url));
    expect(url.origin).toBe(new URL(sandbox.url).origin);
    const file = await v3Call(sandbox, 'GET', `${url.pathname}${url.search}`, undefined, clock.now());
    expect(file.response.status).toBe(200);
    expect(file.response.headers['wechatpay-signature']).toBeUndefined();
    const csv = gunzipSync(file.response.body);
    expect(createHash('sha1').update(csv).digest('hex')).toBe(json.hash_value);
    expect(csv.equals((await downloadV2('20240510')).response.body)).toBe(true);
    clock.advance(31_000);
    const expired = await v3Call(sandbox, 'GET', `${url.pathname}${url.search}`, undefined, clock.now());
    expect(expired.response.status).toBe(400);
  });

  it('requires a signed request for the bill file download', async () => {
    const { json } = await v3Call(sandbox, 'GET', '/v3/bill/tradebill?bill_date=2024-05-10&bill_type=ALL', undefined, clock.now());
    const url = new URL(String(json.download_url));
    expect((await send(sandbox, `${url.pathname}${url.search}`)).status).toBe(401);
  });

  it('shows an amount changed in the ledger and a refund made outside the app', async () => {
    sandbox.changeOrderAmount('BILL-PLANTED', 999);
    sandbox.plantRefund({ outTradeNo: 'BILL-PLANTED', refundFen: 100, outRefundNo: 'OUTSIDE-1', at: DAY_START + 12 * 3_600_000 });
    const bill = parseBill((await downloadV2('20240510')).response.text);
    const planted = bill.rows.filter((r) => r[6] === 'BILL-PLANTED');
    expect(planted.map((r) => [r[9], r[12], r[16]])).toEqual([
      ['SUCCESS', '9.99', '0.00'],
      ['REFUND', '0.00', '1.00'],
    ]);
  });

  /** Which column each summary total adds up, per pay.weixin.qq.com's format page. */
  const SUMMED: Record<string, string> = {
    应结订单总金额: '应结订单金额', 退款总金额: '退款金额', 充值券退款总金额: '充值券退款金额', 手续费总金额: '手续费', 订单总金额: '订单金额', 申请退款总金额: '申请退款金额',
  };
  /** Yuan (two decimals) or a fee (five) → an integer of 0.00001 yuan, so both add up exactly. */
  const exact = (text: string): number => {
    const value = parseFeeYuan(text);
    if (value === null) throw new Error(`not an amount: ${text}`);
    return value;
  };

  it.each(['ALL', 'SUCCESS', 'REFUND'])('writes a %s bill the app parser reads, each summary total the sum of its column', async (type) => {
    const csv = (await downloadV2('20240510', type)).response.text;
    const parsed = parseWithAppParser(csv);
    expect(parsed.summary.billType).toBe(type);
    expect(parsed.unknownColumns).toEqual([]);
    const bill = parseBill(csv);
    const header = bill.header.split(',');
    const summaryHeader = bill.summaryHeader.split(',');
    expect(summaryHeader).toEqual(BILL_SUMMARY_HEADERS[type as 'ALL' | 'SUCCESS' | 'REFUND']);
    expect(Number(bill.summary[0])).toBe(bill.rows.length);
    for (const [name, column] of Object.entries(SUMMED)) {
      const at = summaryHeader.indexOf(name);
      if (at < 0) continue;
      const col = header.indexOf(column);
      const sum = bill.rows.reduce((s, r) => s + exact(r[col] ?? ''), 0);
      expect([name, exact(bill.summary[at] ?? '')]).toEqual([name, sum]);
    }
  });
});
