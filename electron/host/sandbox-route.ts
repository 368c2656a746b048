import type { IncomingMessage, ServerResponse } from 'node:http';
import { SANDBOX_PAGE_CSP } from '../sandbox/page';

/**
 * The embedded sandbox's page and testing aids (/sandbox/...), served by the web host under its own origin and
 * token, so a manager evaluating the product needs no second address and no certificate warning. In live mode
 * there is no sandbox: every such request is refused with a worded 403.
 */

export interface SandboxAdminAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Answers one sandbox admin request (the app passes the embedded sandbox's handleAdminRequest). */
export type SandboxAdminRoute = (req: { method: string; path: string; body: Buffer }) => Promise<SandboxAdminAnswer>;

const MAX_BODY_BYTES = 64 * 1024;

export function isSandboxRoute(pathname: string): boolean {
  return pathname === '/sandbox' || pathname.startsWith('/sandbox/');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Serves an authorised request under /sandbox (the caller has checked the token). */
export async function serveSandboxRoute(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  route: SandboxAdminRoute | undefined,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const method = req.method ?? 'GET';
  if (!route) {
    return json(res, 403, { error: 'LIVE_MODE', message: '测试工具只在沙箱模式下可用 / Testing aids work in sandbox mode only' });
  }
  if (method !== 'GET' && method !== 'HEAD') {
    // A page on another site cannot send JSON here without a preflight this host never answers (and the token
    // cookie is SameSite=Strict): no cross-site forms planting payments.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return json(res, 415, { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'send JSON (Content-Type: application/json)' });
    }
  }
  const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
  if (body === null) return json(res, 413, { error: 'TOO_LARGE', message: `at most ${MAX_BODY_BYTES} bytes` });
  const answer = await route({ method: method === 'HEAD' ? 'GET' : method, path: pathname, body });
  res.writeHead(answer.status, { ...answer.headers, ...extraHeaders, 'Content-Security-Policy': SANDBOX_PAGE_CSP, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(method === 'HEAD' ? undefined : answer.body);
}
