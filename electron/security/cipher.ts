import type { Localized } from '../../shared/i18n';

/**
 * Encryption at rest for the merchant's credentials. Two implementations: Electron safeStorage (the OS keychain:
 * DPAPI, Keychain, libsecret/KWallet) in electron/adapters/safe-storage.ts, and an AES-256-GCM key file for the
 * web host (key-file-cipher.ts). Both throw on a ciphertext they did not make or that was altered.
 */
export interface SecretCipher {
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
  /** How the secrets are protected, in words for the settings screen. Never includes key material. */
  describe(): string;
}

/** Secrets cannot be stored on this machine as it is; `reason` says why and what to do about it. */
export class CipherUnavailableError extends Error {
  override readonly name = 'CipherUnavailableError';
  constructor(readonly reason: Localized) {
    super(reason.en);
  }
}
