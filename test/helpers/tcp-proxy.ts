import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (TLS passes through untouched, end to end). It can hold every
 * chunk for `oneWayDelayMs` in each direction — a store's broadband or 4G link for the bench — and cut every open
 * connection at once, the way a server or a NAT drops an idle keep-alive connection, for the tests.
 */
export interface TcpProxy {
  url: string;
  port: number;
  /** Connections accepted so far (each one is a TCP + TLS handshake for the client). */
  readonly accepted: number;
  /** Connections open now. */
  readonly open: number;
  setOneWayDelay(ms: number): void;
  /** Destroys every open connection on both sides now (the client sees a reset or a close). */
  cutAll(): void;
  /** Calls `hook` with the first chunk of client data on each connection from now on (e.g. to cut it right there). */
  onClientData(hook: ((connection: { cut(): void; reused: boolean }) => void) | null): void;
  close(): Promise<void>;
}

type Target = { host: string; port: number };

/** `target` may be a function: asked on each new connection (for a server that starts after the proxy). */
export async function startTcpProxy(target: Target | (() => Target), options: { oneWayDelayMs?: number; protocol?: 'https' | 'http' } = {}): Promise<TcpProxy> {
  let delay = options.oneWayDelayMs ?? 0;
  let accepted = 0;
  let dataHook: ((connection: { cut(): void; reused: boolean }) => void) | null = null;
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();

  /** Forwards in order; with a delay, each chunk (and the end) leaves `delay` ms after it arrived. */
  const pipe = (from: net.Socket, to: net.Socket, onChunk?: () => void): void => {
    from.on('data', (chunk: Buffer) => {
      onChunk?.();
      if (delay === 0) to.write(chunk);
      else setTimeout(() => to.destroyed || to.writableEnded || to.write(chunk), delay);
    });
    from.on('end', () => {
      if (delay === 0) to.end();
      else setTimeout(() => to.end(), delay);
    });
  };

  const server = net.createServer((client) => {
    accepted += 1;
    client.setNoDelay(true);
    const to = typeof target === 'function' ? target() : target;
    const upstream = net.connect({ host: to.host, port: to.port, noDelay: true });
    const pair = { client, upstream };
    pairs.add(pair);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    let requests = 0;
    let lastByteWasClient = false;
    pipe(client, upstream, () => {
      // A new request starts when the client speaks after the server did (or for the first time).
      if (!lastByteWasClient) {
        requests += 1;
        dataHook?.({ cut, reused: requests > 1 });
      }
      lastByteWasClient = true;
    });
    pipe(upstream, client, () => {
      lastByteWasClient = false;
    });
    // One side gone: the other goes too, after the chunks still on their way (same delay, so they come first).
    const drop = (): void => {
      pairs.delete(pair);
      if (delay === 0) cut();
      else setTimeout(cut, delay);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.protocol ?? 'https'}://127.0.0.1:${port}`,
    port,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    setOneWayDelay: (ms) => {
      delay = ms;
    },
    cutAll: () => {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    onClientData: (hook) => {
      dataHook = hook;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
