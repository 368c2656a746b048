import { HUB_PATHS, paymentHintSchema, type PaymentHint } from '../../shared/hub-protocol';
import type { Logger } from '../../shared/log';
import { joinUrl, type HubIdentity } from './client';
import { signedHeaders } from './keys';
import type { HubSocket, OpenHubSocket } from './push-socket';

export interface PushChannelDeps {
  /** The signed identity (HubLink.currentIdentity): null while not enrolled or stopped — then nothing is opened. */
  identity: () => HubIdentity | null;
  open: OpenHubSocket;
  /** Each valid hint; the payment service confirms it with its own query (payments/hints.ts), never records it. */
  onHint: (hint: PaymentHint) => void;
  logger: Logger;
  /** The time the upgrade request is signed with. */
  now: () => number;
  random?: () => number;
  timers?: { set(run: () => void, delayMs: number): unknown; clear(handle: unknown): void };
  /** Reconnect backoff: base doubling to cap, each delay drawn from its upper half (jitter). */
  backoff?: { baseMs: number; capMs: number };
  /** Nothing from the hub (not even its ping, every 25 s) for this long: the connection is dead, open a new one. */
  silenceMs?: number;
}

export type PushChannelState = 'stopped' | 'waiting' | 'connecting' | 'open';

const DEFAULT_BACKOFF = { baseMs: 1_000, capMs: 60_000 };
/** Two of the hub's pings (PUSH_PING_MS, 25 s) missed, with a margin. */
const DEFAULT_SILENCE_MS = 60_000;

/**
 * The counter's end of the hub's push channel (GET HUB_PATHS.push as a WebSocket, signed like every counter call).
 * It only listens: each paid / refunded hint goes to the payment service, which brings its own WeChat query of that
 * order forward; polling stays the fallback, so a hint missed while the channel was down costs only the usual poll
 * delay. After a drop, a refused upgrade or a silent connection it opens again after a jittered backoff (1 s
 * doubling to 60 s, each delay somewhere in the upper half, so a thousand counters do not all return in the same
 * second after a hub restart); a connection that opened resets the backoff.
 */
export class PushChannel {
  private current: PushChannelState = 'stopped';
  private socket: HubSocket | null = null;
  private retryTimer: unknown = null;
  private silenceTimer: unknown = null;
  private failures = 0;
  private opened = 0;
  private hintsReceived = 0;

  constructor(private readonly deps: PushChannelDeps) {}

  state(): PushChannelState {
    return this.current;
  }

  /** How many times a connection opened, and how many valid hints came (the manager's status, tests). */
  counts(): { opened: number; hints: number } {
    return { opened: this.opened, hints: this.hintsReceived };
  }

  start(): void {
    if (this.current !== 'stopped') return;
    this.current = 'waiting';
    this.connect();
  }

  stop(): void {
    this.current = 'stopped';
    this.clearTimers();
    this.socket?.close();
    this.socket = null;
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.current === 'stopped') return;
    const id = this.deps.identity();
    if (!id) {
      // Not enrolled (yet) or stopped by the hub: look again later, without a socket.
      this.current = 'waiting';
      this.retryTimer = this.timers().set(() => this.connect(), this.backoff().capMs);
      return;
    }
    this.current = 'connecting';
    const url = joinUrl(id.hubUrl, HUB_PATHS.push).replace(/^http/, 'ws');
    const headers = signedHeaders(id.privateKeyPem, id.terminalId, 'GET', HUB_PATHS.push, null, this.deps.now());
    let socket: HubSocket | null = null;
    try {
      socket = this.deps.open(url, headers, {
        onOpen: () => {
          if (this.socket !== socket) return;
          this.current = 'open';
          this.failures = 0;
          this.opened += 1;
          this.heard();
          this.deps.logger.info('hub push channel open', { terminal: id.terminalId });
        },
        onMessage: (text) => {
          if (this.socket !== socket) return;
          this.heard();
          this.take(text);
        },
        onPing: () => {
          if (this.socket === socket) this.heard();
        },
        onClose: (reason) => {
          if (this.socket !== socket) return;
          this.dropped(reason.status === null ? reason.message : `HTTP ${reason.status}`);
        },
      });
    } catch (error) {
      this.socket = null;
      this.dropped(error instanceof Error ? error.message : String(error));
      return;
    }
    this.socket = socket;
  }

  private take(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const hint = paymentHintSchema.safeParse(json);
    if (!hint.success) {
      // Never logged in full: it is not ours to trust, and nothing in it is needed to see that it was wrong.
      this.deps.logger.warn('hub push channel: unreadable message ignored', { bytes: text.length });
      return;
    }
    this.hintsReceived += 1;
    try {
      this.deps.onHint(hint.data);
    } catch (error) {
      this.deps.logger.error('hub push channel: hint not taken (polling will find the payment)', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private dropped(why: string): void {
    if (this.current === 'stopped') return;
    this.socket?.close();
    this.socket = null;
    this.clearTimers();
    this.failures += 1;
    const { baseMs, capMs } = this.backoff();
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(16, this.failures - 1));
    const delay = Math.round(ceiling / 2 + (this.deps.random ?? Math.random)() * (ceiling / 2));
    this.current = 'waiting';
    this.deps.logger.warn('hub push channel closed; opening again', { why: why.slice(0, 200), failures: this.failures, inMs: delay });
    this.retryTimer = this.timers().set(() => this.connect(), delay);
  }

  /** Something came from the hub: the connection is alive; a silence as long as `silenceMs` means it is not. */
  private heard(): void {
    const timers = this.timers();
    if (this.silenceTimer !== null) timers.clear(this.silenceTimer);
    this.silenceTimer = timers.set(() => {
      this.silenceTimer = null;
      this.dropped('nothing from the hub (no ping)');
    }, this.deps.silenceMs ?? DEFAULT_SILENCE_MS);
  }

  private clearTimers(): void {
    const timers = this.timers();
    if (this.retryTimer !== null) timers.clear(this.retryTimer);
    if (this.silenceTimer !== null) timers.clear(this.silenceTimer);
    this.retryTimer = this.silenceTimer = null;
  }

  private backoff(): { baseMs: number; capMs: number } {
    return this.deps.backoff ?? DEFAULT_BACKOFF;
  }

  private timers(): NonNullable<PushChannelDeps['timers']> {
    return this.deps.timers ?? {
      set: (run, ms) => {
        const handle = setTimeout(run, ms);
        // The channel alone never keeps the process alive (the app's own lifetime decides).
        handle.unref();
        return handle;
      },
      clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
  }
}
