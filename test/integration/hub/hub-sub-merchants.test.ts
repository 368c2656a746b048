import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_REFERENCE_PATHS as R, type StoreSettingsView } from '../../../shared/hub-admin-api';
import { HUB_SETTLEMENT_PATHS as S, type ReceiverView } from '../../../shared/hub-settlement-api';
import { HUB_WECHAT_ADMIN_PATHS as W, type MerchantView } from '../../../shared/hub-wechat-admin-api';
import { silentLogger } from '../../../shared/log';
import { fen } from '../../../shared/money';
import { SANDBOX_RECEIVER_NAME } from '../../../electron/sandbox/merchants';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { createWechatPayClient } from '../../../electron/wechat/factory';
import { createProfitSharingClient } from '../../../electron/wechat/profit-sharing/factory';
import { HUB_ENGINES, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { sandboxMerchantRequest } from '../../helpers/hub-wechat';

/**
 * A store that is a service provider's sub-merchant (服务商模式), entered by the owner through the admin API
 * (migration 0012): the hub keeps it under the sub-merchant's id, signs with the provider's credentials, and its
 * profit-sharing calls name the sub-merchant — a receiver added through the hub is on file for the sub-merchant, not
 * for the provider.
 */
describe.each(HUB_ENGINES)('a sub-merchant at the hub on %s', (engine) => {
  let t: HubUnderTest;
  let sandbox: Sandbox;
  let storeId: string;

  beforeAll(async () => {
    t = await startTestHub(engine);
    sandbox = await startSandbox({ clock: t.clock });
    storeId = (await t.admin.setUp(t.hub.adminUrl)).storeId;
  });
  afterAll(async () => {
    await sandbox.close();
    await t.close();
  });

  it.each(['v3', 'v2'] as const)('is entered with its service provider (%s) and splits as the sub-merchant', async (apiVersion) => {
    const c = sandbox.credentials;
    const current = (await t.admin.request<StoreSettingsView>('GET', R.storeSettings(storeId))).body;
    const linked = await t.admin.request('PUT', R.storeSettings(storeId), {
      name: current.name, address: current.address, receiptFooter: current.receiptFooter, maxCashOutFen: current.maxCashOutFen,
      maxRefundFen: current.maxRefundFen, wechat: { mchid: c.spMchid, subMchid: c.subMchid, appid: c.appid },
    });
    expect(linked.status).toBe(200);
    const request = { ...sandboxMerchantRequest(sandbox, apiVersion), serviceProvider: { spMchid: c.spMchid } };
    // A sub-merchant cannot be its own provider.
    expect((await t.admin.request('PUT', W.merchant(c.spMchid), request)).status).toBe(400);
    const entered = await t.admin.request<MerchantView>('PUT', W.merchant(c.subMchid), request);
    expect(entered.status, JSON.stringify(entered.body)).toBe(200);
    expect(entered.body).toMatchObject({ mchid: c.subMchid, apiVersion, storeIds: [storeId], serviceProvider: { spMchid: c.spMchid, subAppid: null } });
    const held = t.hub.merchants.credentialsFor(c.subMchid);
    expect([held?.credentials.mchid, held?.partner]).toEqual([c.spMchid, { subMchid: c.subMchid }]);

    const added = await t.admin.request<ReceiverView>('POST', S.receivers, { mchid: c.subMchid, type: 'MERCHANT_ID', account: c.receiverMchid, name: SANDBOX_RECEIVER_NAME, relationType: 'STORE_OWNER' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.state).toBe('added');

    // A sub-merchant's payment splits to that receiver; the provider's own payment cannot (not on file for it).
    const config = (partner: boolean) => ({
      apiVersion, credentials: c, baseUrl: sandbox.url, timeouts: { connectMs: 2_000, totalMs: 5_000 }, clock: t.clock, logger: silentLogger,
      spbillCreateIp: '127.0.0.1', profitSharing: true, ...(partner ? { partner: { subMchid: c.subMchid } } : {}),
    });
    const split = async (partner: boolean, n: number) => {
      const paid = await createWechatPayClient(config(partner)).micropay({ outTradeNo: `SUB${apiVersion}${n}`, authCode: `13010000${String(n).padStart(10, '0')}`, totalFen: fen(1_000), description: '分账' });
      if (paid.kind !== 'success') throw new Error(JSON.stringify(paid));
      return createProfitSharingClient(config(partner)).split({
        transactionId: paid.value.transactionId ?? '', outOrderNo: `SUBS${apiVersion}${n}`, unfreezeUnsplit: true,
        receivers: [{ type: 'MERCHANT_ID', account: c.receiverMchid, amountFen: fen(100), description: '店主分成' }],
      });
    };
    expect((await split(true, apiVersion === 'v3' ? 1 : 3)).kind).toBe('success');
    expect(await split(false, apiVersion === 'v3' ? 2 : 4)).toMatchObject({ kind: 'failure', code: 'INVALID_REQUEST' });
  });
});
