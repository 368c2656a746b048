import type { Clock } from '../../../shared/clock';
import { refuse, type NotificationResult } from '../../wechat/notification';
import { decodeV2Notification } from '../../wechat/v2/notification';
import { parseXml, XmlFormatError } from '../../wechat/v2/xml';
import { createV3NotificationDecoder, NotificationKeyError, type NotificationHeaders, type V3NotificationDecoder } from '../../wechat/v3/notification';
import type { HubMerchant, ReloadableMerchantDirectory } from '../merchants/directory';

/**
 * Which merchant's keys verify a notification, then the production decoders of electron/wechat/ (size, headers,
 * 5-minute timestamp, RSA-SHA256 on the raw body, AEAD_AES_256_GCM, shapes). One endpoint serves every merchant:
 * - v3: the envelope is encrypted, so the merchant is found by `Wechatpay-Serial` (a WeChat Pay public key id or a
 *   platform certificate serial: both are loaded during a switch-over). Every merchant holding that key is tried
 *   (a service provider's platform certificate may be shared); the decoded `mchid` must be that merchant's.
 * - v2: `mch_id` is in the clear (payment: signed; refund: outer XML, the req_info decrypts only with that
 *   merchant's key), so it picks the merchant and its API key decides.
 */
export interface NotificationDecoders {
  decodeV3(rawBody: Buffer, headers: NotificationHeaders): NotificationResult;
  decodeV2(rawBody: Buffer): NotificationResult;
}

export function createNotificationDecoders(merchants: ReloadableMerchantDirectory, clock: Clock, maxBodyBytes?: number): NotificationDecoders {
  let built = -1;
  let v3: { merchant: HubMerchant; decoder: V3NotificationDecoder }[] = [];

  /** Rebuilt when the directory was reloaded (credentials changed); a merchant whose keys do not load is left out. */
  function v3Decoders(): typeof v3 {
    if (built === merchants.generation) return v3;
    v3 = [];
    for (const merchant of merchants.list()) {
      const c = merchant.credentials;
      if (!c.apiV3Key) continue;
      try {
        const decoder = createV3NotificationDecoder({
          apiV3Key: c.apiV3Key, clock, mchid: merchant.mchid, maxBodyBytes,
          wechatPayPublicKeys: c.wechatPayPublicKeyId && c.wechatPayPublicKeyPem ? [{ id: c.wechatPayPublicKeyId, pem: c.wechatPayPublicKeyPem }] : [],
          platformCertificates: c.platformCertificates ?? [],
        });
        v3.push({ merchant, decoder });
      } catch (error) {
        if (!(error instanceof NotificationKeyError)) throw error;
      }
    }
    built = merchants.generation;
    return v3;
  }

  return {
    decodeV3(rawBody, headers) {
      const serialHeader = Object.entries(headers).find(([k]) => k.toLowerCase() === 'wechatpay-serial')?.[1];
      const serial = (typeof serialHeader === 'string' ? serialHeader : serialHeader?.[0]) ?? '';
      const normal = (s: string): string => (s.startsWith('PUB_KEY_ID_') ? s : s.toUpperCase());
      const candidates = v3Decoders().filter((d) => d.decoder.keyIds.includes(normal(serial)));
      // No merchant has this key: any decoder gives the checks before the key (size, headers, timestamp) their own reasons.
      const all = candidates.length > 0 ? candidates : v3Decoders().slice(0, 1);
      if (all.length === 0) return refuse('UNKNOWN_SERIAL', 'no merchant with v3 credentials is set at the hub');
      let last: NotificationResult = refuse('UNKNOWN_SERIAL', 'no merchant holds this key');
      for (const { decoder } of all) {
        const result = decoder.decode(rawBody, headers);
        if (result.ok) return result;
        last = result;
      }
      return last;
    },
    decodeV2(rawBody) {
      if (maxBodyBytes !== undefined && rawBody.length > maxBodyBytes) return refuse('BODY_TOO_LARGE', `body of ${rawBody.length} bytes is over ${maxBodyBytes}`);
      let mchid: string | undefined;
      try {
        mchid = parseXml(rawBody.toString('utf8')).mch_id;
      } catch (error) {
        if (error instanceof XmlFormatError) return refuse('MALFORMED_BODY', 'not v2 XML');
        throw error;
      }
      const merchant = mchid ? merchants.credentialsFor(mchid) : undefined;
      if (!merchant?.credentials.apiKeyV2) return refuse('WRONG_MERCHANT', `no v2 merchant ${(mchid ?? '').slice(0, 32)} at the hub`);
      return decodeV2Notification(rawBody, { apiKey: merchant.credentials.apiKeyV2, mchid: merchant.mchid, maxBodyBytes });
    },
  };
}
