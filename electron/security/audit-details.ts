import { maskPaymentCodeRuns } from '../../shared/mask';

/**
 * Makes audit details safe to keep forever: the caller passes masked values already, this is the second line of
 * defence. Keys that name a secret lose their value, long digit runs (payment codes) are masked, strings are cut,
 * and the result is canonical JSON (sorted keys) so the stored text is exactly what was hashed.
 */
const SECRET_KEY = /pin|pass(word)?|secret|private|api_?key|apiv\dkey|pem|pkcs|auth_?code|openid|token/i;
const MAX_STRING = 200;
const MAX_DEPTH = 4;

export type AuditDetails = Record<string, unknown>;

/**
 * Any run that looks like a payment code is masked, also when glued to other characters (a mangled scan); hex
 * digests are left whole, so a Z report's SHA-256 is kept exactly (shared/mask.ts).
 */
function maskDigits(text: string): string {
  return maskPaymentCodeRuns(text);
}

function clean(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') {
    const masked = maskDigits(value);
    return masked.length > MAX_STRING ? `${masked.slice(0, MAX_STRING)}…` : masked;
  }
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => clean(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      out[key] = SECRET_KEY.test(key) && !isHarmless(v) ? '[redacted]' : clean(v, depth + 1);
    }
    return out;
  }
  return typeof value === 'bigint' ? value.toString() : `[${typeof value}]`;
}

/** Flags and absent values under a secret-sounding key ("pinChanged": true) say nothing secret. */
function isHarmless(value: unknown): boolean {
  return value === null || typeof value === 'boolean';
}

/** Canonical, masked JSON text of the details. */
export function canonicalAuditDetails(details: AuditDetails): string {
  return JSON.stringify(clean(details, 0));
}
