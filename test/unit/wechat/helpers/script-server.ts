import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
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
}

export type ScriptedAnswer =
  | { status: number; headers?: Record<string, string>; body: string | Buffer }
  /** Accept the request and never answer. */
  | 'hang'
  /** Destroy the connection without an answer. */
  | 'drop';

export type Script = (request: RecordedRequest) => ScriptedAnswer;

export interface ScriptServer {
  url: string;
  requests: RecordedRequest[];
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
      };
      requests.push(recorded);
      const answer = current(recorded);
      if (answer === 'hang') return;
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body);
    });
  };
  const server = tls
    ? https.createServer(
        { cert: tls.certPem, key: tls.keyPem, ca: tls.clientCaPem, requestCert: Boolean(tls.clientCaPem), rejectUnauthorized: false },
        handler,
      )
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
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
