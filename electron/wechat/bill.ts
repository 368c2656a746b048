import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

/** Bill files: gzip or plain CSV (WeChat Pay sends a UTF-8 BOM first, which is dropped here). */

const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function isGzip(body: Buffer): boolean {
  return body.length >= 2 && body[0] === GZIP_MAGIC[0] && body[1] === GZIP_MAGIC[1];
}

/** Inflates a gzip body (bounded, so a hostile answer cannot exhaust memory); plain bodies pass through. */
export function inflateBill(body: Buffer): Buffer {
  return isGzip(body) ? gunzipSync(body, { maxOutputLength: 256 * 1024 * 1024 }) : body;
}

export function billText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A bill's CSV starts with the header row; anything else is not a bill. */
export function looksLikeBillCsv(text: string): boolean {
  return text.startsWith('交易时间') || text.startsWith('`') || /^[^<{\r\n]*,[^\r\n]*\r?\n/.test(text);
}

export function sha1Hex(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}
