import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubErrorBody } from '../../../shared/hub-protocol';
import type { AdminErrorCode } from '../../../shared/hub-admin-api';

export type HubErrorCode = HubErrorBody['error']['code'] | AdminErrorCode;

/** A refusal with its HTTP status and a '中文 / English' message; the router turns it into a HubErrorBody. */
export class HubHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HubErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (detail: string): HubHttpError => new HubHttpError(400, 'BAD_REQUEST', `请求格式不正确 / Malformed request: ${detail}`);

/**
 * Reads a request body up to `limit` bytes. A declared Content-Length over the limit is refused before a byte is
 * read (413); a body that grows past it while streaming is cut off the same way. The connection is closed after
 * such a refusal so the unread rest is never parsed as a next request.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): HubHttpError {
  return new HubHttpError(413, 'TOO_LARGE', `请求过大（上限 ${limit} 字节）/ Request body over ${limit} bytes`, { connection: 'close' });
}

/** Parses a JSON body that must be an object; anything else is a 400. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('body is not a JSON object');
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HubHttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

/** The zod issues of a refused body, short, for the 400's message (never the values themselves). */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ');
}
