import { randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { signV2, verifyV2, type V2SignType } from '../../../electron/wechat/v2/sign';
import { parseXml, toXml } from '../../../electron/wechat/v2/xml';
import { buildAuthorization, signSha256Rsa, v3Message, verifySha256Rsa } from '../../../electron/wechat/v3/sign';
import type { Sandbox, SandboxCredentials } from '../../../electron/sandbox/server';

/** What a raw request needs of a sandbox: also satisfied by one started through the CLI. */
export type SandboxLike = Pick<Sandbox, 'url' | 'credentials'>;

/**
 * Raw HTTP(S) requests built with the signing primitives only, so the sandbox is tested against the protocol
 * itself, not through the app's client. A fresh connection per request (no agent): outage tests see refusals.
 */

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Present the merchant's client certificate (v2 secapi). */
  clientCert?: { certPem: string; keyPem: string };
}

export async function send(sandbox: SandboxLike, pathWithQuery: string, options: SendOptions = {}): Promise<RawResponse> {
  const url = new URL(pathWithQuery, sandbox.url);
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const isHttps = url.protocol === 'https:';
  const requestFn = isHttps ? httpsRequest : httpRequest;
  return new Promise<RawResponse>((resolve, reject) => {
    const req = requestFn(
      url,
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { ...(body === undefined ? {} : { 'Content-Length': String(body.length) }), ...options.headers },
        agent: false,
        ...(isHttps
          ? {
              ca: sandbox.credentials.caCertPem,
              ...(options.clientCert ? { cert: options.clientCert.certPem, key: options.clientCert.keyPem } : {}),
            }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
          resolve({ status: res.statusCode ?? 0, headers, body: all, text: all.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const nonce = (): string => randomBytes(12).toString('hex');

export interface V2CallOptions {
  signType?: V2SignType;
  /** Sign with this key instead of the merchant's API key. */
  key?: string;
  withCert?: boolean;
}

/** Posts a signed v2 request (appid, mch_id, nonce_str and sign added) and parses the XML answer. */
export async function v2Call(
  sandbox: SandboxLike,
  path: string,
  fields: Record<string, string | number>,
  options: V2CallOptions = {},
): Promise<{ response: RawResponse; fields: Record<string, string> }> {
  const c = sandbox.credentials;
  const all: Record<string, string> = { appid: c.appid, mch_id: c.mchid, nonce_str: nonce() };
  for (const [k, v] of Object.entries(fields)) all[k] = String(v);
  if (options.signType === 'HMAC-SHA256') all.sign_type = 'HMAC-SHA256';
  all.sign = signV2(all, options.key ?? c.apiKeyV2, options.signType ?? 'MD5');
  const withCert = options.withCert ?? path.startsWith('/secapi/');
  const response = await send(sandbox, path, {
    body: toXml(all),
    headers: { 'Content-Type': 'text/xml' },
    ...(withCert ? { clientCert: { certPem: c.clientCertPem, keyPem: c.clientKeyPem } } : {}),
  });
  const parsed = response.text.trimStart().startsWith('<xml>') ? parseXml(response.text) : {};
  return { response, fields: parsed };
}

/** Verifies a v2 answer with the sign type the request used (answers do not name it). */
export function v2Verified(sandbox: SandboxLike, fields: Record<string, string>, signType: V2SignType = 'MD5'): boolean {
  return verifyV2(fields, sandbox.credentials.apiKeyV2, signType);
}

export interface V3CallOptions {
  privateKeyPem?: string;
  serial?: string;
  /** Seconds; default the sandbox clock's now (pass it explicitly with a fake clock). */
  timestamp?: number;
  rawBody?: string;
  /** Sign this path instead of the one sent (a request altered in transit). */
  signedPath?: string;
}

/** A v3 request signed with the merchant key (or the key given), JSON in and out. */
export async function v3Call(
  sandbox: SandboxLike,
  method: 'GET' | 'POST',
  pathWithQuery: string,
  body: unknown,
  nowMs: number,
  options: V3CallOptions = {},
): Promise<{ response: RawResponse; json: Record<string, unknown> }> {
  const c: SandboxCredentials = sandbox.credentials;
  const text = options.rawBody ?? (body === undefined ? '' : JSON.stringify(body));
  const timestamp = String(options.timestamp ?? Math.floor(nowMs / 1000));
  const n = nonce();
  const signature = signSha256Rsa(v3Message([method, options.signedPath ?? pathWithQuery, timestamp, n, text]), options.privateKeyPem ?? c.merchantPrivateKeyPem);
  const authorization = buildAuthorization({ mchid: c.mchid, serialNo: options.serial ?? c.merchantCertSerial, nonce: n, timestamp, signature });
  const response = await send(sandbox, pathWithQuery, {
    method,
    ...(text === '' && method === 'GET' ? {} : { body: text }),
    headers: { Authorization: authorization, Accept: 'application/json', 'Content-Type': 'application/json' },
  });
  const json = response.text.startsWith('{') ? (JSON.parse(response.text) as Record<string, unknown>) : {};
  return { response, json };
}

/** Verifies a v3 answer's signature with the WeChat Pay public key from the credentials. */
export function v3Verified(sandbox: SandboxLike, response: RawResponse, publicKeyPem = sandbox.credentials.wechatPayPublicKeyPem): boolean {
  const h = response.headers;
  const ts = h['wechatpay-timestamp'];
  const n = h['wechatpay-nonce'];
  const sig = h['wechatpay-signature'];
  if (ts === undefined || n === undefined || sig === undefined) return false;
  return verifySha256Rsa(v3Message([ts, n, response.text]), sig, publicKeyPem);
}

/** An 18-digit test code: wallet digits, seconds, the 0000 marker, and a unique tail. */
export function walletCode(wallet: string, seconds = '00'): string {
  const tail = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  return `13${wallet}${seconds}0000${tail}`;
}

/** A code that matches no wallet: pays at once. */
export function plainCode(): string {
  return `134${String(Math.floor(Math.random() * 1e15)).padStart(15, '1')}`;
}

export const outNo = (prefix = 'T'): string => `${prefix}${Date.now()}${randomBytes(4).toString('hex')}`;

/** A client certificate no sandbox CA issued: TLS accepts the connection, the secapi check must not. */
export async function foreignClientCert(): Promise<{ certPem: string; keyPem: string }> {
  const x509 = await import('@peculiar/x509');
  const { webcrypto } = await import('node:crypto');
  const subtle = webcrypto.subtle;
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    { name: 'CN=someone else', keys, signingAlgorithm: alg, notBefore: new Date(Date.now() - 86_400_000) },
    webcrypto as unknown as Crypto,
  );
  const der = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END PRIVATE KEY-----\n`;
  return { certPem: cert.toString('pem'), keyPem };
}
