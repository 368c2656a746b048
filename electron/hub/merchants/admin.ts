import { createPrivateKey } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import {
  type MerchantView, type PutMerchantRequest, type PutWechatHubSettingsRequest, type WechatHubSettingsView,
} from '../../../shared/hub-wechat-admin-api';
import type { SecretCipher } from '../../security/cipher';
import { createV3NotificationDecoder, NotificationKeyError } from '../../wechat/v3/notification';
import type { HubDb } from '../db/database';
import { insertHubAudit } from '../db/hub-audit';
import { upsertMerchant } from '../db/merchants';
import { readMeta, writeMeta } from '../db/meta';
import { listStores } from '../db/stores';
import { inChange } from '../reference/change';
import { notifyUrlsOf, PUBLIC_BASE_URL_KEY } from './notify-urls';
import { badRequest } from '../http/io';
import type { Actor } from '../reference/change';
import type { HubMerchant } from './directory';
import { sealCredentials } from './sealed';

/**
 * The owner sets a merchant's credentials and the hub's public base URL (admin API, shared/hub-wechat-admin-api.ts).
 * Credentials are checked before they are stored (a key that cannot verify a notification is refused now, not at
 * the first payment), sealed, and audit-logged by which fields were set, never their values.
 */


function checkUsable(mchid: string, request: PutMerchantRequest, clock: Clock): void {
  const c = request.credentials;
  if (request.serviceProvider?.spMchid === mchid) throw badRequest('a sub-merchant id differs from its service provider\'s (spMchid)');
  if (request.apiVersion === 'v2') {
    if (!c.apiKeyV2) throw badRequest('a v2 merchant needs apiKeyV2 (32 characters)');
    return;
  }
  if (!c.apiV3Key || !c.merchantPrivateKeyPem || !c.merchantCertSerial) throw badRequest('a v3 merchant needs apiV3Key, merchantPrivateKeyPem and merchantCertSerial');
  if ((c.wechatPayPublicKeyId === undefined) !== (c.wechatPayPublicKeyPem === undefined)) throw badRequest('wechatPayPublicKeyId and wechatPayPublicKeyPem go together');
  try {
    createPrivateKey(c.merchantPrivateKeyPem);
  } catch {
    throw badRequest('merchantPrivateKeyPem is not a readable private key');
  }
  try {
    createV3NotificationDecoder({
      apiV3Key: c.apiV3Key, clock, mchid: request.serviceProvider?.spMchid ?? mchid,
      wechatPayPublicKeys: c.wechatPayPublicKeyId && c.wechatPayPublicKeyPem ? [{ id: c.wechatPayPublicKeyId, pem: c.wechatPayPublicKeyPem }] : [],
      platformCertificates: c.platformCertificates ?? [],
    });
  } catch (error) {
    if (error instanceof NotificationKeyError) throw badRequest(error.message);
    throw error;
  }
}

export async function putMerchant(db: HubDb, cipher: SecretCipher, clock: Clock, actor: Actor, mchid: string, request: PutMerchantRequest): Promise<void> {
  checkUsable(mchid, request, clock);
  const now = clock.now();
  const set = Object.keys(request.credentials).sort();
  await db.transaction().execute(async (trx) => {
    await upsertMerchant(trx, {
      mchid, api_version: request.apiVersion, base_url: request.baseUrl, sealed: sealCredentials(cipher, request.credentials), updated_at: now,
      updated_by: actor.userId, sp_mchid: request.serviceProvider?.spMchid ?? null, sub_appid: request.serviceProvider?.subAppid ?? null,
    });
    await insertHubAudit(trx, {
      at: now, user_id: actor.userId, user_name: actor.name, address: actor.address, action: 'wechat.merchant.set', target: mchid,
      detail: JSON.stringify({ apiVersion: request.apiVersion, baseUrl: request.baseUrl, fieldsSet: set, serviceProvider: request.serviceProvider ?? null }), revision: null,
    });
  });
}

export function merchantView(m: HubMerchant, updatedAt: number, updatedBy: string): MerchantView {
  const c = m.credentials;
  return {
    mchid: m.mchid, apiVersion: m.apiVersion, baseUrl: m.baseUrl, appid: c.appid, storeIds: m.storeIds,
    has: { apiKeyV2: !!c.apiKeyV2, apiV3Key: !!c.apiV3Key, merchantPrivateKey: !!c.merchantPrivateKeyPem, clientCertificate: !!c.clientCertPem },
    verifyingKeyIds: [...(c.wechatPayPublicKeyId ? [c.wechatPayPublicKeyId] : []), ...(c.platformCertificates ?? []).map((p) => p.serial)],
    serviceProvider: m.partner ? { spMchid: c.mchid, subAppid: m.partner.subAppid ?? null } : null,
    updatedAt, updatedBy,
  };
}

export async function wechatHubSettings(db: HubDb): Promise<WechatHubSettingsView> {
  return { publicBaseUrl: await readMeta(db, PUBLIC_BASE_URL_KEY), notifyUrls: await notifyUrlsOf(db) };
}

/**
 * Sets the hub's public base URL as a reference change of every store's settings (a new revision), so each
 * enrolled counter gets the new notify_url with its next pull and puts it on its next orders.
 */
export async function putWechatHubSettings(db: HubDb, clock: Clock, actor: Actor, request: PutWechatHubSettingsRequest): Promise<WechatHubSettingsView> {
  const value = request.publicBaseUrl === null ? null : request.publicBaseUrl.replace(/\/+$/, '');
  const stores = await listStores(db);
  await inChange(db, actor, clock.now(), async (trx) => {
    await writeMeta(trx, PUBLIC_BASE_URL_KEY, value);
    return {
      result: undefined,
      change: { action: 'wechat.settings.set', target: 'public_base_url', detail: { publicBaseUrl: value }, lists: stores.map((s) => ({ scope: s.store_id, list: 'store' as const })) },
    };
  });
  return wechatHubSettings(db);
}
