import { WebSocket, type RawData } from 'ws';

/**
 * The push channel's one side effect: a WebSocket to the hub opened with signed headers. Passed in from
 * electron/app.ts (`openWsHubSocket`); tests use the same real one against a real hub.
 */
export interface HubSocketHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  /** The hub's keep-alive ping (answered with a pong by the socket itself). */
  onPing(): void;
  /** Exactly once, unless the channel closed the socket itself. `status`: the HTTP status of a refused upgrade. */
  onClose(reason: { status: number | null; message: string }): void;
}

export interface HubSocket {
  close(): void;
}

export type OpenHubSocket = (url: string, headers: Record<string, string>, handlers: HubSocketHandlers) => HubSocket;

/** A hint is about 150 bytes; anything much larger is not one (the socket closes rather than buffering it). */
const MAX_MESSAGE_BYTES = 4_096;
const HANDSHAKE_TIMEOUT_MS = 15_000;

export const openWsHubSocket: OpenHubSocket = (url, headers, handlers) => {
  const ws = new WebSocket(url, { headers, maxPayload: MAX_MESSAGE_BYTES, handshakeTimeout: HANDSHAKE_TIMEOUT_MS, followRedirects: false });
  let ended = false;
  const end = (status: number | null, message: string): void => {
    if (ended) return;
    ended = true;
    handlers.onClose({ status, message });
  };
  ws.on('open', () => handlers.onOpen());
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (!isBinary) handlers.onMessage(rawText(data));
  });
  ws.on('ping', () => handlers.onPing());
  ws.on('unexpected-response', (_request, response) => {
    response.resume();
    end(response.statusCode ?? null, `HTTP ${response.statusCode ?? '?'}`);
    ws.terminate();
  });
  ws.on('error', (error) => {
    end(null, error.message.slice(0, 200));
    ws.terminate();
  });
  ws.on('close', (code) => end(null, `closed (${code})`));
  return {
    close() {
      ended = true;
      ws.terminate();
    },
  };
};

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
