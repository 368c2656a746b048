import { billText, inflateBill, looksLikeBillCsv, sha1Hex } from '../bill';
import { MalformedAnswer, success, unknown } from '../outcome';
import type { BillResult, WechatOutcome } from '../types';
import { sendV3, type V3Context } from './call';

/** The file behind download_url: unsigned, so its SHA1 is what proves it is the bill that was announced. */
export async function fetchV3BillFile(ctx: V3Context, answer: Record<string, unknown>): Promise<WechatOutcome<BillResult>> {
  const { download_url: downloadUrl, hash_value: hashValue, hash_type: hashType } = answer;
  if (typeof downloadUrl !== 'string' || typeof hashValue !== 'string') throw new MalformedAnswer('tradebill answer incomplete');
  if (hashType !== undefined && hashType !== 'SHA1') throw new MalformedAnswer('unsupported bill hash_type');
  let url: URL;
  try {
    url = new URL(downloadUrl);
  } catch {
    throw new MalformedAnswer('download_url is not a URL');
  }
  // Our Authorization header goes only to the server we were configured for.
  const prefix = ctx.transport.serverPath('/').slice(0, -1);
  if (url.origin !== ctx.transport.origin || !url.pathname.startsWith(`${prefix}/`)) {
    return unknown('malformed', 'download_url points at another server', 'FOREIGN_DOWNLOAD_URL');
  }
  const sent = await sendV3(ctx, { method: 'GET', path: `${url.pathname.slice(prefix.length)}${url.search}` });
  if (sent.kind === 'outcome') return sent.outcome;
  const { status, body } = sent.response;
  if (status >= 500) return unknown('http-5xx', `bill file HTTP ${status}`, `HTTP_${status}`);
  if (status !== 200) return unknown('malformed', `bill file HTTP ${status}`, `HTTP_${status}`);
  const bytes = inflateBill(body);
  // The documented hash is of the bill itself; a hash of the compressed file is accepted as the same proof.
  const expected = hashValue.toLowerCase();
  if (sha1Hex(bytes) !== expected && sha1Hex(body) !== expected) {
    return unknown('bad-signature', 'bill file SHA1 does not match hash_value', 'BILL_HASH_MISMATCH');
  }
  const text = billText(bytes);
  if (!looksLikeBillCsv(text)) throw new MalformedAnswer('bill file is not CSV');
  return success({ kind: 'bill' as const, csv: text });
}
