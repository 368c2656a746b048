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
