import { X509Certificate } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import { parseAuthorization, signSha256Rsa, v3Message, verifySha256Rsa, type V3AuthorizationParams } from '../../wechat/v3/sign';
import type { SandboxIdentity } from '../certs';
import { headerValue, type SandboxRequest, type SandboxResponse } from '../http';
import { newNonce, newRequestId } from '../ids';

/**
 * API v3 framing: the request's Authorization signature is checked against the merchant certificate, and every
 * answer (errors included, except bill file downloads) carries Wechatpay-Timestamp/Nonce/Signature/Serial.
 */

/** Which key signs v3 answers: the WeChat Pay public key (current mode) or the platform certificate (older). */
export type V3SigningMode = 'public-key' | 'platform-certificate';

export interface V3Context {
  identity: SandboxIdentity;
  clock: Clock;
  signingMode: () => V3SigningMode;
  /** From merchantPublicKeyPem(identity), computed once. */
  merchantPublicKeyPem: string;
}

const FIVE_MINUTES_S = 5 * 60;

function signer(ctx: V3Context, mode: V3SigningMode): { serial: string; keyPem: string } {
  return mode === 'public-key'
    ? { serial: ctx.identity.wechatPayPublicKeyId, keyPem: ctx.identity.wechatPayPrivateKeyPem }
    : { serial: ctx.identity.platformCertSerial, keyPem: ctx.identity.platformKeyPem };
}

/** A signed answer. `body` null means no body (204). */
export function v3Signed(ctx: V3Context, status: number, body: unknown, mode: V3SigningMode = ctx.signingMode()): SandboxResponse {
  const text = body === null ? '' : JSON.stringify(body);
  const timestamp = String(Math.floor(ctx.clock.now() / 1000));
  const nonce = newNonce();
  const { serial, keyPem } = signer(ctx, mode);
  const headers: Record<string, string> = {
    'Request-ID': newRequestId(),
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signSha256Rsa(v3Message([timestamp, nonce, text]), keyPem),
    'Wechatpay-Serial': serial,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
  if (body !== null) headers['Content-Type'] = 'application/json; charset=utf-8';
  return { status, headers, body: Buffer.from(text, 'utf8') };
}

export function v3Error(ctx: V3Context, status: number, code: string, message: string, detail?: unknown): SandboxResponse {
  return v3Signed(ctx, status, detail === undefined ? { code, message } : { code, message, detail });
}

export type V3Auth = { ok: true; auth: V3AuthorizationParams } | { ok: false; response: SandboxResponse };

/** The merchant certificate's public key as PEM: what WeChat Pay verifies request signatures with. */
export function merchantPublicKeyPem(identity: SandboxIdentity): string {
  return String(new X509Certificate(identity.merchantCertPem).publicKey.export({ type: 'spki', format: 'pem' }));
}

/**
 * Checks the Authorization header: scheme and parameters, the merchant id, the certificate serial, the
 * timestamp (within 5 minutes of the sandbox clock) and the SHA256withRSA signature over
 * METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nBODY\n. Every refusal is 401 SIGN_ERROR, as on the real service.
 */
export function verifyV3Request(ctx: V3Context, req: SandboxRequest): V3Auth {
  const refuse = (message: string, detail?: unknown): V3Auth => ({ ok: false, response: v3Error(ctx, 401, 'SIGN_ERROR', message, detail) });
  const header = headerValue(req.headers, 'authorization');
  const auth = header === undefined ? null : parseAuthorization(header);
  if (!auth) return refuse('Authorization不合法');
  if (auth.mchid !== ctx.identity.mchid) return refuse('商户号不存在或与证书不匹配');
  if (auth.serialNo.toUpperCase() !== ctx.identity.merchantCertSerial.toUpperCase()) {
    return refuse('商户证书序列号有误。请使用签名私钥匹配的证书序列号');
  }
  const ts = /^\d{1,12}$/.test(auth.timestamp) ? Number(auth.timestamp) : NaN;
  if (!Number.isFinite(ts) || Math.abs(ctx.clock.now() / 1000 - ts) >= FIVE_MINUTES_S) return refuse('请求时间戳已过期或无效');
  const body = req.body.toString('utf8');
  const message = v3Message([req.method, req.rawUrl, auth.timestamp, auth.nonce, body]);
  if (!verifySha256Rsa(message, auth.signature, ctx.merchantPublicKeyPem)) {
    return refuse('签名错误，请检查后再试', {
      detail: { issue: 'sign not match' },
      field: 'signature',
      location: 'authorization',
      sign_information: {
        method: req.method,
        sign_message_length: Buffer.byteLength(message, 'utf8'),
        truncated_sign_message: message.slice(0, 60),
        url: req.path,
      },
    });
  }
  return { ok: true, auth };
}

export type JsonBody = { ok: true; value: Record<string, unknown> } | { ok: false; response: SandboxResponse };

/** A JSON object body; anything else is 400 PARAM_ERROR. */
export function parseJsonBody(ctx: V3Context, req: SandboxRequest): JsonBody {
  let value: unknown;
  try {
    value = JSON.parse(req.body.toString('utf8'));
  } catch {
    return { ok: false, response: v3Error(ctx, 400, 'PARAM_ERROR', '请求体格式错误，无法解析为JSON') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, response: v3Error(ctx, 400, 'PARAM_ERROR', '请求体应为JSON对象') };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
