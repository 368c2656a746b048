import { join } from 'node:path';
import type { Logger } from '../../../shared/log';
import type { SecretCipher } from '../../security/cipher';
import { openKeyFileCipher } from '../../security/key-file-cipher';
import type { WechatCredentials } from '../../wechat/types';

/**
 * Merchant credentials at rest: AES-256-GCM with a random key in `<data dir>/hub-secrets.key` (0600, created on
 * first start; the same key-file cipher the counter's web host uses, electron/security/key-file-cipher.ts). The
 * database holds only the sealed envelope, so a database dump or a PostgreSQL replica gives no merchant key; keep
 * the key file out of database backups and back it up separately (without it the credentials must be entered
 * again). A hub whose key file does not match its database refuses to start the WeChat part and says so.
 */
export const HUB_SECRETS_FILE = 'hub-secrets.key';

export function openHubSecretCipher(dataDir: string, logger: Logger): SecretCipher {
  return openKeyFileCipher(join(dataDir, HUB_SECRETS_FILE), { logger });
}

/** Credentials without the mchid (that is the row's key). */
export type SealedCredentials = Omit<WechatCredentials, 'mchid'>;

export function sealCredentials(cipher: SecretCipher, credentials: SealedCredentials): string {
  return cipher.encrypt(Buffer.from(JSON.stringify(credentials), 'utf8')).toString('base64');
}

export function unsealCredentials(cipher: SecretCipher, sealed: string): SealedCredentials {
  return JSON.parse(cipher.decrypt(Buffer.from(sealed, 'base64')).toString('utf8')) as SealedCredentials;
}
