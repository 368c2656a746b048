import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { WechatCredentials } from '../wechat/types';

/**
 * A WeChat Pay sandbox started once and shared by several counters (a training store, end-to-end tests of two
 * counters): `npm run sandbox -- --credentials-out FILE` writes its merchant's credentials; every counter given
 * that file (`--sandbox --wechat-credentials FILE`, or settings `wechat.sharedSandbox`) pays and refunds as the
 * same merchant, as a store's real counters share one WeChat merchant account. Only ever a sandbox: a live
 * merchant's secrets are entered in Settings and kept encrypted, never read from a plain file.
 */
export interface SharedSandbox {
  baseUrl: string;
  credentials: WechatCredentials;
  /** The sandbox's service-provider sub-merchant, standing in for the store's in partner mode. */
  subMchid: string | undefined;
}

export class SharedSandboxError extends Error {
  override readonly name = 'SharedSandboxError';
}

const pem = z.string().min(1).max(20_000);
const credentialsFileSchema = z.looseObject({
  mchid: z.string().regex(/^\d{1,16}$/),
  appid: z.string().min(1).max(64),
  apiKeyV2: z.string().min(1).max(128).optional(),
  apiV3Key: z.string().min(1).max(128).optional(),
  merchantPrivateKeyPem: pem.optional(),
  merchantCertSerial: z.string().min(1).max(128).optional(),
  wechatPayPublicKeyPem: pem.optional(),
  wechatPayPublicKeyId: z.string().min(1).max(128).optional(),
  clientCertPem: pem.optional(),
  clientKeyPem: pem.optional(),
  caCertPem: pem.optional(),
  baseUrl: z.url().optional(),
  subMchid: z.string().regex(/^\d{8,16}$/).optional(),
});

const MAX_FILE_BYTES = 200_000;

function readText(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SharedSandboxError(`${what} ${path} cannot be read (${code})`);
  }
  if (text.length > MAX_FILE_BYTES) throw new SharedSandboxError(`${what} ${path} is too large to be one`);
  return text;
}

/**
 * Reads the sandbox's credentials file (the `--credentials-out` JSON) and, when given, a CA certificate file to
 * trust (else the file's own `caCertPem`). The URL is `baseUrl` when given, else the file's. Every problem is a
 * SharedSandboxError naming the file and the fields, never a value (the file holds keys).
 */
export function readSharedSandbox(options: { credentialsFile: string; caFile?: string | undefined; baseUrl?: string | undefined }): SharedSandbox {
  const text = readText(options.credentialsFile, 'the WeChat credentials file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SharedSandboxError(`the WeChat credentials file ${options.credentialsFile} is not JSON`);
  }
  const parsed = credentialsFileSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(the whole file)'))].join(', ');
    throw new SharedSandboxError(`the WeChat credentials file ${options.credentialsFile} has unusable fields: ${fields}`);
  }
  const { baseUrl: fileUrl, subMchid, ...fields } = parsed.data;
  const caCertPem = options.caFile ? readText(options.caFile, 'the WeChat CA file') : fields.caCertPem;
  if (caCertPem !== undefined && !caCertPem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new SharedSandboxError(`the WeChat CA ${options.caFile ?? 'in the credentials file'} is not a PEM certificate`);
  }
  const baseUrl = options.baseUrl ?? fileUrl;
  if (!baseUrl) throw new SharedSandboxError('the shared sandbox needs its URL: --wechat-base-url, or baseUrl in the credentials file');
  if (!/^https?:\/\//.test(baseUrl)) throw new SharedSandboxError('the shared sandbox URL must be http(s)');
  const credentials: WechatCredentials = {
    mchid: fields.mchid,
    appid: fields.appid,
    ...(fields.apiKeyV2 ? { apiKeyV2: fields.apiKeyV2 } : {}),
    ...(fields.apiV3Key ? { apiV3Key: fields.apiV3Key } : {}),
    ...(fields.merchantPrivateKeyPem ? { merchantPrivateKeyPem: fields.merchantPrivateKeyPem } : {}),
    ...(fields.merchantCertSerial ? { merchantCertSerial: fields.merchantCertSerial } : {}),
    ...(fields.wechatPayPublicKeyPem ? { wechatPayPublicKeyPem: fields.wechatPayPublicKeyPem } : {}),
    ...(fields.wechatPayPublicKeyId ? { wechatPayPublicKeyId: fields.wechatPayPublicKeyId } : {}),
    ...(fields.clientCertPem ? { clientCertPem: fields.clientCertPem } : {}),
    ...(fields.clientKeyPem ? { clientKeyPem: fields.clientKeyPem } : {}),
    ...(caCertPem ? { caCertPem } : {}),
  };
  return { baseUrl: baseUrl.replace(/\/+$/, ''), credentials, subMchid };
}
