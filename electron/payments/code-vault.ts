import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A payment code (付款码) is a bearer credential for about a minute. It has to be stored between the scan and the
 * send (store and forward), but it is never written in clear: the database holds it sealed with a key that is
 * made when the process starts and lives only in memory. SQLite's WAL, a backup or a copied data folder therefore
 * never give up a code (secure_delete cannot reach old WAL frames; this makes them worthless instead).
 *
 * The price: after a crash or restart a code that was stored but not yet sent cannot be read any more. That
 * attempt then ends as "not sent, scan again" (no money taken); an attempt already sent is resolved as before, by
 * out_trade_no (query, reverse), which never needs the code.
 */
export interface AuthCodeVault {
  /** The text to store in `wechat_attempts.auth_code`. */
  seal(code: string): string;
  /** The code, or null when it was sealed by another run (or is not a sealed value at all). */
  open(sealed: string | null): string | null;
}

const PREFIX = 'rk1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM with a random key for this run only. Each value has its own IV; the tag makes a foreign value unreadable, not wrong. */
export function createRunKeyVault(key: Buffer = randomBytes(32)): AuthCodeVault {
  if (key.length !== 32) throw new Error('the run key must be 32 bytes');
  return {
    seal(code) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
      return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open(sealed) {
      // Anything else (a clear code from an older version, a value of another run) is not used: it ends unsent.
      if (sealed === null || !sealed.startsWith(PREFIX)) return null;
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (raw.length <= IV_BYTES + TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
