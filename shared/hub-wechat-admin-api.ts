/**
 * The head office's WeChat Pay part of the admin API (beside shared/hub-admin-api.ts, same session rules): each
 * merchant's credentials, which the hub needs to verify WeChat's notifications (and to download bills and close
 * orders), and the hub's public base URL that notify_url is built from. Owner only. Secrets go in and never come
 * back: the views say which ones are set, never what they are.
 *
 *   GET  wechat/merchants                 → MerchantView[]
 *   PUT  wechat/merchants/:mchid  PutMerchantRequest → MerchantView   (replaces the whole set of credentials)
 *   GET  wechat/settings                  → WechatHubSettingsView
 *   PUT  wechat/settings  PutWechatHubSettingsRequest → WechatHubSettingsView
 */
import { z } from 'zod';

export const HUB_WECHAT_ADMIN_PATHS = {
  merchants: '/api/admin/v1/wechat/merchants',
  merchant: (mchid: string): string => `/api/admin/v1/wechat/merchants/${encodeURIComponent(mchid)}`,
  settings: '/api/admin/v1/wechat/settings',
} as const;

/** Merchant ids are digits (8–10 today); sub-merchants likewise. */
export const mchidSchema = z.string().regex(/^\d{6,20}$/, 'mchid is digits');

const pem = (label: string) => z.string().max(16_000).refine((text) => text.includes(`-----BEGIN ${label}`), `not a PEM ${label}`);
const anyPem = z.string().max(16_000).refine((text) => text.includes('-----BEGIN '), 'not a PEM block');

export const merchantCredentialsSchema = z
  .object({
    appid: z.string().regex(/^[A-Za-z0-9_]{4,32}$/, 'appid'),
    apiKeyV2: z.string().length(32).optional(),
    v2SignType: z.enum(['MD5', 'HMAC-SHA256']).optional(),
    apiV3Key: z.string().length(32).optional(),
    merchantPrivateKeyPem: anyPem.optional(),
    merchantCertSerial: z.string().regex(/^[0-9A-Fa-f]{8,64}$/).optional(),
    wechatPayPublicKeyPem: pem('PUBLIC KEY').optional(),
    wechatPayPublicKeyId: z.string().regex(/^PUB_KEY_ID_[0-9A-Za-z]{1,64}$/).optional(),
    platformCertificates: z.array(z.object({ serial: z.string().regex(/^[0-9A-Fa-f]{8,64}$/), pem: pem('CERTIFICATE') }).strict()).max(4).optional(),
    clientCertPem: pem('CERTIFICATE').optional(),
    clientKeyPem: anyPem.optional(),
    caCertPem: pem('CERTIFICATE').optional(),
  })
  .strict();

export const putMerchantRequestSchema = z
  .object({
    apiVersion: z.enum(['v2', 'v3']),
    /** https://api.mch.weixin.qq.com, its backup host, or a sandbox's URL. */
    baseUrl: z.url({ protocol: /^https?$/ }).max(200),
    credentials: merchantCredentialsSchema,
    /**
     * Service-provider mode (服务商): the merchant id in the path is a sub-merchant (特约商户号) and `credentials` are
     * its provider's (appid = the provider's appid); every call names the sub-merchant. Absent: a direct merchant.
     */
    serviceProvider: z.object({ spMchid: z.string().regex(/^\d{8,16}$/, 'spMchid'), subAppid: z.string().regex(/^[A-Za-z0-9_]{4,32}$/, 'subAppid').optional() }).strict().optional(),
  })
  .strict();
export type PutMerchantRequest = z.infer<typeof putMerchantRequestSchema>;

export interface MerchantView {
  mchid: string;
  apiVersion: 'v2' | 'v3';
  baseUrl: string;
  appid: string;
  /** Stores whose settings name this merchant id. */
  storeIds: string[];
  /** Which secrets are set (never their values). */
  has: { apiKeyV2: boolean; apiV3Key: boolean; merchantPrivateKey: boolean; clientCertificate: boolean };
  /** Key ids that verify WeChat's signatures (not secret): the public key id and platform certificate serials. */
  verifyingKeyIds: string[];
  /** Service-provider mode: the provider that signs for this sub-merchant; null for a direct merchant. */
  serviceProvider: { spMchid: string; subAppid: string | null } | null;
  updatedAt: number;
  updatedBy: string;
}

export const putWechatHubSettingsRequestSchema = z
  .object({
    /** Where WeChat reaches this hub from the internet (HTTPS in production), without a trailing path. */
    publicBaseUrl: z.url({ protocol: /^https?$/ }).max(200).refine((text) => !/[?#]/.test(text), 'no query or fragment').nullable(),
  })
  .strict();
export type PutWechatHubSettingsRequest = z.infer<typeof putWechatHubSettingsRequestSchema>;

export interface WechatHubSettingsView {
  publicBaseUrl: string | null;
  /** Paths the merchant enters in WeChat's merchant platform / that counters put on their orders. */
  notifyUrls: { v3: string; v2: string } | null;
}

/** The hub's notification endpoints (relative to its public base URL): payments and refunds share them. */
export const WECHAT_NOTIFY_PATHS = { v3: '/wechatpay/v3/notify', v2: '/wechatpay/v2/notify' } as const;

/** `<base>/wechatpay/v3/notify` (or v2): a base with a path keeps it (a proxy prefix), a trailing slash is dropped. */
export function notifyUrlOf(publicBaseUrl: string, api: 'v2' | 'v3'): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${WECHAT_NOTIFY_PATHS[api]}`;
}
