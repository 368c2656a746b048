import { HUB_ADMIN_REFERENCE_PATHS as R, type StoreSettingsView } from '../../shared/hub-admin-api';
import { HUB_WECHAT_ADMIN_PATHS, type MerchantView, type PutMerchantRequest } from '../../shared/hub-wechat-admin-api';
import type { Sandbox } from '../../electron/sandbox/server';
import type { AdminClient } from './hub-harness';

/** The sandbox's merchant as the owner enters it at the hub: both v3 verifying keys (a switch-over) and the v2 key. */
export function sandboxMerchantRequest(sandbox: Sandbox, apiVersion: 'v2' | 'v3' = 'v3'): PutMerchantRequest {
  const c = sandbox.credentials;
  return {
    apiVersion,
    baseUrl: sandbox.url,
    credentials: {
      appid: c.appid, apiKeyV2: c.apiKeyV2, apiV3Key: c.apiV3Key, merchantPrivateKeyPem: c.merchantPrivateKeyPem,
      merchantCertSerial: c.merchantCertSerial, wechatPayPublicKeyPem: c.wechatPayPublicKeyPem, wechatPayPublicKeyId: c.wechatPayPublicKeyId,
      platformCertificates: [sandbox.platformCertificate], clientCertPem: c.clientCertPem, clientKeyPem: c.clientKeyPem, caCertPem: c.caCertPem,
    },
  };
}

/** Names the sandbox's merchant id in a store's settings. */
export async function linkStoreToMerchant(admin: AdminClient, storeId: string, mchid: string, appid: string): Promise<void> {
  const current = (await admin.request<StoreSettingsView>('GET', R.storeSettings(storeId))).body;
  const answer = await admin.request('PUT', R.storeSettings(storeId), {
    name: current.name, address: current.address, receiptFooter: current.receiptFooter, maxCashOutFen: current.maxCashOutFen,
    maxRefundFen: current.maxRefundFen, wechat: { mchid, subMchid: null, appid },
  });
  if (answer.status !== 200) throw new Error(`store settings refused: ${JSON.stringify(answer.body)}`);
}

/** Store linked and merchant entered, as the owner does it through the admin API. */
export async function enterSandboxMerchant(admin: AdminClient, storeId: string, sandbox: Sandbox, apiVersion: 'v2' | 'v3' = 'v3'): Promise<MerchantView> {
  await linkStoreToMerchant(admin, storeId, sandbox.credentials.mchid, sandbox.credentials.appid);
  const answer = await admin.request<MerchantView>('PUT', HUB_WECHAT_ADMIN_PATHS.merchant(sandbox.credentials.mchid), sandboxMerchantRequest(sandbox, apiVersion));
  if (answer.status !== 200) throw new Error(`merchant refused: ${JSON.stringify(answer.body)}`);
  return answer.body;
}
