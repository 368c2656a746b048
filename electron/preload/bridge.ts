import {
  apiMethods,
  apiEventAudience,
  IPC_EVENT_CHANNEL,
  ipcInvokeChannel,
  isEventName,
  isMethodName,
  type WindowRole,
} from '../../shared/api';

/** The part of Electron's ipcRenderer a preload uses; typed here so the bridge is testable without Electron. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface ReceiveOnlyBridge {
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export interface CallingBridge extends ReceiveOnlyBridge {
  call(method: string, request: unknown): Promise<unknown>;
}

/**
 * What a window gets as `window.pos`. Channel names are checked against the contract here, in the preload, so a
 * compromised page cannot reach any IPC channel outside it; the main side checks again.
 */
export function buildReceiveBridge(ipc: IpcRendererLike, role: WindowRole): ReceiveOnlyBridge {
  return {
    on(event, listener) {
      if (!isEventName(event) || !apiEventAudience[event].includes(role)) {
        throw new Error(`event not available to this window: ${String(event)}`);
      }
      const handler = (_e: unknown, name: unknown, payload: unknown): void => {
        if (name === event) listener(payload);
      };
      ipc.on(IPC_EVENT_CHANNEL, handler);
      return () => {
        ipc.removeListener(IPC_EVENT_CHANNEL, handler);
      };
    },
  };
}

export function buildCallingBridge(ipc: IpcRendererLike, role: WindowRole): CallingBridge {
  return {
    ...buildReceiveBridge(ipc, role),
    call(method, request) {
      if (!isMethodName(method) || !apiMethods[method].windows.includes(role)) {
        return Promise.resolve({ ok: false, error: { code: 'FORBIDDEN', message: `not available to this window: ${String(method)}` } });
      }
      return ipc.invoke(ipcInvokeChannel(method), request);
    },
  };
}
