import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { routeAdmin } from './admin-routes';
import type { HubContext } from './context';
import { routeCounter } from './counter-routes';
import { routeNotify } from './notify-routes';
import { HubHttpError, sendError } from './io';
import { routePages } from './pages';
import { setupPage } from './setup-page';

/**
 * The hub's HTTP server: the counter API, the admin JSON API and the setup page. Every refusal is logged at the
 * hub with its code, path and the terminal header if any (never a signature, body, code or password) and answered
 * as a HubErrorBody; an unexpected error is a 500 without details.
 */
export function createHubServer(ctx: HubContext): Server {
  const server = createServer((req, res) => {
    // The hub's clock when the request's headers arrived: a signed request's timestamp is checked against it.
    const receivedAt = ctx.clock.now();
    handle(ctx, req, res, receivedAt).catch((error: unknown) => refuse(ctx, req, res, error));
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  return server;
}

async function handle(ctx: HubContext, req: IncomingMessage, res: ServerResponse, receivedAt: number): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://hub.invalid');
  if (url.pathname === '/setup' && req.method === 'GET') {
    const text = setupPage();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'", 'referrer-policy': 'no-referrer' });
    res.end(text);
    return;
  }
  if (await routeNotify(ctx, req, res, url)) return;
  if (await routeCounter(ctx, req, res, url, receivedAt)) return;
  if (await routeAdmin(ctx, req, res, url)) return;
  if (await routePages(ctx.pagesDir, req, res, url)) return;
  throw new HubHttpError(404, 'NOT_FOUND', '没有这个接口 / No such endpoint');
}

function refuse(ctx: HubContext, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const terminal = typeof req.headers['x-pos-terminal'] === 'string' ? req.headers['x-pos-terminal'].slice(0, 8) : undefined;
  const refusal = error instanceof HubHttpError ? error : new HubHttpError(500, 'INTERNAL', '总部内部错误 / Internal error at the hub');
  if (error instanceof HubHttpError) {
    ctx.log.warn('hub: request refused', { status: refusal.status, code: refusal.code, reason: refusal.message, method: req.method, path, terminal });
  } else {
    ctx.log.error('hub: request failed', { method: req.method, path, terminal, error: error instanceof Error ? error.message : String(error) });
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, refusal);
  // A refused body that was not read must not be parsed as the next request on this connection.
  if (!req.complete) req.socket.end();
}
