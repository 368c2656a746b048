import type { ClientContext } from '../config';
import { unknown } from '../outcome';
import type { HttpResponse } from '../transport';
import type { WechatOutcome } from '../types';
import { buildAuthorization, signSha256Rsa, v3Message } from './sign';
import type { ResponseVerifier } from './verify';

/** The v3 wire: JSON requests signed with the merchant's RSA key, answers verified before anything is read. */

export interface V3Context extends ClientContext {
  privateKeyPem: string;
  merchantSerial: string;
  verifier: ResponseVerifier;
}

export interface V3Call {
  method: 'GET' | 'POST';
  /** Path and query below the base URL, already URL-encoded. */
  path: string;
  body?: Record<string, unknown>;
  hide?: readonly string[];
  /** Wechatpay-Serial when the body carries fields encrypted with WeChat Pay's key (profit-sharing receiver names). */
  wechatpaySerial?: string;
}

export type V3Reply =
  | { kind: 'ok'; status: number; json: unknown }
  /** A 4xx business error: the operation decides what the code means for it. */
  | { kind: 'error'; status: number; code: string; message: string }
  | { kind: 'outcome'; outcome: WechatOutcome<never> };

const USER_AGENT = 'wechat-pos/0.1 (node)';

function authorization(ctx: V3Context, method: string, serverPath: string, body: string): string {
  const timestamp = String(Math.floor(ctx.clock.now() / 1000));
  const nonce = ctx.nonce();
  const signature = signSha256Rsa(v3Message([method, serverPath, timestamp, nonce, body]), ctx.privateKeyPem);
  return buildAuthorization({ mchid: ctx.credentials.mchid, serialNo: ctx.merchantSerial, nonce, timestamp, signature });
}

/** A signed request; the answer's transport and status problems mapped, the body untouched. */
export async function sendV3(
  ctx: V3Context,
  call: V3Call,
): Promise<{ kind: 'response'; response: HttpResponse } | { kind: 'outcome'; outcome: WechatOutcome<never> }> {
  const bodyText = call.body === undefined ? '' : JSON.stringify(call.body);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': USER_AGENT,
    Authorization: authorization(ctx, call.method, ctx.transport.serverPath(call.path), bodyText),
  };
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  if (call.wechatpaySerial !== undefined) headers['Wechatpay-Serial'] = call.wechatpaySerial;
  const result = await ctx.transport.send({
    method: call.method,
    path: call.path,
    headers,
    body: call.body === undefined ? undefined : bodyText,
  });
  if (!result.ok) return { kind: 'outcome', outcome: unknown(result.cause, ctx.scrub(result.detail, call.hide), result.code) };
  return { kind: 'response', response: result.response };
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  return JSON.parse(body.toString('utf8')) as unknown;
}

function errorBody(body: Buffer): { code?: string; message?: string } {
  try {
    const json = parseJson(body);
    if (typeof json === 'object' && json !== null) {
      const { code, message } = json as Record<string, unknown>;
      return { code: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message : undefined };
    }
  } catch {
    // An unreadable error body still has its status to go by.
  }
  return {};
}

function verified(ctx: V3Context, response: HttpResponse): WechatOutcome<never> | null {
  const check = ctx.verifier.verify(response.headers, response.body);
  return check.ok ? null : unknown('bad-signature', check.detail, check.code);
}

export async function callV3(ctx: V3Context, call: V3Call): Promise<V3Reply> {
  const sent = await sendV3(ctx, call);
  if (sent.kind === 'outcome') return sent;
  const { status, body, headers } = sent.response;
  if (status >= 500) {
    const { code } = errorBody(body);
    return { kind: 'outcome', outcome: unknown('http-5xx', `HTTP ${status}${code ? ` ${code}` : ''}`, code ?? `HTTP_${status}`) };
  }
  if (status === 429) return { kind: 'outcome', outcome: unknown('rate-limited', 'HTTP 429', 'HTTP_429') };
  if (status >= 200 && status < 300) {
    const bad = verified(ctx, sent.response);
    if (bad) return { kind: 'outcome', outcome: bad };
    try {
      return { kind: 'ok', status, json: parseJson(body) };
    } catch {
      return { kind: 'outcome', outcome: unknown('malformed', 'answer is not JSON') };
    }
  }
  if (status >= 400) {
    // Gateway errors (401 and the like) may come unsigned; a signed one must verify, or it may be forged.
    if (ctx.verifier.hasSignature(headers)) {
      const bad = verified(ctx, sent.response);
      if (bad) return { kind: 'outcome', outcome: bad };
    }
    const { code, message } = errorBody(body);
    const fallback = status === 401 ? 'SIGN_ERROR' : `HTTP_${status}`;
    return { kind: 'error', status, code: code ?? fallback, message: ctx.scrub(message ?? '', call.hide) };
  }
  return { kind: 'outcome', outcome: unknown('malformed', `unexpected HTTP ${status}`, `HTTP_${status}`) };
}
