import {
  isEventName,
  type ApiEvents,
  type EventName,
  type MethodName,
  type MethodRequest,
  type MethodResult,
  type PosApi,
} from '../../shared/api';
import type { Result } from '../../shared/result';

/** What the Electron preload exposes as window.pos (see electron/preload/bridge.ts). */
export interface PosBridge {
  call(method: string, request: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    pos?: PosBridge;
  }
}

/**
 * Picks the Electron preload bridge when present, else the web host's WebSocket. The role only picks the screen:
 * the main side decides what this window may do from its credential (Electron: which window it is; web host: the
 * token in this page's URL), never from anything the page says.
 */
export function createPosClient(): PosApi {
  return window.pos ? bridgeClient(window.pos) : new WebSocketClient();
}

function bridgeClient(bridge: PosBridge): PosApi {
  return {
    call: <M extends MethodName>(method: M, request: MethodRequest<M>) =>
      bridge.call(method, request) as Promise<Result<MethodResult<M>>>,
    on: <E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) =>
      bridge.on(event, (payload) => listener(payload as ApiEvents[E])),
  };
}

type Pending = (result: Result<unknown>) => void;

/** The web host transport: one socket, calls matched to results by id, events fanned out to listeners. */
class WebSocketClient implements PosApi {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private readonly queue: string[] = [];
  private retryMs = 250;

  constructor() {
    this.connect();
  }

  call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<Result<MethodResult<M>>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as Pending);
      this.send(JSON.stringify({ type: 'call', id, method, request }));
    });
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    const wrapped = (payload: unknown): void => listener(payload as ApiEvents[E]);
    set.add(wrapped);
    this.listeners.set(event, set);
    return () => set.delete(wrapped);
  }

  private send(text: string): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(text);
    else this.queue.push(text);
  }

  private connect(): void {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    // This window's own token: the host gives the socket the role that token belongs to.
    const socket = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retryMs = 250;
      for (const text of this.queue.splice(0)) socket.send(text);
    });
    socket.addEventListener('message', (message) => this.receive(String(message.data)));
    socket.addEventListener('close', () => {
      // Calls in flight are answered as failed, never left hanging; the socket comes back on its own.
      for (const [id, resolve] of this.pending) {
        resolve({ ok: false, error: { code: 'DISCONNECTED', message: '与收银主程序的连接中断 / connection to the app lost' } });
        this.pending.delete(id);
      }
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    });
  }

  private receive(text: string): void {
    let message: { type?: unknown; id?: unknown; result?: Result<unknown>; event?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'result' && typeof message.id === 'number' && message.result) {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else if (message.type === 'event' && isEventName(message.event)) {
      for (const listener of this.listeners.get(message.event) ?? []) listener(message.payload);
    }
  }
}
