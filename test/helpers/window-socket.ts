import WebSocket from 'ws';
import type { Result } from '../../shared/result';

/** One window's WebSocket to a running web host, driven straight through the contract. */
export interface WindowSocket {
  ws: WebSocket;
  /** Every message received, parsed, from the first byte on. */
  received: Record<string, unknown>[];
  /** The call's result; `{ok:false, error:{code:'CLOSED'}}` when the connection closes first. */
  call<T = unknown>(method: string, request: unknown): Promise<Result<T>>;
  /** Sends a raw frame (text or binary) exactly as given. */
  sendRaw(data: string | Buffer, binary?: boolean): void;
  /** Resolves with the first message, already received or still to come, that matches; rejects if the socket closes first. */
  waitFor(predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Opens a socket to `/ws` with the given token (a window's own credential) from the host's origin. `query` is added
 * as is (e.g. `role=manager`, which the host must ignore). Rejects with `HTTP <status>` when the upgrade is refused.
 */
export function openWindowSocket(origin: string, token: string, query = ''): Promise<WindowSocket> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws?${query ? `${query}&` : ''}token=${token}`, { origin });
  const received: Record<string, unknown>[] = [];
  const waiters: { predicate: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  ws.on('close', (code) => {
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`socket closed (${code}) before the message waited for`));
  });
  let nextId = 1_000_000;
  const closed = new Promise<Result<never>>((resolve) => ws.once('close', () => resolve({ ok: false, error: { code: 'CLOSED', message: 'socket closed' } })));
  ws.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
    received.push(message);
    for (const waiter of waiters.splice(0)) {
      if (waiter.predicate(message)) waiter.resolve(message);
      else waiters.push(waiter);
    }
  });
  const waitFor: WindowSocket['waitFor'] = (predicate) =>
    new Promise((resolve, reject) => {
      const found = received.find(predicate);
      if (found) resolve(found);
      else if (ws.readyState === ws.CLOSED) reject(new Error('socket closed before the message waited for'));
      else waiters.push({ predicate, resolve, reject });
    });
  const socket: WindowSocket = {
    ws,
    received,
    call: async <T>(method: string, request: unknown) => {
      if (ws.readyState !== ws.OPEN) return closed;
      const id = nextId++;
      ws.send(JSON.stringify({ type: 'call', id, method, request }));
      const answered = waitFor((m) => m.type === 'result' && m.id === id).then(
        (answer) => answer.result as Result<T>,
        () => closed,
      );
      return Promise.race([answered, closed]);
    },
    sendRaw: (data, binary = false) => ws.send(data, { binary }),
    waitFor,
    close: () =>
      new Promise((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** True while the process with this id exists (signal 0 checks without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
