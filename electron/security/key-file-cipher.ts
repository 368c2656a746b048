import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fstatSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import type { Logger } from '../../shared/log';
import { CipherUnavailableError, type SecretCipher } from './cipher';

/**
 * The web host's SecretCipher: AES-256-GCM with a random 256-bit key kept in a file readable by its owner only
 * (0600). WEAKER than the OS keychain Electron uses: anyone who can read the file as this user — or a copy of the
 * data folder that includes it — can decrypt the secrets. Keep the key file out of backups (backups copy only
 * the database) and, where possible, on a different disk than the database.
 *
 * Sealed format: 'K1' | 12-byte IV | 16-byte tag | ciphertext.
 */
const MAGIC = Buffer.from('K1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const HEADER = 'wechat-pos secret key v1';

export interface KeyFileOptions {
  logger: Logger;
  /** POSIX permission checks; false on Windows, where the file inherits the user profile's ACL. */
  posix?: boolean;
}

/** Opens (or creates, with mode 0600) the key file; repairs wider permissions; refuses a file of another user. */
export function openKeyFileCipher(file: string, options: KeyFileOptions): SecretCipher {
  const posix = options.posix ?? process.platform !== 'win32';
  const key = existsSync(file) ? readKeyFile(file, posix, options.logger) : createKeyFile(file);
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new Error('not a key-file ciphertext');
      }
      const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
      const tag = sealed.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()]);
    },
    describe: () => `AES-256-GCM，密钥文件 ${file}（仅本用户可读 0600；弱于系统钥匙串） / AES-256-GCM key file ${file} (0600; weaker than the OS keychain)`,
  };
}

function createKeyFile(file: string): Buffer {
  const key = randomBytes(KEY_BYTES);
  // 'wx': fails if another process created it meanwhile; the mode applies at creation, before any byte is written.
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, `${HEADER}\n${key.toString('base64')}\n`);
    // The process umask can only narrow the mode, but make it exact in case the file system ignored it.
    if (process.platform !== 'win32') chmodSync(file, 0o600);
  } finally {
    closeSync(fd);
  }
  return key;
}

function readKeyFile(file: string, posix: boolean, logger: Logger): Buffer {
  if (posix) checkOwnerAndMode(file, logger);
  const [header, encoded] = readFileSync(file, 'utf8').split('\n');
  const key = Buffer.from(encoded ?? '', 'base64');
  if (header !== HEADER || key.length !== KEY_BYTES) {
    throw new CipherUnavailableError({
      zh: `密钥文件 ${file} 已损坏，无法解密已保存的证书和密钥`,
      en: `The key file ${file} is damaged: stored credentials cannot be decrypted`,
    });
  }
  return key;
}

function checkOwnerAndMode(file: string, logger: Logger): void {
  const fd = openSync(file, 'r');
  let stat;
  try {
    stat = fstatSync(fd);
  } finally {
    closeSync(fd);
  }
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw new CipherUnavailableError({
      zh: `密钥文件 ${file} 属于其他用户，拒绝使用`,
      en: `The key file ${file} belongs to another user: refusing to use it`,
    });
  }
  if ((stat.mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
    logger.warn('secret key file was readable by others; permissions repaired to 0600', {
      file,
      was: (stat.mode & 0o777).toString(8),
    });
  }
}

/** The file's permission bits, for tests and the settings screen. */
export function keyFileMode(file: string): number {
  return statSync(file).mode & 0o777;
}
