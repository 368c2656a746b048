import { createHash, createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  enrolRequestSchema,
  heartbeatRequestSchema,
  HUB_HEADERS,
  HUB_PATHS,
  pushFactsRequestSchema,
  signingBase,
  SIGNATURE_MAX_SKEW_MS,
  type HeartbeatRequest,
} from '../../shared/hub-protocol';

/**
 * A small stand-in for the hub's counter API, checking every signed request exactly as shared/hub-protocol.ts says
 * (timestamp skew, one-time nonce, Ed25519 over `signingBase` with the raw body's SHA-256). The real hub
 * (electron/hub/) replaces it in the integration tests once both branches are merged.
 */
export interface HubPeer {
  url: string;
  /** What the next requests get: normal answers, 503 (hub down), 401 REVOKED. */
  mode: 'ok' | 'down' | 'revoked';
  /** Facts held, by seq; the pushes' seq lists in arrival order; heartbeats; requests whose signature failed. */
  facts: Map<number, { kind: string; body: string }>;
  pushes: number[][];
  heartbeats: HeartbeatRequest[];
  badSignatures: number;
  close(): Promise<void>;
}

export async function startHubPeer(pairingCode = 'ABCDEFGH23'): Promise<HubPeer> {
  let publicKey: string | null = null;
  const nonces = new Set<string>();
  const peer: HubPeer = {
    url: '',
    mode: 'ok',
    facts: new Map(),
    pushes: [],
    heartbeats: [],
    badSignatures: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const highWater = (): number => {
    let n = 0;
    while (peer.facts.has(n + 1)) n += 1;
    return n;
  };
  const verified = (req: IncomingMessage, raw: string): boolean => {
    const header = (name: string): string => String(req.headers[name] ?? '');
    const timestamp = Number(header(HUB_HEADERS.timestamp));
    const nonce = header(HUB_HEADERS.nonce);
    if (!publicKey || header(HUB_HEADERS.terminal) !== 'T07' || !Number.isSafeInteger(timestamp)) return false;
    if (Math.abs(Date.now() - timestamp) > SIGNATURE_MAX_SKEW_MS || nonce.length < 16 || nonces.has(nonce)) return false;
    const bodyHash = req.method === 'GET' ? '' : createHash('sha256').update(raw, 'utf8').digest('hex');
    const base = signingBase(req.method ?? '', req.url ?? '', timestamp, nonce, bodyHash);
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    const ok = verify(null, Buffer.from(base, 'utf8'), key, Buffer.from(header(HUB_HEADERS.signature), 'base64url'));
    if (ok) nonces.add(nonce);
    return ok;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      const refuse = (status: number, code: string): void => send(status, { error: { code, message: `${code} / ${code}` } });
      if (peer.mode === 'down') return refuse(503, 'INTERNAL');
      if (req.url === HUB_PATHS.enrol && req.method === 'POST') {
        const parsed = enrolRequestSchema.safeParse(JSON.parse(raw));
        if (!parsed.success) return refuse(400, 'BAD_REQUEST');
        if (parsed.data.pairingCode !== pairingCode) return refuse(400, 'PAIRING_CODE_INVALID');
        publicKey = parsed.data.publicKey;
        return send(200, { terminalId: 'T07', storeId: 'S1', storeName: '南京路店', hubId: 'HUB-1' });
      }
      if (peer.mode === 'revoked') return refuse(401, 'REVOKED');
      if (!verified(req, raw)) {
        peer.badSignatures += 1;
        return refuse(401, 'UNAUTHENTICATED');
      }
      if (req.url === HUB_PATHS.facts && req.method === 'POST') {
        const parsed = pushFactsRequestSchema.safeParse(JSON.parse(raw));
        if (!parsed.success) return refuse(400, 'BAD_REQUEST');
        let stored = 0;
        for (const f of parsed.data.facts) {
          if (!peer.facts.has(f.seq)) {
            peer.facts.set(f.seq, { kind: f.kind, body: f.body });
            stored += 1;
          }
        }
        peer.pushes.push(parsed.data.facts.map((f) => f.seq));
        return send(200, { highWater: highWater(), stored, conflicting: [] });
      }
      if (req.url === HUB_PATHS.heartbeat && req.method === 'POST') {
        const parsed = heartbeatRequestSchema.safeParse(JSON.parse(raw));
        if (!parsed.success) return refuse(400, 'BAD_REQUEST');
        peer.heartbeats.push(parsed.data);
        return send(200, { ok: true });
      }
      return refuse(404, 'NOT_FOUND');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return peer;
}
