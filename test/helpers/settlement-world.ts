import { expect } from 'vitest';
import { HUB_ADMIN_PATHS, type StoreView } from '../../shared/hub-admin-api';
import type { PushFactsAnswer } from '../../shared/hub-protocol';
import { HUB_SETTLEMENT_PATHS as S, type ProposeRulesRequest, type RuleSetView } from '../../shared/hub-settlement-api';
import { silentLogger } from '../../shared/log';
import { fen } from '../../shared/money';
import type { Clock } from '../../shared/clock';
import { SANDBOX_RECEIVER_NAME } from '../../electron/sandbox/merchants';
import type { Sandbox } from '../../electron/sandbox/server';
import { createWechatPayClient } from '../../electron/wechat/factory';
import type { WechatPayClient } from '../../electron/wechat/types';
import { CounterFacts, type SandboxMerchants } from './chain-day';
import { TestCounter, type AdminClient } from './hub-harness';

/** A brand's merchant the sandbox knows, receiving the brand fee. */
export const BRAND = '1900012345';
export const BRAND_NAME = '连锁品牌管理有限公司';
export const OWNER = { name: '王老板', password: 'correct horse battery' };

/** Three stores, three rule sets: a percentage; a percentage and a fixed fee; a fixed fee and a percentage the cap cuts. */
export function rulesFor(storeIds: readonly string[], receiver: string, day: string): ProposeRulesRequest[] {
  const [a = '', b = '', c = ''] = storeIds;
  return [
    { storeId: a, effectiveFrom: day, rules: [{ account: receiver, type: 'MERCHANT_ID', relationType: 'STORE_OWNER', share: { kind: 'percent', basisPoints: 2_000 }, description: '加盟店主分成' }] },
    { storeId: b, effectiveFrom: day, rules: [
      { account: BRAND, type: 'MERCHANT_ID', relationType: 'BRAND', share: { kind: 'percent', basisPoints: 550 }, description: '品牌费' },
      { account: receiver, type: 'MERCHANT_ID', relationType: 'STORE_OWNER', share: { kind: 'fixed', fen: fen(150) }, description: '每单固定分成' },
    ] },
    { storeId: c, effectiveFrom: day, rules: [
      { account: BRAND, type: 'MERCHANT_ID', relationType: 'BRAND', share: { kind: 'fixed', fen: fen(500) }, description: '每单品牌费' },
      { account: receiver, type: 'MERCHANT_ID', relationType: 'STORE_OWNER', share: { kind: 'percent', basisPoints: 1_500 }, description: '店主分成' },
    ] },
  ];
}

/** How the chain takes money: a direct merchant or a service provider's sub-merchant, on API v3 or v2. */
export interface SettlementSetup {
  apiVersion: 'v2' | 'v3';
  serviceProvider: boolean;
}

export const DIRECT_V3: SettlementSetup = { apiVersion: 'v3', serviceProvider: false };

export interface SettlementWorld {
  /** The merchant id the hub settles under: the merchant's, or the sub-merchant's. */
  mchid: string;
  stores: string[];
  /** Each paid order: its store, out_trade_no, amount and WeChat transaction id. */
  paid: { storeId: string; outTradeNo: string; totalFen: number; transactionId: string }[];
  pay: WechatPayClient;
}

/**
 * Sets up a profit-sharing chain through the admin API (owner signed in already, store A made at setup): stores B
 * and C, the merchant in profit-sharing mode, two receivers added at WeChat, each store's rules proposed and
 * approved, a counter per store; then `perStore` real payment-code payments per store with profit sharing on at the
 * sandbox, pushed to the hub as the counters' facts.
 */
export async function buildSettlementWorld(
  admin: AdminClient, hubUrl: string, storeA: string, sandbox: Sandbox, merchants: SandboxMerchants, clock: Clock & { now(): number },
  day: string, amounts: readonly number[][], setup: SettlementSetup = DIRECT_V3,
): Promise<SettlementWorld> {
  const stores = [storeA];
  for (const name of ['二号店', '三号店']) stores.push((await admin.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name })).body.storeId);
  sandbox.profitSharing.merchants.addMerchant({ mchid: BRAND, name: BRAND_NAME });
  const mchid = setup.serviceProvider ? merchants.addSubMerchant(sandbox, setup.apiVersion, stores).mchid : merchants.add(sandbox, setup.apiVersion, stores).mchid;
  const receiver = sandbox.credentials.receiverMchid;
  expect((await admin.request('PUT', S.merchant(mchid), { sinceDay: day, maxShareBasisPoints: 3_000 })).status).toBe(200);
  for (const [account, name, relationType] of [[receiver, SANDBOX_RECEIVER_NAME, 'STORE_OWNER'], [BRAND, BRAND_NAME, 'BRAND']] as const) {
    const added = await admin.request('POST', S.receivers, { mchid, type: 'MERCHANT_ID', account, name, relationType });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
  }
  for (const proposal of rulesFor(stores, receiver, day)) {
    const proposed = await admin.request<RuleSetView>('POST', S.rules, proposal);
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    expect((await admin.request('POST', S.approve(proposed.body.ruleSetId), { note: '同意' })).status).toBe(200);
  }
  const pay = profitSharingPayClient(sandbox, clock, setup);
  const paid = await payAtStores(admin, hubUrl, pay, stores, clock, day, amounts);
  return { mchid, stores, paid, pay };
}

/** The counters' payment client with profit sharing on (v3 settle_info.profit_sharing, v2 profit_sharing=Y), as the sub-merchant in service-provider mode. */
export function profitSharingPayClient(sandbox: Sandbox, clock: Clock, setup: SettlementSetup = DIRECT_V3): WechatPayClient {
  const { baseUrl: _b, ...credentials } = sandbox.credentials;
  return createWechatPayClient({
    apiVersion: setup.apiVersion, credentials, baseUrl: sandbox.url, timeouts: { connectMs: 2_000, totalMs: 5_000 }, clock, logger: silentLogger,
    spbillCreateIp: '127.0.0.1', profitSharing: true, ...(setup.serviceProvider ? { partner: { subMchid: sandbox.credentials.subMchid } } : {}),
  });
}

let code = 0;
/** A new counter per store, real payments at the sandbox, the counters' facts pushed to the hub. */
export async function payAtStores(
  admin: AdminClient, hubUrl: string, pay: WechatPayClient, stores: readonly string[], clock: Clock, day: string, amounts: readonly number[][],
): Promise<SettlementWorld['paid']> {
  const paid: SettlementWorld['paid'] = [];
  for (const [i, storeId] of stores.entries()) {
    if ((amounts[i] ?? []).length === 0) continue;
    const counter = new TestCounter(hubUrl, clock as never);
    expect((await counter.enrol(await admin.pairingCode(storeId), `柜台${day}-${i + 1}`)).status).toBe(200);
    const facts = new CounterFacts(counter.terminalId, `SH-${day}-${i}`, `c-${i}`);
    facts.openShift(clock.now());
    for (const totalFen of amounts[i] ?? []) {
      const outTradeNo = facts.orderNo('P', day.slice(2).replace(/-/g, ''));
      code += 1;
      const outcome = await pay.micropay({ outTradeNo, authCode: `1301${'0000'}${String(code).padStart(10, '0')}`, totalFen: fen(totalFen), description: '分账测试' });
      if (outcome.kind !== 'success') throw new Error(`payment failed: ${JSON.stringify(outcome)}`);
      facts.sale(clock.now(), outTradeNo, totalFen);
      paid.push({ storeId, outTradeNo, totalFen, transactionId: outcome.value.transactionId ?? '' });
    }
    const pushed = await counter.pushFacts<PushFactsAnswer>(facts.facts);
    expect(pushed.status).toBe(200);
  }
  return paid;
}
