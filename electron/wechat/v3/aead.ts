import { createCipheriv, createDecipheriv } from 'node:crypto';

/** AEAD_AES_256_GCM as API v3 uses it for notifications and certificates. */
export interface AeadInput {
  /** The 32-byte APIv3 key: the merchant's 32 ASCII characters (UTF-8) or raw bytes. */
  key: string | Uint8Array;
  /** 12 characters in practice; a string is used as its UTF-8 bytes. */
  nonce: string | Uint8Array;
  associatedData: string | Uint8Array;
}

export class AeadError extends Error {
  override readonly name = 'AeadError';
}

const TAG_BYTES = 16;

const bytesOf = (value: string | Uint8Array): Buffer =>
  typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);

function checkedKeyAndNonce(input: AeadInput): { key: Buffer; nonce: Buffer } {
  const key = bytesOf(input.key);
  if (key.length !== 32) throw new AeadError('the APIv3 key must be 32 bytes');
  const nonce = bytesOf(input.nonce);
  if (nonce.length === 0) throw new AeadError('empty nonce');
  return { key, nonce };
}

/** Raw form: `sealed` is ct || 16-byte tag. Throws AeadError on a wrong key, nonce, AAD or tampered data. */
export function openAes256Gcm(input: AeadInput & { sealed: Uint8Array }): Buffer {
  const { key, nonce } = checkedKeyAndNonce(input);
  const data = Buffer.from(input.sealed);
  if (data.length < TAG_BYTES) throw new AeadError('ciphertext shorter than the tag');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(bytesOf(input.associatedData));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new AeadError('authentication failed');
  }
}

/** Raw form: returns ct || 16-byte tag. */
export function sealAes256Gcm(input: AeadInput & { plaintext: Uint8Array }): Buffer {
  const { key, nonce } = checkedKeyAndNonce(input);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(bytesOf(input.associatedData));
  const body = Buffer.concat([cipher.update(input.plaintext), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]);
}

/** ciphertext = base64(ct || 16-byte tag) → UTF-8 plaintext. Throws AeadError if it does not authenticate. */
export function decryptAeadAes256Gcm(input: AeadInput & { ciphertext: string }): string {
  return openAes256Gcm({ ...input, sealed: Buffer.from(input.ciphertext, 'base64') }).toString('utf8');
}

/** The inverse, for the sandbox and tests: UTF-8 plaintext → base64(ct || tag). */
export function encryptAeadAes256Gcm(input: AeadInput & { plaintext: string }): string {
  return sealAes256Gcm({ ...input, plaintext: Buffer.from(input.plaintext, 'utf8') }).toString('base64');
}
