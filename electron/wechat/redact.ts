import { maskOpenid } from '../../shared/mask';
import type { WechatCredentials } from './types';

/**
 * Makes text from outside (server messages, socket errors) safe for a log line or an error detail: known secrets
 * become '***', any run of 16+ digits (a payment code is 18) is masked, tokens shaped like an openid or a key
 * (long, mixed-case letters and digits) are masked, and the text is cut to a sane length. Our own log fields
 * never carry a secret in the first place; this is the second line of defence against servers echoing requests.
 */
export type Scrub = (text: string, alsoHide?: readonly (string | undefined)[]) => string;

const MAX_DETAIL = 300;

function looksLikeIdentifierOrKey(token: string): boolean {
  if (token.length === 28 && token.startsWith('o')) return true; // openid
  return /[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token);
}

export function createScrub(credentials: WechatCredentials): Scrub {
  const secrets = [credentials.apiKeyV2, credentials.apiV3Key, credentials.clientKeyPem, credentials.merchantPrivateKeyPem]
    .filter((s): s is string => typeof s === 'string' && s.length >= 6);
  return (text, alsoHide = []) => {
    let out = text;
    for (const secret of [...secrets, ...alsoHide]) {
      if (secret && secret.length >= 6) out = out.split(secret).join('***');
    }
    out = out.replace(/\d{16,}/g, (digits) => `${digits.slice(0, 4)}***${digits.slice(-4)}`);
    out = out.replace(/[A-Za-z0-9_-]{20,}/g, (token) => (looksLikeIdentifierOrKey(token) ? maskOpenid(token) : token));
    return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL)}…` : out;
  };
}
