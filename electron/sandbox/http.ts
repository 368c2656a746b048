import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * The sandbox's HTTP plumbing. Routes return a SandboxResponse instead of writing to the socket, so the fault
 * layer can drop, replace or tamper with an answer after the request has been processed.
 */

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What the TLS layer saw of the caller's client certificate. */
export type ClientCertState =
  | { kind: 'no-tls' }
  | { kind: 'none' }
  | { kind: 'untrusted' }
  | { kind: 'trusted'; serial: string };

export interface SandboxRequest {
  method: string;
  /** Path and query exactly as received: what a v3 signature covers. */
  rawUrl: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  clientCert: ClientCertState;
}

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

function clientCertOf(req: IncomingMessage): ClientCertState {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return { kind: 'no-tls' };
  const peer = socket.getPeerCertificate();
  if (Object.keys(peer).length === 0) return { kind: 'none' };
  if (socket.authorized !== true) return { kind: 'untrusted' };
  return { kind: 'trusted', serial: peer.serialNumber.toUpperCase() };
}

export async function readRequest(req: IncomingMessage): Promise<SandboxRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('request body too large');
    chunks.push(buf);
  }
  const rawUrl = req.url ?? '/';
  const parsed = new URL(rawUrl, 'http://sandbox.invalid');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    rawUrl,
    path: parsed.pathname,
    query: parsed.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks),
    clientCert: clientCertOf(req),
  };
}

export function writeResponse(res: ServerResponse, response: SandboxResponse): void {
  res.writeHead(response.status, { ...response.headers, 'Content-Length': String(response.body.length) });
  res.end(response.body);
}

export function textResponse(status: number, contentType: string, text: string, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'Content-Type': contentType, ...headers }, body: Buffer.from(text, 'utf8') };
}

export function jsonResponse(status: number, value: unknown): SandboxResponse {
  return textResponse(status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/** The page the real service's nginx front answers with for transport-level errors (no client cert, 5xx...). */
export function nginxErrorPage(status: number, title: string, detail?: string): SandboxResponse {
  const center = detail === undefined ? '' : `<center>${detail}</center>\r\n`;
  const html =
    `<html>\r\n<head><title>${status} ${detail ?? title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${status} ${title}</h1></center>\r\n${center}<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return textResponse(status, 'text/html', html);
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
