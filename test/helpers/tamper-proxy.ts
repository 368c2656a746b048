import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A man in the middle for tests: a plain-HTTP proxy on 127.0.0.1 that forwards every request to an HTTPS
 * upstream (the sandbox) and flips one byte of the answer's body on the way back. A client pointed at it must see
 * a parseable answer whose signature no longer matches, and fail closed.
 */

export interface TamperProxyOptions {
  upstream: string;
  /** Trust root for the upstream's certificate. */
  caCertPem: string;
  /** Client certificate presented upstream (the sandbox's secapi paths need one). */
  clientCertPem?: string;
  clientKeyPem?: string;
  /** Which byte to flip; by default one inside the first field value. Return -1 to pass the answer unchanged. */
  pick?: (body: Buffer, path: string) => number;
}

export interface TamperProxy {
  url: string;
  /** How many answers were changed so far. */
  readonly tampered: number;
  setPick(pick: (body: Buffer, path: string) => number): void;
  close(): Promise<void>;
}

const ALNUM = /[A-Za-z0-9]/;

/** The first letter or digit of the first field value: inside CDATA (v2 XML) or a JSON string (v3). */
export function firstValueByte(body: Buffer): number {
  const text = body.toString('latin1');
  const anchor = /<!\[CDATA\[/.exec(text) ?? /"[A-Za-z_]+":"/.exec(text);
  const start = anchor ? anchor.index + anchor[0].length : Math.floor(text.length / 2);
  for (let i = start; i < text.length; i += 1) if (ALNUM.test(text[i] ?? '')) return i;
  return body.length > 0 ? body.length - 1 : -1;
}

/** XOR 0x01: a letter or digit stays something that cannot break XML or JSON syntax ('"', '<', '\\' never result). */
export function flipByte(body: Buffer, at: number): Buffer {
  const copy = Buffer.from(body);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

export async function startTamperProxy(options: TamperProxyOptions): Promise<TamperProxy> {
  const upstream = new URL(options.upstream);
  const agent = new https.Agent({ ca: options.caCertPem, cert: options.clientCertPem, key: options.clientKeyPem, keepAlive: false });
  let pick = options.pick ?? ((body: Buffer) => firstValueByte(body));
  let tampered = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers, host: upstream.host };
      const forward = https.request(
        { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let body: Buffer = Buffer.concat(parts);
            const at = body.length > 0 ? pick(body, req.url ?? '/') : -1;
            if (at >= 0 && at < body.length) {
              body = flipByte(body, at);
              tampered += 1;
            }
            const out = { ...answer.headers, 'content-length': String(body.length) };
            delete out['transfer-encoding'];
            res.writeHead(answer.statusCode ?? 502, out);
            res.end(body);
          });
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get tampered() {
      return tampered;
    },
    setPick(next) {
      pick = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
