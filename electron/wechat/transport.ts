import http from 'node:http';
import https from 'node:https';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import {
  busySocketCount,
  createKeepAliveAgent,
  DEFAULT_IDLE_MS,
  dropIdleSockets,
  idleSocketCount,
  isClosing,
  letPendingClosesArrive,
  type KeepAliveAgent,
} from './warm-agents';

/**
 * HTTP for the WeChat Pay clients, on node:http/https directly: the base URL comes from settings (the real service,
 * its backup host or the sandbox, http or https), every call has a connect timeout and a total timeout, and the v2
 * secapi paths go out with the merchant's client certificate (mutual TLS). Connections are kept warm (one pool for
 * the plain calls, one for the mutual-TLS secapi calls) under the rules in warm-agents.ts.
 */

export interface TransportTimeouts {
  /** TCP connect plus TLS handshake. */
  connectMs: number;
  /** From the start of the call to the last byte of the answer. */
  totalMs: number;
}

export interface TransportOptions {
  baseUrl: string;
  timeouts: TransportTimeouts;
  /** Extra trust root added to the system ones (the sandbox's CA). */
  caCertPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  /** Answers larger than this are cut off as a network failure (a bill is the largest answer). */
  maxResponseBytes?: number;
  /** Idle kept connections are closed after this long (default 20 s; lowered to the server's Keep-Alive hint − 1 s). */
  idleMs?: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Path and query below the base URL, starting with '/'. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Present the client certificate (v2 /secapi/ paths). */
  mutualTls?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: Buffer;
}

export type TransportResult =
  | { ok: true; response: HttpResponse }
  | { ok: false; cause: 'network' | 'timeout'; code: string; detail: string };

export interface HttpTransport {
  /** The path the server sees for `path` (the base URL may carry a prefix): v3 signs this. */
  serverPath(path: string): string;
  /** The origin of the base URL, e.g. https://api.mch.weixin.qq.com. */
  readonly origin: string;
  send(request: HttpRequest): Promise<TransportResult>;
  /** Whether a client certificate is configured (secapi calls need one). */
  readonly hasClientCertificate: boolean;
  /**
   * Makes sure a connection (TCP + TLS) to the host is open or opening, so the next call does not pay the handshakes.
   * Resolves when that connection is ready (or could not be made: the call that follows reports the problem).
   * Optional: a test transport may have no connections to warm.
   */
  warm?(options?: { mutualTls?: boolean }): Promise<void>;
  /**
   * Runs `then` once no request is about to be written: at once when none is, else right after the pending ones
   * were handed their sockets (their bytes follow in the same tick), are waiting for a connection being opened, or
   * ended. Lets work that is not the request (the windows' events of a scan) run after the request left, not before
   * it: a request waits one event-loop poll before reusing a socket (warm-agents.ts), and whatever synchronous work
   * is queued behind it would delay it. Optional: a test transport may write at once.
   */
  afterRequestsWritten?(then: () => void): void;
}

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

class TransportFailure extends Error {
  constructor(
    readonly kind: 'network' | 'timeout',
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function errorCode(error: unknown): string {
  if (error instanceof TransportFailure) return error.code;
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return 'NETWORK_ERROR';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function collectHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Parses and checks the base URL once, so a typo in settings fails at construction, not mid-sale. */
function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error('WeChat Pay base URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('WeChat Pay base URL must be http(s)');
  if (url.search || url.hash) throw new Error('WeChat Pay base URL must not carry a query or fragment');
  return url;
}

export function createHttpTransport(options: TransportOptions): HttpTransport {
  const base = parseBaseUrl(options.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const isHttps = base.protocol === 'https:';
  const ca = options.caCertPem ? [...rootCertificates, options.caCertPem] : undefined;
  // The TLS context (trust roots, client certificate) is built once here: given `ca`/`cert`/`key`, an agent makes a
  // new context for every connection, which parses the ~150 system roots again (30–80 ms per call, before the
  // request can leave). The same context for every connection trusts exactly the same roots.
  const tlsContext = (extra: { cert?: string; key?: string } = {}): SecureContext => createSecureContext({ ...(ca ? { ca } : {}), ...extra });
  // Keep-alive, with the rules of warm-agents.ts: a reused socket the server already closed is caught before the
  // request's first byte and the request goes out again on a fresh connection, so it never becomes an unknown outcome.
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const plainAgent = createKeepAliveAgent(isHttps, idleMs, isHttps ? tlsContext() : undefined);
  const hasClientCertificate = Boolean(options.clientCertPem && options.clientKeyPem);
  // The secapi calls (v2 reverse, refund) present the client certificate: a connection of their own, kept warm too.
  const mutualAgent =
    isHttps && hasClientCertificate
      ? createKeepAliveAgent(true, idleMs, tlsContext({ cert: options.clientCertPem, key: options.clientKeyPem }))
      : plainAgent;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  const serverPath = (path: string): string => `${prefix}${path.startsWith('/') ? path : `/${path}`}`;

  /** What sendOnce answers when the request was stopped before its first byte: known not sent. */
  const NOT_SENT = Symbol('not sent');
  /** A reused socket found closing is dropped; a fresh connection cannot be found closing, so 2 tries suffice; 3 for races. */
  const MAX_TRIES = 3;

  async function send(request: HttpRequest): Promise<TransportResult> {
    const agent = request.mutualTls ? mutualAgent : plainAgent;
    const deadline = Date.now() + options.timeouts.totalMs;
    const written = pendingWrite();
    try {
      await joinWarming(agent, written);
      for (let attempt = 1; ; attempt++) {
        await letPendingClosesArrive(agent);
        const result = await sendOnce(request, agent, Math.max(1, deadline - Date.now()), written);
        if (result !== NOT_SENT) return result;
        // Nothing of this request left the machine: send it again at once, on a fresh connection.
        dropIdleSockets(agent);
        if (attempt >= MAX_TRIES) return { ok: false, cause: 'network', code: 'STALE_SOCKET', detail: 'no usable connection to the host' };
      }
    } finally {
      written();
    }
  }

  // Requests started and not yet handed a socket (see afterRequestsWritten), and who waits for them.
  let unwritten = 0;
  let afterWritten: (() => void)[] = [];
  /** Counts a request as about to be written; the returned release (idempotent) says it no longer is. */
  function pendingWrite(): () => void {
    unwritten += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      unwritten -= 1;
      if (unwritten > 0 || afterWritten.length === 0) return;
      const waiting = afterWritten;
      afterWritten = [];
      // A microtask: after the synchronous rest of this tick, where Node writes the request to its socket.
      queueMicrotask(() => {
        for (const then of waiting) then();
      });
    };
  }
  function afterRequestsWritten(then: () => void): void {
    if (unwritten === 0) then();
    else afterWritten.push(then);
  }

  const warming = new Map<KeepAliveAgent, Promise<void>>();
  function warm(warmOptions: { mutualTls?: boolean } = {}): Promise<void> {
    const agent = warmOptions.mutualTls ? mutualAgent : plainAgent;
    const pending = warming.get(agent);
    if (pending) return pending;
    // Registered before the first await, so a payment sent right after the first key finds the warming under way.
    const tracked = openWarmConnection(agent, warmOptions.mutualTls).finally(() => warming.delete(agent));
    warming.set(agent, tracked);
    return tracked;
  }

  async function openWarmConnection(agent: KeepAliveAgent, mutualTls: boolean | undefined): Promise<void> {
    // An idle socket the server already closed must not count as warm: let its FIN be read first (warm-agents.ts).
    await letPendingClosesArrive(agent);
    if (idleSocketCount(agent) + busySocketCount(agent) > 0) return;
    // A GET of the site root: a harmless request that opens the connection through the agent, so it joins the pool
    // when answered (any status does; the body is read and dropped). Not HEAD: Node's client does not keep a
    // connection after a HEAD answer without a length (seen against Node's own server). `sendOnce`, not `send`:
    // `send` waits for the warming, which is this.
    const deadline = Date.now() + options.timeouts.totalMs;
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const result = await sendOnce({ method: 'GET', path: '/', headers: {}, mutualTls }, agent, Math.max(1, deadline - Date.now()));
      if (result !== NOT_SENT) return;
      dropIdleSockets(agent);
    }
  }

  /**
   * A call made while the pre-connect is still opening its connection (handshake or the GET's answer under way)
   * waits for it instead of opening a second one: the agent hands a new request a free socket only, so without this
   * the payment scanned a moment after the first key paid the full handshake on a new connection while the warm one
   * sat finished a moment later. The warm connection started earlier, so waiting for it is quicker than a fresh
   * handshake unless the code comes within one round trip of the first key (no customer is that fast). Bounded by
   * the connect timeout, so a pre-connect stuck on a dead route cannot hold a payment longer than its own connect.
   */
  async function joinWarming(agent: KeepAliveAgent, waitsForConnection: () => void): Promise<void> {
    const pending = warming.get(agent);
    if (!pending || idleSocketCount(agent) > 0) return;
    // Waiting for a connection is a round trip or more: what waits for this request's write need not wait for it.
    waitsForConnection();
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.timeouts.connectMs);
    });
    await Promise.race([pending, giveUp]);
    clearTimeout(timer);
  }

  function sendOnce(request: HttpRequest, agent: KeepAliveAgent, totalMs: number, handedSocket: () => void = () => undefined): Promise<TransportResult | typeof NOT_SENT> {
    return new Promise<TransportResult | typeof NOT_SENT>((resolve) => {
      const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
      const headers: Record<string, string> = { ...request.headers };
      if (body !== undefined) headers['Content-Length'] = String(body.length);
      const requestOptions: https.RequestOptions = {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port || undefined,
        method: request.method,
        path: serverPath(request.path),
        headers,
        agent,
      };
      let settled = false;
      let notSent = false;
      let connectTimer: NodeJS.Timeout | undefined;
      const finish = (result: TransportResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(totalTimer);
        clearTimeout(connectTimer);
        resolve(notSent ? NOT_SENT : result);
      };
      const fail = (error: unknown): void => {
        const cause = error instanceof TransportFailure ? error.kind : 'network';
        finish({ ok: false, cause, code: errorCode(error), detail: errorMessage(error) });
      };

      const req = (isHttps ? https : http).request(requestOptions, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            fail(new TransportFailure('network', 'RESPONSE_TOO_LARGE', `answer larger than ${maxBytes} bytes`));
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          finish({
            ok: true,
            response: { status: res.statusCode ?? 0, headers: collectHeaders(res.headers), body: Buffer.concat(chunks) },
          });
        });
        res.on('error', fail);
        res.on('aborted', () => fail(new TransportFailure('network', 'ECONNRESET', 'answer cut off')));
      });
      const totalTimer = setTimeout(() => {
        req.destroy(new TransportFailure('timeout', 'TOTAL_TIMEOUT', `no complete answer within ${options.timeouts.totalMs} ms`));
      }, totalMs);
      req.on('socket', (socket) => {
        // Node emits 'socket' just before it writes the request: a reused socket that is closing is refused here,
        // so not one byte of this request is written to it.
        if (req.reusedSocket && isClosing(socket)) {
          notSent = true;
          req.destroy(new TransportFailure('network', 'STALE_SOCKET', 'kept connection closed by the server before use'));
          return;
        }
        // A live kept socket (its bytes are written in this tick) or a new connection being opened.
        handedSocket();
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => {
          req.destroy(new TransportFailure('timeout', 'CONNECT_TIMEOUT', `no connection within ${options.timeouts.connectMs} ms`));
        }, options.timeouts.connectMs);
        socket.once(isHttps ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      });
      req.on('error', fail);
      req.end(body);
    });
  }

  return { serverPath, origin: base.origin, send, hasClientCertificate, warm, afterRequestsWritten };
}
