import type { ClientContext } from '../config';
import { failure, unknown } from '../outcome';
import type { HttpResponse } from '../transport';
import type { WechatOutcome } from '../types';
import { signV2, verifyV2, type V2SignType } from './sign';
import { parseXml, toXml, XmlFormatError } from './xml';

/** The v2 wire: signed XML POSTs, the answer parsed, its signature checked and return_code / result_code split. */

export interface V2Context extends ClientContext {
  apiKey: string;
  signType: V2SignType;
}

export interface V2Call {
  path: string;
  /** Operation fields; undefined and empty values are left out (they are not signed either). */
  fields: Record<string, string | number | undefined>;
  /** /secapi/ paths: present the client certificate. */
  mutualTls?: boolean;
  /** payitil/report and downloadbill answers carry no signature. */
  unsignedReply?: boolean;
  /** Values of this call that must never appear in a detail (payment code). */
  hide?: readonly string[];
  /** The call's documented request has no appid (the profit-sharing queries): it is left out. */
  withoutAppid?: boolean;
}

export type V2Reply =
  | { kind: 'ok'; fields: Record<string, string> }
  /** return_code SUCCESS, result_code FAIL: the operation decides what err_code means for it. */
  | { kind: 'business-error'; code: string; message: string; fields: Record<string, string> }
  | { kind: 'outcome'; outcome: WechatOutcome<never> };

export type V2RawReply = { kind: 'response'; response: HttpResponse } | { kind: 'outcome'; outcome: WechatOutcome<never> };

function signedBody(ctx: V2Context, fields: V2Call['fields'], withoutAppid = false): string {
  const all: Record<string, string | number> = {
    ...(withoutAppid ? {} : { appid: ctx.credentials.appid }),
    mch_id: ctx.credentials.mchid,
    nonce_str: ctx.nonce(),
  };
  if (ctx.signType === 'HMAC-SHA256') all.sign_type = 'HMAC-SHA256';
  // Service-provider mode: the provider's ids sign, the sub-merchant is named on every call.
  if (ctx.partner) {
    all.sub_mch_id = ctx.partner.subMchid;
    if (ctx.partner.subAppid) all.sub_appid = ctx.partner.subAppid;
  }
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== '') all[name] = value;
  }
  const asStrings = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, String(v)]));
  all.sign = signV2(asStrings, ctx.apiKey, ctx.signType);
  return toXml(all);
}

/** Sends a signed request and maps transport and HTTP-level problems; the body is left to the caller. */
export async function postV2Raw(ctx: V2Context, call: V2Call): Promise<V2RawReply> {
  const result = await ctx.transport.send({
    method: 'POST',
    path: call.path,
    headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml, application/xml, */*' },
    body: signedBody(ctx, call.fields, call.withoutAppid),
    mutualTls: call.mutualTls,
  });
  if (!result.ok) {
    return { kind: 'outcome', outcome: unknown(result.cause, ctx.scrub(result.detail, call.hide), result.code) };
  }
  const { status } = result.response;
  if (status >= 500) return { kind: 'outcome', outcome: unknown('http-5xx', `HTTP ${status}`, `HTTP_${status}`) };
  if (status === 429) return { kind: 'outcome', outcome: unknown('rate-limited', 'HTTP 429', 'HTTP_429') };
  if (status >= 400) {
    // A 4xx comes from the front end (nginx) before the API saw the request, so nothing was processed. On secapi
    // paths it is how a missing or untrusted client certificate is refused.
    const code = call.mutualTls && status === 400 ? 'CLIENT_CERT_REJECTED' : `HTTP_${status}`;
    return { kind: 'outcome', outcome: failure(code, `HTTP ${status}`) };
  }
  if (status !== 200) return { kind: 'outcome', outcome: unknown('malformed', `HTTP ${status}`, `HTTP_${status}`) };
  return { kind: 'response', response: result.response };
}

/**
 * return_code FAIL carries only a message: the request was refused before processing. Recognise the messages
 * settings can fix, and the busy / rate-limit ones, which mean "try again" rather than a definite no.
 */
function returnFailOutcome(message: string): WechatOutcome<never> {
  if (/签名|sign/i.test(message)) return failure('SIGNERROR', message);
  if (/证书|certificate/i.test(message)) return failure('CLIENT_CERT_REJECTED', message);
  if (/appid/i.test(message) && /mch_?id/i.test(message)) return failure('APPID_MCHID_NOT_MATCH', message);
  if (/商户号不存在|mch_?id/i.test(message)) return failure('MCHID_NOT_EXIST', message);
  if (/xml/i.test(message)) return failure('XML_FORMAT_ERROR', message);
  if (/频繁|频率|limit/i.test(message)) return unknown('rate-limited', message, 'FREQUENCY_LIMITED');
  if (/繁忙|busy|系统错误|system error/i.test(message)) return unknown('system-error', message, 'SYSTEMERROR');
  return failure('RETURN_FAIL', message || undefined);
}

/** Parses and checks a v2 XML answer. Exported for the bill download, whose errors come back as XML. */
export function interpretV2Xml(ctx: V2Context, body: Buffer, call: Pick<V2Call, 'unsignedReply' | 'hide'>): V2Reply {
  let fields: Record<string, string>;
  try {
    fields = parseXml(body.toString('utf8'));
  } catch (error) {
    const why = error instanceof XmlFormatError ? error.message : 'unreadable answer';
    return { kind: 'outcome', outcome: unknown('malformed', ctx.scrub(`not v2 XML: ${why}`, call.hide)) };
  }
  // Verify before reading anything: a tampered return_code must not be read as a gateway rejection.
  if (fields.sign) {
    if (!verifyV2(fields, ctx.apiKey, ctx.signType)) {
      return { kind: 'outcome', outcome: unknown('bad-signature', 'answer signature does not verify', 'SIGNATURE_MISMATCH') };
    }
  } else if (!call.unsignedReply && fields.return_code !== 'FAIL') {
    return { kind: 'outcome', outcome: unknown('bad-signature', 'answer carries no signature', 'MISSING_SIGNATURE') };
  }
  const returnCode = fields.return_code;
  if (returnCode !== 'SUCCESS') {
    if (returnCode !== 'FAIL') return { kind: 'outcome', outcome: unknown('malformed', 'answer without return_code') };
    // A gateway rejection (bad signature, bad parameters): the request was not processed. Such answers come
    // unsigned on the real service.
    return { kind: 'outcome', outcome: returnFailOutcome(ctx.scrub(fields.return_msg ?? '', call.hide)) };
  }
  const resultCode = fields.result_code;
  if (resultCode === 'SUCCESS') return { kind: 'ok', fields };
  if (resultCode === 'FAIL') {
    return {
      kind: 'business-error',
      code: fields.err_code || 'UNKNOWN_ERROR',
      message: ctx.scrub(fields.err_code_des ?? '', call.hide),
      fields,
    };
  }
  return { kind: 'outcome', outcome: unknown('malformed', 'answer without result_code') };
}

export async function callV2(ctx: V2Context, call: V2Call): Promise<V2Reply> {
  const raw = await postV2Raw(ctx, call);
  if (raw.kind === 'outcome') return raw;
  return interpretV2Xml(ctx, raw.response.body, call);
}
