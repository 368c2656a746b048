/**
 * Masked forms of bearer credentials and personal identifiers. Everything that reaches a log, a window, a
 * receipt or an export goes through these; the full values stay in the main process only as long as needed.
 */

/** 134567890123456789 → 1345**********6789 (keeps what a cashier needs to tell two scans apart). */
export function maskAuthCode(code: string): string {
  if (code.length <= 8) return '*'.repeat(code.length);
  return `${code.slice(0, 4)}${'*'.repeat(code.length - 8)}${code.slice(-4)}`;
}

/** oUpF8uMuAJO_M2pxb1Q9zNjWeS6o → oUpF***eS6o */
export function maskOpenid(openid: string): string {
  if (openid.length <= 8) return '***';
  return `${openid.slice(0, 4)}***${openid.slice(-4)}`;
}

/** Secrets are never shown, not even in part: only whether one is set. */
export function maskSecret(secret: string | undefined | null): string {
  return secret ? '••••••(已设置)' : '(未设置)';
}

/**
 * A run of 16 or more digits is what a payment code looks like (WeChat: 18 digits, Alipay: 16–24), whatever
 * surrounds it: a code glued to a stray character by a scanner (`130100000000000777X`) is still a live code.
 */
const CODE_RUN = /\d{16,}/g;
/** Hex digests (MD5, SHA-1, SHA-256) are left whole: a digit run inside one is chance, and masking would corrupt it. */
const HEX_DIGEST = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i;

const isHexDigest = (token: string): boolean => HEX_DIGEST.test(token) && /[a-f]/i.test(token);

/** True when the text holds a run that looks like a payment code (see maskPaymentCodeRuns). */
export function containsPaymentCodeRun(text: string): boolean {
  return text.split(/[^0-9A-Za-z]+/).some((token) => !isHexDigest(token) && /\d{16}/.test(token));
}

/**
 * Masks every run that looks like a payment code anywhere in a text, keeping its first and last 4 digits:
 * `130100000000000777X` → `1301**********0777X`. For any text that may hold a scan: logs, notices, the last scan.
 */
export function maskPaymentCodeRuns(text: string): string {
  return text.replace(/[0-9A-Za-z]+/g, (token) => (isHexDigest(token) ? token : token.replace(CODE_RUN, (run) => maskAuthCode(run))));
}
