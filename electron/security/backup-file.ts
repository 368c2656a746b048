import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fstatSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { PRIVATE_FILE_MODE } from '../db/private-files';
import { CipherUnavailableError, type SecretCipher } from './cipher';

/**
 * Encrypted backup files. Each backup gets its own random AES-256-GCM key; that key is sealed by the install's
 * secret store (the OS keychain through Electron safeStorage, or the web host's 0600 key file) and written in
 * the file's header. So a backup copied off the machine (USB stick, network share) is unreadable without the
 * install that made it, and the header cannot be altered (it is the GCM additional data).
 *
 * Layout: 'WPOSBAK1' | u32 BE header length | header JSON | ciphertext | 16-byte GCM tag.
 */
const MAGIC = Buffer.from('WPOSBAK1', 'latin1');
const TAG_BYTES = 16;
const CHUNK = 1024 * 1024;

interface BackupHeader {
  v: 1;
  alg: 'aes-256-gcm';
  iv: string;
  /** The file key, sealed by the secret store. */
  sealedKey: string;
  /** How the file key is sealed, in words (never key material): told when it cannot be opened. */
  sealedWith: string;
}

/** The backup cannot be read on this install: the key that sealed it is not here. */
export class BackupKeyError extends Error {
  override readonly name = 'BackupKeyError';
}

/** Whether a file is an encrypted backup (a plain SQLite file starts with 'SQLite format 3'). */
export function isEncryptedBackup(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === MAGIC.length && head.equals(MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** Encrypts `plainFile` into `outFile` (created 0600). Streams, so a large database does not block the counter. */
export async function encryptBackupFile(plainFile: string, outFile: string, cipher: SecretCipher): Promise<void> {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const header: BackupHeader = { v: 1, alg: 'aes-256-gcm', iv: iv.toString('base64'), sealedKey: cipher.encrypt(key).toString('base64'), sealedWith: cipher.describe() };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length);
  const prefix = Buffer.concat([MAGIC, length, headerBytes]);
  const gcm = createCipheriv('aes-256-gcm', key, iv);
  gcm.setAAD(prefix);
  const out = createWriteStream(outFile, { mode: PRIVATE_FILE_MODE, flags: 'wx' });
  out.write(prefix);
  await pipeline(createReadStream(plainFile), gcm, out, { end: false });
  await new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.end(gcm.getAuthTag(), resolve);
  });
}

/**
 * Decrypts an encrypted backup into `outFile` (created 0600), checking its tag before returning; on any failure
 * the partial output is removed. Throws BackupKeyError when this install's secret store cannot open the file key.
 */
export function decryptBackupFile(file: string, outFile: string, cipher: SecretCipher | CipherUnavailableError): void {
  const fd = openSync(file, 'r');
  let out: number | null = null;
  try {
    const { header, prefix, bodyStart, bodyEnd, tag } = readLayout(fd);
    if (cipher instanceof CipherUnavailableError) throw new BackupKeyError(keyMissing(header, cipher.reason.en));
    let key: Buffer;
    try {
      key = cipher.decrypt(Buffer.from(header.sealedKey, 'base64'));
    } catch {
      throw new BackupKeyError(keyMissing(header, null));
    }
    const gcm = createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'));
    gcm.setAAD(prefix);
    gcm.setAuthTag(tag);
    out = openSync(outFile, 'wx', PRIVATE_FILE_MODE);
    const chunk = Buffer.alloc(CHUNK);
    for (let at = bodyStart; at < bodyEnd; ) {
      const n = readSync(fd, chunk, 0, Math.min(CHUNK, bodyEnd - at), at);
      if (n <= 0) throw new Error('backup file ended early');
      writeSync(out, gcm.update(chunk.subarray(0, n)));
      at += n;
    }
    try {
      writeSync(out, gcm.final());
    } catch {
      throw new Error('the backup file was altered or is damaged (its authentication tag does not match)');
    }
  } catch (error) {
    if (out !== null) closeSync(out);
    out = null;
    rmSync(outFile, { force: true });
    throw error;
  } finally {
    if (out !== null) closeSync(out);
    closeSync(fd);
  }
}

function readLayout(fd: number): { header: BackupHeader; prefix: Buffer; bodyStart: number; bodyEnd: number; tag: Buffer } {
  const size = fstatSync(fd).size;
  const fixed = readAt(fd, 0, MAGIC.length + 4);
  if (fixed.length < MAGIC.length + 4 || !fixed.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an encrypted backup');
  const headerLength = fixed.readUInt32BE(MAGIC.length);
  const bodyStart = MAGIC.length + 4 + headerLength;
  if (headerLength > 64 * 1024 || bodyStart + TAG_BYTES > size) throw new Error('the backup file is damaged (bad header)');
  const prefix = readAt(fd, 0, bodyStart);
  let header: BackupHeader;
  try {
    header = JSON.parse(prefix.subarray(MAGIC.length + 4).toString('utf8')) as BackupHeader;
  } catch {
    throw new Error('the backup file is damaged (bad header)');
  }
  if (header.v !== 1 || header.alg !== 'aes-256-gcm' || typeof header.sealedKey !== 'string' || typeof header.iv !== 'string') {
    throw new Error('the backup file has an unknown format');
  }
  return { header, prefix, bodyStart, bodyEnd: size - TAG_BYTES, tag: readAt(fd, size - TAG_BYTES, TAG_BYTES) };
}

function readAt(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  return bytes.subarray(0, readSync(fd, bytes, 0, length, position));
}

function keyMissing(header: BackupHeader, why: string | null): string {
  return (
    `this backup is encrypted and cannot be read without the key of the install that made it (${header.sealedWith.slice(0, 160)})` +
    (why ? `: ${why}` : '') +
    '. Restore it on the original computer (same user account); on another install it cannot be read, and the WeChat Pay credentials must be entered again there'
  );
}
