import type { Clock } from '../../../shared/clock';
import { declaredSignType, signV2, verifyV2, type V2SignType } from '../../wechat/v2/sign';
import { parseXml, toXml, XmlFormatError } from '../../wechat/v2/xml';
import type { SandboxIdentity } from '../certs';
import { textResponse, type SandboxRequest, type SandboxResponse } from '../http';
import { newNonce } from '../ids';

/**
 * API v2 framing as the real service does it. Errors in the request itself (not POST, empty, malformed XML,
 * missing transport fields, a bad signature) are answered at the transport level: return_code=FAIL with a
 * return_msg and no signature, which is what the live service sends (e.g. "签名错误，请检查后再试"), rather than
 * the err_code values some doc tables list for them. Business outcomes are signed with the request's sign_type.
 */

export interface V2Context {
  identity: SandboxIdentity;
  clock: Clock;
  /** Fields every answer echoes: a service provider's call gets its sub_mch_id (and sub_appid) back. */
  echo?: Record<string, string | undefined>;
}

export interface V2Request {
  fields: Record<string, string>;
  signType: V2SignType;
}

export type V2Parse = { ok: true; request: V2Request } | { ok: false; response: SandboxResponse };

const XML_TYPE = 'text/xml; charset=utf-8';

export function v2Xml(fields: Record<string, string | number>): SandboxResponse {
  return textResponse(200, XML_TYPE, toXml(fields));
}

/** return_code=FAIL: the request never reached the business layer. Unsigned, as on the real service. */
export function v2TransportFail(message: string, extra: Record<string, string> = {}): SandboxResponse {
  return v2Xml({ return_code: 'FAIL', return_msg: message, ...extra });
}

/** A signed answer: return_code SUCCESS plus the merchant fields, nonce and signature around `fields`. */
export function v2Signed(ctx: V2Context, signType: V2SignType, fields: Record<string, string | number | undefined>): SandboxResponse {
  const all: Record<string, string> = {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    appid: ctx.identity.appid,
    mch_id: ctx.identity.mchid,
    nonce_str: newNonce(),
  };
  for (const [name, value] of Object.entries({ ...ctx.echo, ...fields })) {
    if (value !== undefined && value !== '') all[name] = String(value);
  }
  // Signed with the request's sign_type, but (like the live service) without a sign_type field in the answer:
  // the caller verifies with the type it asked for.
  all.sign = signV2(all, ctx.identity.apiKeyV2, signType);
  return v2Xml(numbersBare(all));
}

/** Amount and count fields go out bare, strings in CDATA, as the real service writes them. */
function numbersBare(fields: Record<string, string>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(fields)) {
    const numeric = /(_fee|_count)(_\d+)?$/.test(name) && /^\d+$/.test(value);
    out[name] = numeric ? Number(value) : value;
  }
  return out;
}

export function v2BusinessFail(
  ctx: V2Context,
  signType: V2SignType,
  errCode: string,
  errCodeDes: string,
  extra: Record<string, string | number | undefined> = {},
): SandboxResponse {
  return v2Signed(ctx, signType, { result_code: 'FAIL', err_code: errCode, err_code_des: errCodeDes, ...extra });
}

/** The sign type to answer a request with when it could not be fully checked (fault answers). */
export function bestEffortSignType(body: Buffer): V2SignType {
  try {
    return declaredSignType(parseXml(body.toString('utf8'))) ?? 'MD5';
  } catch {
    return 'MD5';
  }
}

/** The profit-sharing queries' documented requests carry no appid (mch_id, transaction_id, …): accepted either way. */
const APPID_OPTIONAL = new Set(['/pay/profitsharingquery', '/pay/profitsharingorderamountquery']);

/**
 * Reads and authenticates a v2 request: POST, a flat <xml> body, this merchant's appid and mch_id, a nonce, and
 * a signature made with the API key over every received field.
 */
export function parseV2Request(ctx: V2Context, req: SandboxRequest): V2Parse {
  const fail = (message: string): V2Parse => ({ ok: false, response: v2TransportFail(message) });
  if (req.method !== 'POST') return fail('请使用post方法');
  if (req.body.length === 0) return fail('post数据为空');
  const text = req.body.toString('utf8');
  if (Buffer.from(text, 'utf8').compare(req.body) !== 0) return fail('编码格式错误');
  let fields: Record<string, string>;
  try {
    fields = parseXml(text);
  } catch (error) {
    if (error instanceof XmlFormatError) return fail('XML格式错误');
    throw error;
  }
  const appidOptional = APPID_OPTIONAL.has(req.path);
  for (const name of ['appid', 'mch_id', 'nonce_str', 'sign']) {
    if (!fields[name] && !(name === 'appid' && appidOptional)) return fail(`缺少参数${name}`);
  }
  if (fields.mch_id !== ctx.identity.mchid) return fail('mch_id参数错误，商户号不存在');
  if ((fields.appid !== undefined || !appidOptional) && fields.appid !== ctx.identity.appid) return fail('appid和mch_id不匹配');
  const signType = declaredSignType(fields);
  if (signType === null) return fail('sign_type参数格式错误');
  if (!verifyV2(fields, ctx.identity.apiKeyV2)) return fail('签名错误，请检查后再试');
  return { ok: true, request: { fields, signType } };
}

/** The first required business field that is missing, if any: answered as LACK_PARAMS. */
export function missingField(fields: Record<string, string>, names: readonly string[]): string | null {
  return names.find((name) => !fields[name]) ?? null;
}

/** A positive whole number of fen, or null. */
export function parseFee(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 && Number.isSafeInteger(n) ? n : null;
}

export const V2_OUT_NO = /^[0-9A-Za-z_\-|*@]{1,32}$/;
