import { describe, expect, it } from 'vitest';
import { buildCallingBridge, buildReceiveBridge, type IpcRendererLike } from '../../../electron/preload/bridge';
import { IPC_EVENT_CHANNEL } from '../../../shared/api';

function fakeIpc() {
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc: IpcRendererLike = {
    invoke: (channel, ...args) => {
      invoked.push({ channel, args });
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (name: string, payload: unknown): void => {
    for (const l of listeners.get(IPC_EVENT_CHANNEL) ?? []) l({}, name, payload);
  };
  return { ipc, invoked, emit, listeners };
}

describe('the preload bridge', () => {
  it('invokes the contract channel of a known method', async () => {
    const { ipc, invoked } = fakeIpc();
    await buildCallingBridge(ipc, 'cashier').call('cart.preview', { lines: [] });
    expect(invoked).toEqual([{ channel: 'pos:call:cart.preview', args: [{ lines: [] }] }]);
  });

  it('never reaches a channel outside the contract', async () => {
    const { ipc, invoked } = fakeIpc();
    const result = await buildCallingBridge(ipc, 'cashier').call('../../evil', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(invoked).toEqual([]);
  });

  it('does not let a window call a method reserved for other windows', async () => {
    const { ipc, invoked } = fakeIpc();
    await buildCallingBridge(ipc, 'manager').call('cart.preview', { lines: [] });
    expect(invoked).toEqual([]);
  });

  it('gives the customer display no way to call at all', () => {
    const { ipc } = fakeIpc();
    expect('call' in buildReceiveBridge(ipc, 'display')).toBe(false);
  });

  it('delivers only the subscribed event and stops after unsubscribe', () => {
    const { ipc, emit } = fakeIpc();
    const got: unknown[] = [];
    const off = buildReceiveBridge(ipc, 'display').on('display.state', (p) => got.push(p));
    emit('app.info', { a: 1 });
    emit('display.state', { kind: 'idle' });
    off();
    emit('display.state', { kind: 'paid' });
    expect(got).toEqual([{ kind: 'idle' }]);
  });

  it('refuses to subscribe a window to an event outside its audience', () => {
    const { ipc } = fakeIpc();
    expect(() => buildReceiveBridge(ipc, 'manager').on('display.state', () => {})).toThrow();
  });
});
