import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { silentLogger } from '../../../shared/log';
import { fen } from '../../../shared/money';
import { SANDBOX_RECEIVER_NAME } from '../../../electron/sandbox/merchants';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import type { WechatClientConfig } from '../../../electron/wechat/config';
import { createWechatPayClient, WechatConfigError } from '../../../electron/wechat/factory';
import { createProfitSharingClient } from '../../../electron/wechat/profit-sharing/factory';
import type { ProfitSharingClient } from '../../../electron/wechat/profit-sharing/types';
import type { OrderState, WechatOutcome, WechatPayClient } from '../../../electron/wechat/types';
import { walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { T0 } from '../../helpers/payments-harness';

/**
 * The v2 profit-sharing client (XML, HMAC-SHA256, client certificate on secapi) against the sandbox over real
 * HTTPS, as a direct merchant and as a service provider splitting for its sub-merchant: the same rules as v3 (one
 * ledger), refusals with v2's codes, a refund of split money after its return, tampered and failed answers.
 */

const BRAND = '1900012345';
const BRAND_NAME = '连锁品牌管理有限公司';
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
  plain: WechatPayClient;
  ps: ProfitSharingClient;
  config: (profitSharing: boolean) => WechatClientConfig;
  receiver: string;
  paid(totalFen: number, plain?: boolean): Promise<OrderState>;
  balanceOf(account: string): number;
}

async function startRig(mode: 'direct' | 'partner'): Promise<Rig> {
  const clock = new ManualClock(T0);
  const sandbox = await startSandbox({ clock });
  sandbox.profitSharing.merchants.addMerchant({ mchid: BRAND, name: BRAND_NAME });
  const { baseUrl: _baseUrl, ...credentials } = sandbox.credentials;
  // The counters pay with MD5 here: the profit-sharing client signs HMAC-SHA256 regardless.
  const config = (profitSharing: boolean): WechatClientConfig => ({
    apiVersion: 'v2',
    credentials: { ...credentials, v2SignType: 'MD5' },
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
    plain,
    config,
    ps: createProfitSharingClient(config(true)),
    receiver: sandbox.credentials.receiverMchid,
    async paid(totalFen, usePlain = false) {
      const n = next();
      const client = usePlain ? plain : pay;
      return valueOf(await client.micropay({ outTradeNo: `PV2${mode}${n}x${T0}`, authCode: walletCode(WALLETS.instant, n + 500), totalFen: fen(totalFen), description: '分账测试' }));
    },
    balanceOf: (account) => sandbox.profitSharing.balances().find((b) => b.account === account)?.balanceFen ?? 0,
  };
  valueOf(await rig.ps.addReceiver({ type: 'MERCHANT_ID', account: rig.receiver, name: SANDBOX_RECEIVER_NAME, relationType: 'STORE_OWNER' }));
  valueOf(await rig.ps.addReceiver({ type: 'MERCHANT_ID', account: BRAND, name: BRAND_NAME, relationType: 'BRAND' }));
  return rig;
}

describe.each(['direct', 'partner'] as const)('v2 profit sharing (%s)', (mode) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig(mode);
  });
  afterAll(async () => {
    await rig.sandbox.close();
  });

  it('splits (多次分账), queries, returns part and finishes (完结分账); the receivers hold exactly their share', async () => {
    const { ps, clock } = rig;
    const order = await rig.paid(10_000);
    const tx = order.transactionId ?? '';
    const before = { receiver: rig.balanceOf(rig.receiver), brand: rig.balanceOf(BRAND) };
    const split = valueOf(await ps.split({
      transactionId: tx,
      outOrderNo: `V2S${next()}`,
      receivers: [
        { type: 'MERCHANT_ID', account: rig.receiver, amountFen: fen(2_000), description: '门店分成' },
        { type: 'MERCHANT_ID', account: BRAND, amountFen: fen(999), description: '品牌费' },
      ],
      unfreezeUnsplit: false,
    }));
    expect(split.state).toBe('PROCESSING');
    expect(valueOf(await ps.unsplitAmount(tx))).toBe(7_001);
    clock.advance(1_500);
    const done = valueOf(await ps.querySplit(split.outOrderNo, tx));
    expect(done.state).toBe('FINISHED');
    expect(done.receivers.map((r) => [r.account, r.amountFen, r.result])).toEqual([[rig.receiver, 2_000, 'SUCCESS'], [BRAND, 999, 'SUCCESS']]);

    const outReturnNo = `V2R${next()}`;
    expect(valueOf(await ps.returnSplit({ outOrderNo: split.outOrderNo, outReturnNo, returnMchid: rig.receiver, amountFen: fen(750), description: '退款回退' }))).toMatchObject({ result: 'SUCCESS', amountFen: 750, returnMchid: rig.receiver });
    expect(valueOf(await ps.queryReturn(outReturnNo, split.outOrderNo))).toMatchObject({ result: 'SUCCESS', amountFen: 750 });
    expect(await ps.returnSplit({ outOrderNo: split.outOrderNo, outReturnNo: `V2R${next()}`, returnMchid: rig.receiver, amountFen: fen(1_251), description: '超额' })).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });

    const finishNo = `V2F${next()}`;
    valueOf(await ps.unfreeze({ transactionId: tx, outOrderNo: finishNo, description: '分账完结' }));
    expect(valueOf(await ps.querySplit(finishNo, tx)).receivers.map((r) => r.amountFen)).toEqual([7_001]);
    expect(valueOf(await ps.unsplitAmount(tx))).toBe(0);
    expect(await ps.split({ transactionId: tx, outOrderNo: `V2S${next()}`, receivers: [{ type: 'MERCHANT_ID', account: BRAND, amountFen: fen(1), description: 'x' }], unfreezeUnsplit: false })).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });
    expect(rig.balanceOf(rig.receiver) - before.receiver).toBe(1_250);
    expect(rig.balanceOf(BRAND) - before.brand).toBe(999);
  });

  it('a single split (单次分账) releases the rest at once; the cap, an unknown receiver and a plain payment are refused', async () => {
    const { ps } = rig;
    const order = await rig.paid(1_000);
    const tx = order.transactionId ?? '';
    const toBrand = (amount: number) => [{ type: 'MERCHANT_ID' as const, account: BRAND, amountFen: fen(amount), description: '品牌费' }];
    expect(await ps.split({ transactionId: tx, outOrderNo: `V2C${next()}`, receivers: toBrand(301), unfreezeUnsplit: true })).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });
    const stranger = [{ type: 'MERCHANT_ID' as const, account: '1900099999', amountFen: fen(10), description: '未添加' }];
    expect(await ps.split({ transactionId: tx, outOrderNo: `V2U${next()}`, receivers: stranger, unfreezeUnsplit: false })).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });
    valueOf(await ps.split({ transactionId: tx, outOrderNo: `V2C${next()}`, receivers: toBrand(300), unfreezeUnsplit: true }));
    expect(valueOf(await ps.unsplitAmount(tx))).toBe(0);

    const plain = await rig.paid(2_000, true);
    expect(await ps.split({ transactionId: plain.transactionId ?? '', outOrderNo: `V2N${next()}`, receivers: toBrand(100), unfreezeUnsplit: true })).toMatchObject({ kind: 'failure', code: 'NOT_SHARE_ORDER' });
    expect(await ps.querySplit(`NEVER${next()}`, tx)).toMatchObject({ kind: 'failure', code: 'RESOURCE_NOT_EXISTS' });
    expect(await ps.addReceiver({ type: 'MERCHANT_ID', account: BRAND, name: '别的公司', relationType: 'BRAND' })).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });
  });

  it('a refund of split money is refused until the split is returned (回退), then goes through', async () => {
    const { ps, clock } = rig;
    const order = await rig.paid(10_000);
    const tx = order.transactionId ?? '';
    const split = valueOf(await ps.split({ transactionId: tx, outOrderNo: `V2RF${next()}`, receivers: [{ type: 'MERCHANT_ID', account: rig.receiver, amountFen: fen(2_500), description: '门店分成' }], unfreezeUnsplit: true }));
    clock.advance(1_500);
    const refund = { outTradeNo: order.outTradeNo, totalFen: fen(10_000), refundFen: fen(10_000) };
    expect(await rig.pay.refund({ ...refund, outRefundNo: `V2RN${next()}` })).toMatchObject({ kind: 'failure', code: 'NOTENOUGH' });
    valueOf(await ps.returnSplit({ outOrderNo: split.outOrderNo, outReturnNo: `V2RR${next()}`, returnMchid: rig.receiver, amountFen: fen(2_500), description: '退款回退' }));
    expect((await rig.pay.refund({ ...refund, outRefundNo: `V2RN${next()}` })).kind).toBe('success');
  });

  it('a tampered answer, a lost answer and a system error are unknown; the same out_order_no again makes the split once', async () => {
    const { ps, sandbox, clock } = rig;
    const order = await rig.paid(3_000);
    const before = rig.balanceOf(BRAND);
    const req = { transactionId: order.transactionId ?? '', outOrderNo: `V2T${next()}`, receivers: [{ type: 'MERCHANT_ID' as const, account: BRAND, amountFen: fen(900), description: '品牌费' }], unfreezeUnsplit: true };
    await sandbox.faults.add({ kind: 'tamper', pathPrefix: '/secapi/pay/profitsharing', times: 1 });
    expect(await ps.split(req)).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    await sandbox.faults.add({ kind: 'drop', pathPrefix: '/secapi/pay/profitsharing', times: 1 });
    expect((await ps.split(req)).kind).toBe('unknown');
    await sandbox.faults.add({ kind: 'system-error', pathPrefix: '/pay/profitsharingquery', times: 1 });
    expect(await ps.querySplit(req.outOrderNo, req.transactionId)).toMatchObject({ kind: 'unknown' });
    expect(valueOf(await ps.split(req)).receivers.find((r) => r.account === BRAND)?.amountFen).toBe(900);
    clock.advance(1_500);
    expect(rig.balanceOf(BRAND) - before).toBe(900);
    expect(sandbox.profitSharing.orders().filter((o) => o.transactionId === req.transactionId)).toHaveLength(1);
  });

  it('without the API client certificate or the API key the settings refuse to build the client (secapi needs the certificate)', () => {
    const { clientCertPem: _c, clientKeyPem: _k, ...noCert } = rig.config(true).credentials;
    expect(() => createProfitSharingClient({ ...rig.config(true), credentials: noCert })).toThrow(WechatConfigError);
    expect(() => createProfitSharingClient({ ...rig.config(true), credentials: { ...noCert, apiKeyV2: undefined } })).toThrow(WechatConfigError);
  });
});
