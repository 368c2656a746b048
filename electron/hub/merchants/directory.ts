import type { Logger } from '../../../shared/log';
import type { SecretCipher } from '../../security/cipher';
import type { PartnerScope } from '../../wechat/config';
import type { ApiVersion, WechatCredentials } from '../../wechat/types';
import type { HubDb } from '../db/database';
import { listMerchantRows, storesByMchid } from '../db/merchants';
import { unsealCredentials } from './sealed';

/**
 * Each store's WeChat merchant as the hub holds it: what the notification endpoints verify with, and what bill
 * downloads and order closing (recon) call WeChat with. Read synchronously from memory; `reload()` reads the
 * database again and is called at start, after a merchant's credentials change and after a store's settings
 * change (which stores use a merchant id is `store_settings.wechat_mchid`).
 */
export interface HubMerchant {
  /** The merchant whose money it is: for a sub-merchant (特约商户), its sub_mchid. Bills, settlement and reports key on it. */
  mchid: string;
  apiVersion: ApiVersion;
  baseUrl: string;
  /** The credentials calls are signed with: for a sub-merchant, its service provider's (credentials.mchid = sp_mchid). */
  credentials: WechatCredentials;
  storeIds: string[];
  /** Service-provider mode: every call names this sub-merchant (`mchid` above); absent for a direct merchant. */
  partner?: PartnerScope;
}

export interface HubMerchantDirectory {
  list(): HubMerchant[];
  credentialsFor(mchid: string): HubMerchant | undefined;
}

export interface ReloadableMerchantDirectory extends HubMerchantDirectory {
  reload(): Promise<void>;
  /** Bumped by every reload: caches built from a merchant (decoders) compare it. */
  readonly generation: number;
}

export function createMerchantDirectory(db: HubDb, cipher: SecretCipher, log: Logger): ReloadableMerchantDirectory {
  let merchants = new Map<string, HubMerchant>();
  let generation = 0;
  return {
    list: () => [...merchants.values()],
    credentialsFor: (mchid) => merchants.get(mchid),
    get generation() {
      return generation;
    },
    async reload() {
      const [rows, stores] = await Promise.all([listMerchantRows(db), storesByMchid(db)]);
      const next = new Map<string, HubMerchant>();
      for (const row of rows) {
        try {
          const sealed = unsealCredentials(cipher, row.sealed);
          // A sub-merchant's row: its provider's credentials sign, every call names the sub-merchant.
          const partner = row.sp_mchid ? { subMchid: row.mchid, ...(row.sub_appid ? { subAppid: row.sub_appid } : {}) } : undefined;
          next.set(row.mchid, {
            mchid: row.mchid, apiVersion: row.api_version, baseUrl: row.base_url,
            credentials: { ...sealed, mchid: row.sp_mchid ?? row.mchid }, storeIds: stores.get(row.mchid) ?? [], ...(partner ? { partner } : {}),
          });
        } catch {
          // The key file is not the one these were sealed with (restored database, new data dir): say so once per
          // reload, without anything of the envelope; the merchant's notifications are refused until it is entered again.
          log.error('hub: a merchant\'s credentials cannot be unsealed with this hub\'s key file; enter them again', { mchid: row.mchid });
        }
      }
      merchants = next;
      generation += 1;
    },
  };
}

/** `fixed` (given at start) first, then the sealed ones the owner entered; reloads reread the sealed ones only. */
export function withFixedMerchants(sealed: ReloadableMerchantDirectory, fixed: HubMerchantDirectory): ReloadableMerchantDirectory {
  return {
    list: () => {
      const given = fixed.list();
      const ids = new Set(given.map((m) => m.mchid));
      return [...given, ...sealed.list().filter((m) => !ids.has(m.mchid))];
    },
    credentialsFor: (mchid) => fixed.credentialsFor(mchid) ?? sealed.credentialsFor(mchid),
    get generation() {
      return sealed.generation;
    },
    reload: () => sealed.reload(),
  };
}
