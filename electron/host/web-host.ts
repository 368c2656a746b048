import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { apiEventAudience, MAX_REQUEST_BYTES, type WindowRole } from '../../shared/api';
import type { Logger } from '../../shared/log';
import type { Dispatch } from './dispatch';
import type { EventHub } from './event-hub';
import { isSandboxRoute, serveSandboxRoute, type SandboxAdminRoute } from './sandbox-route';
import { readStaticFile } from './static-files';
import { parseWsMessage } from './ws-messages';

const ROLES: readonly WindowRole[] = ['cashier', 'display', 'manager'];
const COOKIE = 'pos_token';

/** Content-Security-Policy of every page: only our own scripts, no remote content. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; media-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export interface WebHostOptions {
  dispatch: Dispatch;
  events: EventHub;
  logger: Logger;
  /** Folder of the built renderer (index.html, assets/). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Binding anywhere but loopback must be asked for explicitly. */
  allowLan?: boolean;
  /** A window's socket closed (sessions signed in over it end). */
  onDisconnect?: (connectionId: string) => void;
  /** The embedded sandbox's page and testing aids under /sandbox/ (sandbox mode); absent in live mode: refused. */
  sandboxAdmin?: SandboxAdminRoute;
}

export interface WebHost {
  urls: Record<WindowRole, string>;
  origin: string;
  /** Each window's own credential: the role of a page or a WebSocket is decided by which one it presents. */
  tokens: Record<WindowRole, string>;
  close(): Promise<void>;
}

/**
 * The web host: serves the built renderer and carries the API contract over a WebSocket, so the same app runs in
 * a kiosk browser, on a manager's second screen and under the end-to-end tests. Each window has its own per-run
 * credential bound to its role (cashier, display, manager): a page loads only with its own window's token in
 * its URL, the WebSocket's role is the role of the token it presents (a `role` named in the URL means nothing),
 * and the display's token can call nothing that acts. Assets need any of the three (query, or the HttpOnly
 * same-site cookie a page load sets); WebSocket upgrades must also come from this origin.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.allowLan) {
    throw new Error(`refusing to listen on ${host}: binding beyond this computer needs --allow-lan`);
  }
  const tokens = Object.fromEntries(ROLES.map((r) => [r, randomBytes(24).toString('hex')])) as Record<WindowRole, string>;
  const roleOf = (presented: string | null): WindowRole | null => ROLES.find((r) => tokenMatches(presented, tokens[r])) ?? null;
  const origins = new Set<string>();
  const server = createServer((req, res) => {
    handleHttp(req, res, options.rendererDir, roleOf, options.sandboxAdmin).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  server.on('upgrade', (req, socket, head) => {
    // The socket is ours from here: a client that resets it must not raise an unhandled 'error'.
    socket.on('error', () => {});
    try {
      const url = new URL(req.url ?? '/', 'http://placeholder');
      // The credential alone says which window this is; only the query carries it (never the shared cookie).
      const role = roleOf(url.searchParams.get('token'));
      const originOk = typeof req.headers.origin === 'string' && origins.has(req.headers.origin);
      if (url.pathname !== '/ws' || !role || !originOk) {
        options.logger.warn('web host refused a websocket', { path: url.pathname.slice(0, 64), originOk, credential: role !== null });
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, role, options));
    } catch (error) {
      options.logger.warn('web host refused a malformed websocket request', { error: error instanceof Error ? error.name : typeof error });
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const origin = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  origins.add(origin);
  if (isLoopback(host)) origins.add(`http://localhost:${port}`).add(`http://127.0.0.1:${port}`);
  const urls = Object.fromEntries(ROLES.map((r) => [r, `${origin}/${r}?token=${tokens[r]}`])) as Record<WindowRole, string>;
  return { urls, origin, tokens, close: () => closeAll(server, wss) };
}

let nextConnection = 1;

const INTERNAL_FAILURE = { ok: false, error: { code: 'INTERNAL', message: '内部错误，请重试 / Internal error, please retry' } } as const;

function serveConnection(ws: WebSocket, role: WindowRole, options: WebHostOptions): void {
  const connectionId = `ws-${nextConnection++}`;
  const { logger } = options;
  const send = (message: unknown): void => {
    if (ws.readyState !== ws.OPEN) return;
    try {
      ws.send(JSON.stringify(message));
    } catch (error) {
      // A value that cannot be serialised is a bug on the main side: logged, and a call is still answered.
      logger.error('websocket message could not be sent', { role, error: error instanceof Error ? error.name : typeof error });
      const { type, id } = message as { type?: unknown; id?: unknown };
      if (type === 'result' && typeof id === 'number') ws.send(JSON.stringify({ type: 'result', id, result: INTERNAL_FAILURE }));
    }
  };
  const forward = (event: keyof typeof apiEventAudience, payload: unknown): void => {
    if (apiEventAudience[event].includes(role)) send({ type: 'event', event, payload });
  };
  for (const { event, payload } of options.events.snapshot()) forward(event, payload);
  const unsubscribe = options.events.subscribe(forward);
  ws.on('close', () => {
    unsubscribe();
    options.onDisconnect?.(connectionId);
  });
  // Oversized or malformed frames end the connection (ws closes it with 1009/1002); they must not crash the host.
  ws.on('error', (error) => logger.warn('websocket closed on a protocol error', { role, error: error.message }));
  ws.on('message', (data, isBinary) => {
    try {
      if (isBinary) {
        send({ type: 'error', code: 'BAD_MESSAGE', message: '只接受文本消息 / only text messages are accepted' });
        return;
      }
      const parsed = parseWsMessage(rawDataToString(data));
      if ('refusal' in parsed) {
        send(parsed.refusal);
        return;
      }
      const { id, method, request } = parsed.call;
      options.dispatch(method, request, { window: role, connectionId }).then(
        (result) => send({ type: 'result', id, result }),
        (error: unknown) => {
          // The dispatcher answers every failure itself; a rejection here is a bug, still answered, never fatal.
          logger.error('dispatch rejected', { role, error: error instanceof Error ? error.name : typeof error });
          send({ type: 'result', id, result: INTERNAL_FAILURE });
        },
      );
    } catch (error) {
      logger.error('websocket message handling failed', { role, error: error instanceof Error ? error.name : typeof error });
    }
  });
}

async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  rendererDir: string,
  roleOf: (presented: string | null) => WindowRole | null,
  sandboxAdmin?: SandboxAdminRoute,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  // The sandbox's testing aids (a customer paying, fault switches) are for whoever holds the manager window's
  // credential: never the customer display's or the cashier's.
  const queryToken = url.searchParams.get('token');
  if (isSandboxRoute(url.pathname) && (roleOf(queryToken) === 'manager' || roleOf(readCookie(req, COOKIE)) === 'manager')) {
    // Opened with the token in the URL: the page's own calls then carry the cookie.
    const cookie: Record<string, string> = roleOf(queryToken) === 'manager' ? { 'Set-Cookie': `${COOKIE}=${queryToken ?? ''}; HttpOnly; SameSite=Strict; Path=/` } : {};
    return serveSandboxRoute(req, res, url.pathname, sandboxAdmin, cookie);
  }
  if (isSandboxRoute(url.pathname)) {
    res.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('403 测试工具需要经理窗口的访问令牌 / the testing aids need the manager window’s token\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  const page = url.pathname.replace(/^\/+|\/+$/g, '');
  const isPage = (ROLES as readonly string[]).includes(page);
  const queryRole = roleOf(queryToken);
  // A window's page opens only with that window's own token in its URL; assets with any window's token.
  const authorised = isPage ? queryRole === page : queryRole !== null || roleOf(readCookie(req, COOKIE)) !== null;
  if (!authorised) {
    res.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('403 需要访问令牌 / access token required\n');
    return;
  }
  const file = await readStaticFile(rendererDir, isPage ? 'index.html' : url.pathname);
  if (!file) {
    res.writeHead(404, headers).end();
    return;
  }
  const cookie = `${COOKIE}=${queryToken ?? ''}; HttpOnly; SameSite=Strict; Path=/`;
  res.writeHead(200, { ...headers, 'Content-Type': file.type, ...(isPage ? { 'Set-Cookie': cookie } : {}) });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

function tokenMatches(presented: string | null, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

function closeAll(server: Server, wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.terminate();
  wss.close();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
