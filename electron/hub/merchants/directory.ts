import type { ApiVersion, WechatCredentials } from '../../wechat/types';

/**
 * The merchants (WeChat Pay merchant ids) the hub acts for, with their credentials and the stores whose orders
 * they take. Built by the hub's composition root (app.ts) from the hub's merchant settings; the bill download, the
 * chain reconciliation and the closing of orphaned QR orders read it. Credentials never leave the hub's process.
 */
export interface HubMerchant {
  mchid: string;
  apiVersion: ApiVersion;
  baseUrl: string;
  credentials: WechatCredentials;
  storeIds: string[];
}

export interface HubMerchantDirectory {
  list(): HubMerchant[];
  credentialsFor(mchid: string): HubMerchant | undefined;
}
