import type * as Electron from 'electron';
import { CipherUnavailableError, type SecretCipher } from '../security/cipher';

/** The part of Electron's safeStorage this adapter uses; tests pass a fake. */
export type SafeStorageLike = Pick<
  Electron.SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

const LINUX_KEYRING_HELP = {
  zh:
    '此电脑没有可用的系统密钥环（Electron 只能使用明文后备存储“basic_text”），拒绝保存微信支付密钥。' +
    '请安装并解锁 GNOME Keyring（libsecret）或 KWallet，或以 --password-store=gnome-libsecret 启动后重试。',
  en:
    'This computer offers no system keyring (Electron would fall back to plain-text storage, “basic_text”), so the ' +
    'WeChat Pay credentials will not be stored. Install and unlock GNOME Keyring (libsecret) or KWallet, or start ' +
    'with --password-store=gnome-libsecret, then try again.',
};

/**
 * Electron's SecretCipher: safeStorage, i.e. the OS keychain (DPAPI on Windows, Keychain on macOS, libsecret or
 * KWallet on Linux). Must be created after app 'ready'. Refuses, with an explanation, when encryption is not
 * available or when Linux would only obfuscate with a hard-coded key (basic_text): that is no protection at all.
 *
 * Uses the synchronous encryptString/decryptString, which Electron now marks deprecated in favour of the async
 * pair: the SecretCipher interface is synchronous because secrets are read inside short synchronous service calls.
 */
export function createSafeStorageCipher(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretCipher {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new CipherUnavailableError(
      platform === 'linux'
        ? LINUX_KEYRING_HELP
        : { zh: '系统加密存储不可用，拒绝保存微信支付密钥', en: 'OS encryption is not available: WeChat Pay credentials will not be stored' },
    );
  }
  let backend = platform === 'darwin' ? 'Keychain' : platform === 'win32' ? 'DPAPI' : 'unknown';
  if (platform === 'linux') {
    backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') throw new CipherUnavailableError(LINUX_KEYRING_HELP);
  }
  return {
    // safeStorage takes strings; base64 keeps arbitrary bytes intact through it.
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
    describe: () => `系统钥匙串（Electron safeStorage，${backend}）/ OS keychain (Electron safeStorage, ${backend})`,
  };
}
