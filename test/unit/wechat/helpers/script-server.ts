import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * A real HTTP(S) server on 127.0.0.1:0 whose answers a test scripts, recording every request it receives. It is
 * how the client's unit tests see exactly what went over the wire without the full sandbox.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Serial of the client certificate presented (https only), or null. */
  clientCertSerial: string | null;
  /** Which connection it came on: 1 for the server's first connection, 2 for the next... */
  connection: number;
}

export type ScriptedAnswer =
  | { status: number; headers?: Record<string, string>; body: string | Buffer }
  /** Accept the request and never answer. */
  | 'hang'
  /** Destroy the connection without an answer. */
  | 'drop';

/** An answer may be a promise: the server holds the request (the connection stays busy) until it settles. */
export type Script = (request: RecordedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>;

export interface ScriptServer {
  url: string;
  requests: RecordedRequest[];
  /** Connections accepted so far (for https: TLS handshakes completed). */
  readonly connections: number;
  /** Closes every connection that carries no request right now, as a server does when its idle timeout fires. */
  closeIdleConnections(): void;
  /** The server's keep-alive idle timeout (Node's default is 5 s; it is announced as `Keep-Alive: timeout=N`). */
  setKeepAliveTimeout(ms: number): void;
  /** Resolves when a connection is closed at the server (by either side), with that connection's number. */
  nextServerClose(): Promise<number>;
  /** Resolves when the client closes a connection (its FIN reaches the server), with that connection's number. */
  nextClientClose(): Promise<number>;
  setScript(script: Script): void;
  close(): Promise<void>;
}

export interface TlsOptions {
  certPem: string;
  keyPem: string;
  /** Ask for a client certificate trusted by this CA (not required: the test inspects what came). */
  clientCaPem?: string;
}

export async function startScriptServer(script: Script, tls?: TlsOptions): Promise<ScriptServer> {
  let current = script;
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const connectionNumbers = new WeakMap<object, number>();
  let clientCloseWaiters: ((connection: number) => void)[] = [];
  let serverCloseWaiters: ((connection: number) => void)[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const socket = req.socket as Partial<TLSSocket>;
      const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : null;
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        clientCertSerial: peer && socket.authorized && peer.serialNumber ? peer.serialNumber.toUpperCase() : null,
        connection: connectionNumbers.get(req.socket) ?? 0,
      };
      requests.push(recorded);
      const answer = current(recorded);
      if (answer instanceof Promise) void answer.then(respond);
      else respond(answer);
    });
    const respond = (answer: ScriptedAnswer): void => {
      if (answer === 'hang') return;
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body);
    };
  };
  const server = tls
    ? https.createServer(
        { cert: tls.certPem, key: tls.keyPem, ca: tls.clientCaPem, requestCert: Boolean(tls.clientCaPem), rejectUnauthorized: false },
        handler,
      )
    : http.createServer(handler);
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    connections += 1;
    const number = connections;
    connectionNumbers.set(socket, number);
    // The client's FIN: the client closed this connection itself (the server's own timeout would not emit 'end').
    socket.on('end', () => {
      const waiters = clientCloseWaiters;
      clientCloseWaiters = [];
      for (const waiter of waiters) waiter(number);
    });
    socket.on('close', () => {
      const waiters = serverCloseWaiters;
      serverCloseWaiters = [];
      for (const waiter of waiters) waiter(number);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    closeIdleConnections: () => server.closeIdleConnections(),
    setKeepAliveTimeout: (ms) => {
      server.keepAliveTimeout = ms;
    },
    nextServerClose: () => new Promise<number>((resolve) => serverCloseWaiters.push(resolve)),
    nextClientClose: () => new Promise<number>((resolve) => clientCloseWaiters.push(resolve)),
    setScript: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
