import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { HUB_PATHS } from '../../../shared/hub-protocol';
import { authenticateCounter } from '../counter-auth';
import type { HubContext } from './context';
import { HubHttpError } from './io';

/** A ping this often keeps NATs and proxies from dropping an idle channel, and finds a dead one. */
export const PUSH_PING_MS = 25_000;

/**
 * The counters' push channel: `GET HUB_PATHS.push` upgraded to a WebSocket, authenticated like every counter call
 * (Ed25519 signature over the GET, timestamp, nonce, not revoked) before the upgrade. The hub then sends each
 * paid / refunded hint (shared/hub-protocol.ts PaymentHint) for that terminal's orders; it reads nothing from the
 * counter. The counter re-opens it after a drop and confirms every hint with its own query to WeChat.
 */
export function attachPushSocket(server: Server, ctx: HubContext): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== HUB_PATHS.push || req.method !== 'GET') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    authenticateCounter(ctx.database.db, ctx.clock, { method: 'GET', pathWithQuery: req.url ?? '', headers: req.headers, rawBody: Buffer.alloc(0) }).then(
      (terminal) => wss.handleUpgrade(req, socket, head, (ws) => serve(ctx, ws, terminal.terminal_id)),
      (error: unknown) => {
        const status = error instanceof HubHttpError ? error.status : 500;
        ctx.log.warn('hub: push channel refused', { status, code: error instanceof HubHttpError ? error.code : 'INTERNAL', terminal: String(req.headers['x-pos-terminal'] ?? '').slice(0, 8) });
        socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Refused'}\r\nConnection: close\r\n\r\n`);
      },
    );
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function serve(ctx: HubContext, ws: WebSocket, terminalId: string): void {
  const unsubscribe = ctx.hints.subscribe(terminalId, (hint) => ws.send(JSON.stringify(hint)), () => ws.terminate());
  let alive = true;
  ws.on('pong', () => {
    alive = true;
  });
  const ping = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    ws.ping();
  }, PUSH_PING_MS);
  ping.unref();
  ws.on('close', () => {
    clearInterval(ping);
    unsubscribe();
  });
  ws.on('error', () => ws.terminate());
  ctx.log.info('hub: push channel open', { terminal: terminalId });
}
