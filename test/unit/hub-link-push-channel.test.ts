import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../shared/log';
import type { PaymentHint } from '../../shared/hub-protocol';
import { PushChannel } from '../../electron/hub-link/push-channel';
import type { HubSocketHandlers, OpenHubSocket } from '../../electron/hub-link/push-socket';

/**
 * The push channel's own decisions, with its one side effect (the socket) and its timers in hand: when it opens
 * again and after how long, what it passes on, when it takes a silent connection for dead. The real socket against
 * a real hub is in test/integration/hub/hub-push-channel-counter.test.ts.
 */
const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function rig(random = () => 0.5) {
  const opened: { url: string; headers: Record<string, string>; handlers: HubSocketHandlers; closed: boolean }[] = [];
  const timers: { run: () => void; ms: number; live: boolean }[] = [];
  const hints: PaymentHint[] = [];
  const open: OpenHubSocket = (url, headers, handlers) => {
    const socket = { url, headers, handlers, closed: false };
    opened.push(socket);
    return { close: () => void (socket.closed = true) };
  };
  const logger = new MemoryLogger();
  const channel = new PushChannel({
    identity: () => ({ hubUrl: 'https://hub.example.com/base', terminalId: 'AB12', privateKeyPem: pem }),
    open, onHint: (hint) => hints.push(hint), logger, now: () => 1_000, random,
    timers: {
      set: (run, ms) => {
        const timer = { run, ms, live: true };
        timers.push(timer);
        return timer;
      },
      clear: (handle) => void ((handle as { live: boolean }).live = false),
    },
  });
  /** Runs the one live timer of that length (reconnect or silence), as if that time had passed. */
  const fire = (ms: number): void => {
    const due = timers.find((t) => t.live && t.ms === ms);
    if (!due) throw new Error(`no live timer of ${ms} ms (live: ${timers.filter((t) => t.live).map((t) => t.ms).join(',')})`);
    due.live = false;
    due.run();
  };
  const liveDelays = (): number[] => timers.filter((t) => t.live).map((t) => t.ms);
  return { channel, opened, timers, hints, logger, fire, liveDelays };
}

describe('the counter\'s push channel', () => {
  it('opens a signed WebSocket at the contract path under the hub\'s base URL', () => {
    const r = rig();
    r.channel.start();
    expect(r.opened).toHaveLength(1);
    expect(r.opened[0]?.url).toBe('wss://hub.example.com/base/api/counter/v1/push');
    expect(r.opened[0]?.headers).toMatchObject({ 'x-pos-terminal': 'AB12', 'x-pos-timestamp': '1000' });
    expect(r.channel.state()).toBe('connecting');
  });

  it('opens again after refusals with a jittered backoff that doubles to its cap, and starts over once a connection opened', () => {
    const draws = [0, 1, 0.5, 0, 1, 1, 1, 1, 1, 0];
    const r = rig(() => draws.shift() ?? 0);
    r.channel.start();
    const delays: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      r.opened.at(-1)?.handlers.onClose({ status: 401, message: 'HTTP 401' });
      const [delay] = r.liveDelays();
      delays.push(delay ?? -1);
      r.fire(delay ?? -1);
    }
    // Each delay lies in the upper half of 1 s, 2 s, 4 s ... capped at 60 s.
    expect(delays).toEqual([500, 2_000, 3_000, 4_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    r.opened.at(-1)?.handlers.onOpen();
    expect(r.channel.state()).toBe('open');
    r.opened.at(-1)?.handlers.onClose({ status: null, message: 'closed (1006)' });
    expect(r.liveDelays()).toEqual([500]);
    expect(r.channel.counts().opened).toBe(1);
  });

  it('passes valid hints on and ignores anything else without logging its content', () => {
    const r = rig();
    r.channel.start();
    const socket = r.opened[0];
    socket?.handlers.onOpen();
    socket?.handlers.onMessage('{"type":"hint","kind":"paid","outTradeNo":"AB12abcdefgh261207P000001","outRefundNo":null}');
    socket?.handlers.onMessage('not json at all');
    socket?.handlers.onMessage('{"type":"hint","kind":"paid","outTradeNo":"AB12abcdefgh261207P000002","outRefundNo":null,"amountFen":1}');
    socket?.handlers.onMessage('{"type":"paid","secret":"do-not-log"}');
    expect(r.hints).toEqual([{ type: 'hint', kind: 'paid', outTradeNo: 'AB12abcdefgh261207P000001', outRefundNo: null }]);
    expect(r.channel.counts().hints).toBe(1);
    expect(JSON.stringify(r.logger.lines)).not.toContain('do-not-log');
    expect(r.channel.state()).toBe('open');
  });

  it('takes a connection that stays silent past two of the hub\'s pings for dead and opens a new one', () => {
    const r = rig();
    r.channel.start();
    r.opened[0]?.handlers.onOpen();
    r.opened[0]?.handlers.onPing();
    r.fire(60_000);
    expect(r.opened[0]?.closed).toBe(true);
    expect(r.channel.state()).toBe('waiting');
    r.fire(750);
    expect(r.opened).toHaveLength(2);
  });

  it('opens nothing while not enrolled, and nothing more once stopped', () => {
    const r = rig();
    const idle = new PushChannel({
      identity: () => null, open: () => {
        throw new Error('must not open');
      }, onHint: () => undefined, logger: r.logger, now: () => 0,
      timers: { set: () => null, clear: () => undefined },
    });
    idle.start();
    expect(idle.state()).toBe('waiting');
    r.channel.start();
    r.channel.stop();
    expect(r.opened[0]?.closed).toBe(true);
    r.opened[0]?.handlers.onClose({ status: null, message: 'late close' });
    expect(r.liveDelays()).toEqual([]);
    expect(r.channel.state()).toBe('stopped');
  });
});
