import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { silentLogger } from '../../../shared/log';
import { fen } from '../../../shared/money';
import { SANDBOX_RECEIVER_NAME } from '../../../electron/sandbox/merchants';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import type { WechatClientConfig } from '../../../electron/wechat/config';
import { createWechatPayClient } from '../../../electron/wechat/factory';
import { createProfitSharingClient } from '../../../electron/wechat/profit-sharing/factory';
import type { ProfitSharingClient } from '../../../electron/wechat/profit-sharing/types';
import type { OrderState, WechatOutcome, WechatPayClient } from '../../../electron/wechat/types';
import { walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { T0 } from '../../helpers/payments-harness';

/** The profit-sharing client against the sandbox over real HTTPS: splits, returns, unfreezing, and the rules. */

const BRAND = '1900012345';
const BRAND_NAME = '连锁品牌管理有限公司';
const DAY = 24 * 3_600_000;
let serial = 0;
const next = (): number => ++serial;

function valueOf<T>(outcome: WechatOutcome<T>): T {
  if (outcome.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

interface Rig {
  clock: ManualClock;
  sandbox: Sandbox;
  pay: WechatPayClient;
  /** The same store paying through API v2 (sub_mch_id, profit_sharing=Y). */
  payV2: WechatPayClient;
  plain: WechatPayClient;
  ps: ProfitSharingClient;
  receiver: string;
  /** A payment by payment code (profit sharing on unless `plain`), paid at once. */
  paid(totalFen: number, plain?: boolean, client?: WechatPayClient): Promise<OrderState>;
  balanceOf(account: string): number;
}

async function startRig(mode: 'direct' | 'partner'): Promise<Rig> {
  const clock = new ManualClock(T0);
  const sandbox = await startSandbox({ clock });
  sandbox.profitSharing.merchants.addMerchant({ mchid: BRAND, name: BRAND_NAME });
  const { baseUrl: _baseUrl, ...credentials } = sandbox.credentials;
  const config = (profitSharing: boolean, apiVersion: 'v2' | 'v3' = 'v3'): WechatClientConfig => ({
    apiVersion,
    credentials,
    baseUrl: sandbox.url,
    timeouts: { connectMs: 2_000, totalMs: 5_000 },
    clock,
    logger: silentLogger,
    spbillCreateIp: '127.0.0.1',
    profitSharing,
    ...(mode === 'partner' ? { partner: { subMchid: sandbox.credentials.subMchid } } : {}),
  });
  const pay = createWechatPayClient(config(true));
  const plain = createWechatPayClient(config(false));
  const rig: Rig = {
    clock,
    sandbox,
    pay,
    payV2: createWechatPayClient(config(true, 'v2')),
    plain,
    ps: createProfitSharingClient(config(true)),
    receiver: sandbox.credentials.receiverMchid,
    async paid(totalFen, usePlain = false, client = usePlain ? plain : pay) {
      const n = next();
      return valueOf(await client.micropay({ outTradeNo: `PS${mode}${n}x${T0}`, authCode: walletCode(WALLETS.instant, n), totalFen: fen(totalFen), description: '分账测试' }));
    },
    balanceOf: (account) => sandbox.profitSharing.balances().find((b) => b.account === account)?.balanceFen ?? 0,
  };
  valueOf(await rig.ps.addReceiver({ type: 'MERCHANT_ID', account: rig.receiver, name: SANDBOX_RECEIVER_NAME, relationType: 'STORE_OWNER' }));
  valueOf(await rig.ps.addReceiver({ type: 'MERCHANT_ID', account: BRAND, name: BRAND_NAME, relationType: 'BRAND' }));
  return rig;
}

describe.each(['direct', 'partner'] as const)('profit sharing (%s merchant)', (mode) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig(mode);
  });
  afterAll(async () => {
    await rig.sandbox.close();
  });

  it('splits an order, queries it, returns part and unfreezes the rest; the receivers hold exactly their share', async () => {
    const { ps, clock } = rig;
    const order = await rig.paid(10_000);
    const tx = order.transactionId ?? '';
    const before = { receiver: rig.balanceOf(rig.receiver), brand: rig.balanceOf(BRAND) };
    const split = valueOf(
      await ps.split({
        transactionId: tx,
        outOrderNo: `SPLIT${next()}`,
        receivers: [
          { type: 'MERCHANT_ID', account: rig.receiver, amountFen: fen(2_000), description: '门店分成' },
          { type: 'MERCHANT_ID', account: BRAND, amountFen: fen(999), description: '品牌费' },
        ],
        unfreezeUnsplit: false,
      }),
    );
    expect(split.state).toBe('PROCESSING');
    expect(valueOf(await ps.unsplitAmount(tx))).toBe(7_001);
    clock.advance(1_500);
    const done = valueOf(await ps.querySplit(split.outOrderNo, tx));
    expect(done.state).toBe('FINISHED');
    expect(done.receivers.map((r) => [r.account, r.amountFen, r.result])).toEqual([
      [rig.receiver, 2_000, 'SUCCESS'],
      [BRAND, 999, 'SUCCESS'],
    ]);

    const outReturnNo = `RET${next()}`;
    const returned = valueOf(await ps.returnSplit({ outOrderNo: split.outOrderNo, outReturnNo, returnMchid: rig.receiver, amountFen: fen(750), description: '退款回退' }));
    expect(returned).toMatchObject({ result: 'SUCCESS', amountFen: 750 });
    expect(valueOf(await ps.queryReturn(outReturnNo, split.outOrderNo))).toMatchObject({ result: 'SUCCESS', amountFen: 750 });
    const tooMuch = await ps.returnSplit({ outOrderNo: split.outOrderNo, outReturnNo: `RET${next()}`, returnMchid: rig.receiver, amountFen: fen(1_251), description: '超额回退' });
    expect(tooMuch).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });

    const unfrozen = valueOf(await ps.unfreeze({ transactionId: tx, outOrderNo: `UNF${next()}`, description: '解冻剩余资金' }));
    expect(unfrozen.receivers.map((r) => [r.amountFen, r.description])).toEqual([[7_001, '解冻给分账方']]);
    expect(valueOf(await ps.unsplitAmount(tx))).toBe(0);
    const again = await ps.split({ transactionId: tx, outOrderNo: `SPLIT${next()}`, receivers: [{ type: 'MERCHANT_ID', account: BRAND, amountFen: fen(1), description: 'x' }], unfreezeUnsplit: true });
    expect(again).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });

    expect(rig.balanceOf(rig.receiver) - before.receiver).toBe(1_250);
    expect(rig.balanceOf(BRAND) - before.brand).toBe(999);
  });

  it('refuses a split above the maximum share ratio (30 % by default, or as configured)', async () => {
    const { ps } = rig;
    const order = await rig.paid(1_000);
    const receivers = (amount: number) => [{ type: 'MERCHANT_ID' as const, account: BRAND, amountFen: fen(amount), description: '品牌费' }];
    const over = await ps.split({ transactionId: order.transactionId ?? '', outOrderNo: `CAP${next()}`, receivers: receivers(301), unfreezeUnsplit: false });
    expect(over).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });
    valueOf(await ps.split({ transactionId: order.transactionId ?? '', outOrderNo: `CAP${next()}`, receivers: receivers(300), unfreezeUnsplit: false }));
    const second = await ps.split({ transactionId: order.transactionId ?? '', outOrderNo: `CAP${next()}`, receivers: receivers(1), unfreezeUnsplit: false });
    expect(second).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });
    rig.sandbox.profitSharing.setMaxRatioPercent(50);
    try {
      const wider = await rig.paid(1_000);
      valueOf(await ps.split({ transactionId: wider.transactionId ?? '', outOrderNo: `CAP${next()}`, receivers: receivers(500), unfreezeUnsplit: true }));
    } finally {
      rig.sandbox.profitSharing.setMaxRatioPercent(30);
    }
  });

  it('refuses to split a payment made without profit sharing, to an unknown receiver, or under a wrong name', async () => {
    const { ps } = rig;
    const plain = await rig.paid(2_000, true);
    const toBrand = [{ type: 'MERCHANT_ID' as const, account: BRAND, amountFen: fen(100), description: '品牌费' }];
    expect(await ps.split({ transactionId: plain.transactionId ?? '', outOrderNo: `NOPS${next()}`, receivers: toBrand, unfreezeUnsplit: true })).toMatchObject({
      kind: 'failure',
      code: 'INVALID_REQUEST',
    });
    expect(await ps.unsplitAmount(plain.transactionId ?? '')).toMatchObject({ kind: 'failure' });
    const order = await rig.paid(2_000);
    const stranger = [{ type: 'MERCHANT_ID' as const, account: '1900099999', amountFen: fen(100), description: '未添加' }];
    expect(await ps.split({ transactionId: order.transactionId ?? '', outOrderNo: `UNK${next()}`, receivers: stranger, unfreezeUnsplit: false })).toMatchObject({ kind: 'failure' });
    expect(await ps.addReceiver({ type: 'MERCHANT_ID', account: BRAND, name: '别的公司', relationType: 'BRAND' })).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });
    valueOf(await ps.deleteReceiver({ type: 'MERCHANT_ID', account: BRAND }));
    expect(await ps.split({ transactionId: order.transactionId ?? '', outOrderNo: `DEL${next()}`, receivers: toBrand, unfreezeUnsplit: false })).toMatchObject({ kind: 'failure' });
    valueOf(await ps.addReceiver({ type: 'MERCHANT_ID', account: BRAND, name: BRAND_NAME, relationType: 'BRAND' }));
  });

  it.each(['v3', 'v2'] as const)('a refund of money already split waits for the return (回退) first (%s payment)', async (api) => {
    const { ps, clock } = rig;
    const pay = api === 'v3' ? rig.pay : rig.payV2;
    const order = await rig.paid(10_000, false, pay);
    const tx = order.transactionId ?? '';
    const split = valueOf(
      await ps.split({ transactionId: tx, outOrderNo: `RF${next()}`, receivers: [{ type: 'MERCHANT_ID', account: rig.receiver, amountFen: fen(2_500), description: '门店分成' }], unfreezeUnsplit: false }),
    );
    clock.advance(1_500);
    const refund = { outTradeNo: order.outTradeNo, totalFen: fen(10_000), refundFen: fen(8_000) };
    expect(await pay.refund({ ...refund, outRefundNo: `R${next()}` })).toMatchObject({ kind: 'failure', code: 'NOTENOUGH' });
    valueOf(await ps.returnSplit({ outOrderNo: split.outOrderNo, outReturnNo: `RET${next()}`, returnMchid: rig.receiver, amountFen: fen(500), description: '退款回退' }));
    expect((await pay.refund({ ...refund, outRefundNo: `R${next()}` })).kind).toBe('success');
  });

  it('a split whose answer is lost is sent again with the same out_order_no and made once', async () => {
    const { ps, clock } = rig;
    const order = await rig.paid(3_000);
    const before = rig.balanceOf(BRAND);
    const req = { transactionId: order.transactionId ?? '', outOrderNo: `DROP${next()}`, receivers: [{ type: 'MERCHANT_ID' as const, account: BRAND, amountFen: fen(900), description: '品牌费' }], unfreezeUnsplit: true };
    await rig.sandbox.faults.add({ kind: 'drop', pathPrefix: '/v3/profitsharing/orders', times: 1 });
    expect((await ps.split(req)).kind).toBe('unknown');
    expect(valueOf(await ps.split(req)).receivers[0]?.amountFen).toBe(900);
    clock.advance(1_500);
    expect(rig.balanceOf(BRAND) - before).toBe(900);
  });

  it('the profit-sharing bill of the day lists every split, unfreeze and return line', async () => {
    const shift = rig.sandbox.shiftBillClock(DAY + 11 * 3_600_000);
    try {
      const day = new Date(rig.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const bill = valueOf(await rig.ps.downloadBill(day));
      expect(bill.kind).toBe('bill');
      const csv = bill.kind === 'bill' ? bill.csv : '';
      expect(csv).toContain('`分账');
      expect(csv).toContain('`解冻给分账方');
      expect(csv).toContain('`回退');
    } finally {
      rig.sandbox.shiftBillClock(-shift);
    }
  });
});

describe('profit sharing: the 180-day window', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig('partner');
  });
  afterAll(async () => {
    await rig.sandbox.close();
  });

  it('refuses a split 180 days after payment and the frozen money goes back to the merchant', async () => {
    const order = await rig.paid(5_000);
    const tx = order.transactionId ?? '';
    const receivers = [{ type: 'MERCHANT_ID' as const, account: BRAND, amountFen: fen(100), description: '品牌费' }];
    rig.clock.advance(179 * DAY);
    valueOf(await rig.ps.split({ transactionId: tx, outOrderNo: `IN${next()}`, receivers, unfreezeUnsplit: false }));
    rig.clock.advance(2 * DAY);
    expect(await rig.ps.split({ transactionId: tx, outOrderNo: `LATE${next()}`, receivers, unfreezeUnsplit: false })).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });
    expect(valueOf(await rig.ps.unsplitAmount(tx))).toBe(0);
  });

  it('the sandbox admin endpoints show the receivers’ balances and set the cap', async () => {
    const admin = (method: string, path: string, body = '') => rig.sandbox.handleAdminRequest({ method, path, body: Buffer.from(body) });
    const set = await admin('POST', '/sandbox/admin/profit-sharing/max-ratio', '{"percent": 40}');
    expect(set.status).toBe(200);
    expect(rig.sandbox.profitSharing.maxRatioPercent()).toBe(40);
    expect((await admin('POST', '/sandbox/admin/profit-sharing/max-ratio', '{"percent": 140}')).status).toBe(400);
    expect((await admin('POST', '/sandbox/admin/profit-sharing/max-ratio', 'nope')).status).toBe(400);
    const view = JSON.parse((await admin('GET', '/sandbox/admin/profit-sharing')).body.toString('utf8')) as { max_ratio_percent: number; balances: { account: string; balanceFen: number }[] };
    expect(view.max_ratio_percent).toBe(40);
    expect(view.balances.find((b) => b.account === BRAND)?.balanceFen).toBe(100);
  });
});
