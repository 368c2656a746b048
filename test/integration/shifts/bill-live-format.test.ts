import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import type { BillProblemView } from '../../../shared/shifts';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { fileBillArchive } from '../../../electron/shifts/bill-archive';
import { billProblemWords } from '../../../electron/shifts/reconciliation-service';
import type { ApiVersion, BillRequest, WechatPayClient } from '../../../electron/wechat/types';
import { walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createTill, type Till } from './harness';

/** 2025-03-14 12:00 Beijing: the day itself, long before WeChat's bill for it is normally ready. */
const DAY_NOON = Date.UTC(2025, 2, 14, 4, 0, 0);
const BILL_DATE = '2025-03-14';
const DAY_MS = 24 * 3_600_000;

/** The client, except that downloadBill may be answered by the test. */
function withBillOverride(client: WechatPayClient, override: { next: ((req: BillRequest) => ReturnType<WechatPayClient['downloadBill']>) | null }): WechatPayClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'downloadBill' && override.next) return override.next;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe.each<ApiVersion>(['v2', 'v3'])('a day reconciled on the day itself from a bill in the live format (%s)', (apiVersion) => {
  const clock = new ManualClock(DAY_NOON);
  let sandbox: Sandbox;
  let till: Till;
  let shiftId = '';
  const orders: Record<string, string> = {};
  let localRefundNo = '';
  let planted = { trade: '', refund: '', refundOnOurs: '' };

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    till = createTill(sandbox, clock, apiVersion);
    const svc = till.payments.service;
    const cashierId = till.staff.cashierId;
    shiftId = till.shifts.openShift({ cashierId, cashierName: '李收银', openingFloatFen: 20_000 }).id;
    const sale = (amountFen: number): number => svc.createSale({ cashierId, shiftId, amountFen }).id;
    let serial = 1;
    for (const [name, amount] of [['s1', 1000], ['s2', 2000], ['s3', 3000], ['s4', 4000], ['s5', 1234]] as const) {
      orders[name] = svc.scanPaymentCode(sale(amount), walletCode(WALLETS.instant, serial++)).outTradeNo;
    }
    await till.payments.drain(60_000);
    const s4 = svc.findSaleByReceiptNo(4);
    localRefundNo = svc.requestRefund({ saleId: s4?.id ?? 0, amountFen: 1000, approvedBy: 'm' }).refunds[0]?.outRefundNo ?? '';
    await till.payments.drain(60_000);

    // The seven kinds, planted with the sandbox's testing aids:
    const trade = sandbox.plantPayment({ totalFen: 888 }).outTradeNo; // 1 only in WeChat: a payment
    const refund = sandbox.plantRefund({ outTradeNo: trade, refundFen: 88 }).outRefundNo; // 2 only in WeChat: a refund
    const refundOnOurs = sandbox.plantRefund({ outTradeNo: orders.s1 ?? '', refundFen: 300 }).outRefundNo; // 3 refund the app did not make
    sandbox.changeOrderAmount(orders.s2 ?? '', 2500); // 4 amount differs
    sandbox.plantReversal(orders.s3 ?? ''); // 5 reversed without the app
    sandbox.removeOrder(orders.s4 ?? ''); // 6 + 7 only local: the payment and its refund
    planted = { trade, refund, refundOnOurs };
  }, 120_000);

  afterAll(async () => {
    await till.payments.service.stop();
    await sandbox.close();
  });

  it('fetches the day\'s bill the same day once the sandbox\'s bill clock is moved ahead', async () => {
    till.reconciliation.redownload(BILL_DATE, { id: till.staff.managerId, name: '王店长' });
    await till.payments.service.worker.runUntilIdle();
    expect(till.reconciliation.getBill(BILL_DATE)).toBeNull();
    sandbox.shiftBillClock(DAY_MS);
    till.reconciliation.redownload(BILL_DATE, { id: till.staff.managerId, name: '王店长' });
    await till.payments.service.worker.runUntilIdle();
    // s1, s2, s3, s5, the planted payment, and the two planted refunds (s4 and its refund left the ledger).
    expect(till.reconciliation.getBill(BILL_DATE)).toMatchObject({ state: 'bill', lineCount: 7, openMismatches: 7 });
  });

  it('finds every planted disagreement, each in its class, and nothing else', () => {
    const found = till.reconciliation.listMismatches({ billDate: BILL_DATE });
    const rows = found
      .map((m) => ({ class: m.class, outTradeNo: m.outTradeNo, outRefundNo: m.outRefundNo, localFen: m.localFen, wechatFen: m.wechatFen, mine: m.shiftId === shiftId }))
      .sort((a, b) => `${a.class}${a.outTradeNo}${a.outRefundNo ?? ''}`.localeCompare(`${b.class}${b.outTradeNo}${b.outRefundNo ?? ''}`));
    const expected = [
      { class: 'amount-differs', outTradeNo: orders.s2, outRefundNo: null, localFen: 2000, wechatFen: 2500, mine: true },
      { class: 'only-in-wechat', outTradeNo: planted.trade, outRefundNo: null, localFen: null, wechatFen: 888, mine: false },
      { class: 'only-in-wechat', outTradeNo: planted.trade, outRefundNo: planted.refund, localFen: null, wechatFen: 88, mine: false },
      { class: 'only-local', outTradeNo: orders.s4, outRefundNo: null, localFen: 4000, wechatFen: null, mine: true },
      { class: 'only-local', outTradeNo: orders.s4, outRefundNo: localRefundNo, localFen: 1000, wechatFen: null, mine: true },
      { class: 'state-differs', outTradeNo: orders.s1, outRefundNo: planted.refundOnOurs, localFen: null, wechatFen: 300, mine: true },
      { class: 'state-differs', outTradeNo: orders.s3, outRefundNo: null, localFen: 3000, wechatFen: 3000, mine: true },
    ].sort((a, b) => `${a.class}${a.outTradeNo}${a.outRefundNo ?? ''}`.localeCompare(`${b.class}${b.outTradeNo}${b.outRefundNo ?? ''}`));
    expect(rows).toEqual(expected);
  });
});

describe('a bill the app cannot read', () => {
  const clock = new ManualClock(DAY_NOON + DAY_MS - 2 * 3_600_000 + 12 * 3_600_000);
  let sandbox: Sandbox;
  let till: Till;
  const archiveDir = mkdtempSync(join(tmpdir(), 'unreadable-bills-'));
  const problems: BillProblemView[] = [];
  const override: { next: ((req: BillRequest) => ReturnType<WechatPayClient['downloadBill']>) | null } = { next: null };
  /** A live-format bill whose second row has a fee with six decimals. */
  const broken = [
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注',
    '`2025-03-14 10:00:00,`wx1,`190,`0,`,`4201,`A1,`o1,`MICROPAY,`SUCCESS,`OTHERS,`CNY,`10.00,`0.00,`0,`0,`0.00,`0.00,`,`,`货品,`,`0.06000,`0.60%,`10.00,`0.00,`',
    '`2025-03-14 11:00:00,`wx1,`190,`0,`,`4202,`A2,`o1,`MICROPAY,`SUCCESS,`OTHERS,`CNY,`20.00,`0.00,`0,`0,`0.00,`0.00,`,`,`货品,`,`0.120000,`0.60%,`20.00,`0.00,`',
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    '`2,`30.00,`0.00,`0.00,`0.18000,`30.00,`0.00',
  ].join('\r\n');

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    till = createTill(sandbox, clock, 'v2', 'T01', {
      wrapClient: (client) => withBillOverride(client, override),
      reconciliation: {
        archive: fileBillArchive(archiveDir),
        onProblem: (p) => {
          problems.push(p);
          till.staff.security.risk.raiseBillProblem(p.billDate, billProblemWords(p));
        },
      },
    });
    const svc = till.payments.service;
    const shiftId = till.shifts.openShift({ cashierId: till.staff.cashierId, cashierName: '李收银', openingFloatFen: 0 }).id;
    clock.set(DAY_NOON);
    svc.payCash(svc.createSale({ cashierId: till.staff.cashierId, shiftId, amountFen: 500 }).id, 500);
    clock.set(DAY_NOON + DAY_MS - 2 * 3_600_000 + 12 * 3_600_000);
  });
  afterAll(async () => {
    await till.payments.service.stop();
    await sandbox.close();
  });

  it('is a worded problem with line and column, its raw file kept, an alert raised, and the job ended', async () => {
    override.next = () => Promise.resolve({ kind: 'success', value: { kind: 'bill', csv: broken } });
    expect(till.reconciliation.queueDueBills()).toEqual([BILL_DATE]);
    await till.payments.service.worker.runUntilIdle();

    const [problem] = till.reconciliation.listProblems();
    expect(problem).toMatchObject({ billDate: BILL_DATE, kind: 'unreadable', line: 3, column: '手续费', detail: 'line 2 手续费: not a fee in yuan (up to five decimals)' });
    expect(billProblemWords(problem as BillProblemView).zh).toBe('账单格式无法识别（第 3 行，“手续费”列）');
    expect(readFileSync(problem?.rawPath ?? '', 'utf8')).toBe(broken);
    expect(problems.map((p) => p.billDate)).toEqual([BILL_DATE]);
    expect(till.staff.security.risk.listAlerts(true).map((a) => [a.kind, a.actorId])).toEqual([['bill-unreadable', `bill:${BILL_DATE}`]]);
    const jobs = till.db.prepare("SELECT state, last_error FROM outbox WHERE operation = 'bill.download'").all() as { state: string; last_error: string }[];
    expect(jobs).toEqual([{ state: 'failed', last_error: 'unreadable bill: line 2 手续费: not a fee in yuan (up to five decimals)' }]);
    expect(till.reconciliation.getBill(BILL_DATE)).toBeNull();
    // The next poll leaves the day to the manager instead of fetching the same file again.
    expect(till.reconciliation.queueDueBills()).toEqual([]);
  });

  it('is cleared when the day is downloaded again and reads', async () => {
    override.next = null;
    till.reconciliation.redownload(BILL_DATE, { id: till.staff.managerId, name: '王店长' });
    await till.payments.service.worker.runUntilIdle();
    expect(till.reconciliation.listProblems()).toEqual([]);
    expect(till.reconciliation.getBill(BILL_DATE)?.state).toBe('no-bill');
    expect(existsSync(archiveDir)).toBe(true);
  });

  it('gives up at its deadline when WeChat never has the bill, and says so', async () => {
    const day = '2025-03-15';
    override.next = () => Promise.resolve({ kind: 'unknown', cause: 'system-error', code: 'BILL_CREATING', detail: 'Bill Creating' });
    till.reconciliation.redownload(day, { id: till.staff.managerId, name: '王店长' });
    await till.payments.service.worker.runUntilIdle();
    expect(till.reconciliation.listProblems()).toEqual([]);
    clock.advance(3 * DAY_MS);
    await till.payments.service.worker.runUntilIdle();
    expect(till.reconciliation.listProblems()).toEqual([expect.objectContaining({ billDate: day, kind: 'deadline', line: null })]);
    expect(problems.map((p) => [p.billDate, p.kind])).toContainEqual([day, 'deadline']);
  });
});
