import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../shared/clock';
import { MemoryLogger } from '../../shared/log';
import { HUB_ADMIN_PATHS, type PairingCodeAnswer, type StoreView } from '../../shared/hub-admin-api';
import { HUB_HEADERS, HUB_PATHS, signingBase, type EnrolAnswer, type FactEnvelope } from '../../shared/hub-protocol';
import { startHub, type HubOptions, type RunningHub } from '../../electron/hub/app';
import { freshPostgresDatabase } from './postgres-database';

/** The hub under test, started in-process on a free port with a hand-moved clock, on either engine. */
export type HubEngine = 'sqlite' | 'postgres';
export const HUB_ENGINES: readonly HubEngine[] = ['sqlite', 'postgres'];
export const HUB_TEST_START = Date.UTC(2026, 11, 7, 2, 0, 0);

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface HubUnderTest {
  hub: RunningHub;
  clock: ManualClock;
  log: MemoryLogger;
  admin: AdminClient;
  dataDir: string;
  close(): Promise<void>;
}

/** `extra`: more of the hub's options (e.g. its WeChat Pay merchants, the rollup job's debounce). */
export async function startTestHub(engine: HubEngine, extra: Pick<HubOptions, 'merchants' | 'rollupDebounceMs'> = {}): Promise<HubUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-test-'));
  const clock = new ManualClock(HUB_TEST_START);
  const log = new MemoryLogger();
  const databaseUrl = engine === 'postgres' ? await freshPostgresDatabase() : undefined;
  const hub = await startHub({ dataDir, port: 0, databaseUrl, clock, log, ...extra });
  return {
    hub, clock, log, admin: new AdminClient(hub.url), dataDir,
    async close() {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function call<T>(url: string, init: RequestInit): Promise<Answer<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  // JSON answers parsed; anything else (a PDF, a page) kept as text.
  const json = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, body: (json && text ? JSON.parse(text) : text || null) as T, headers: response.headers };
}

/** The head office's side: JSON calls with the session cookie kept like a browser would. */
export class AdminClient {
  private cookie = '';
  constructor(readonly baseUrl: string) {}

  /** The session cookie as a browser would send it (for downloads read as bytes, not JSON). */
  cookieHeader(): string {
    return this.cookie;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const answer = await call<T>(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = answer.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    return answer;
  }

  /** Runs the first-start setup with the ready line's token; returns the first store. */
  async setUp(adminUrl: string | null, password = 'correct horse battery'): Promise<StoreView> {
    const token = new URL(adminUrl ?? 'http://x/').searchParams.get('token') ?? '';
    const answer = await this.request('POST', HUB_ADMIN_PATHS.setup, { token, ownerName: '王老板', password, storeName: '一号店' });
    if (answer.status !== 200) throw new Error(`setup failed: ${JSON.stringify(answer.body)}`);
    const stores = await this.request<StoreView[]>('GET', HUB_ADMIN_PATHS.stores);
    const first = stores.body[0];
    if (!first) throw new Error('setup made no store');
    return first;
  }

  async pairingCode(storeId: string): Promise<string> {
    const answer = await this.request<PairingCodeAnswer>('POST', HUB_ADMIN_PATHS.pairingCodes(storeId), {});
    if (answer.status !== 201) throw new Error(`pairing code refused: ${JSON.stringify(answer.body)}`);
    return answer.body.code;
  }
}

export interface SignOverrides {
  timestamp?: number;
  nonce?: string;
  terminalId?: string;
  privateKey?: KeyObject;
  signature?: string;
}

/** A counter as the hub sees it: its own Ed25519 key pair, enrolled with a pairing code, signing every call. */
export class TestCounter {
  readonly privateKey: KeyObject;
  readonly publicKeyBase64: string;
  terminalId = '';

  constructor(readonly baseUrl: string, private readonly clock: ManualClock) {
    const pair = generateKeyPairSync('ed25519');
    this.privateKey = pair.privateKey;
    this.publicKeyBase64 = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  }

  async enrol(pairingCode: string, counterName = '1号收银台'): Promise<Answer<EnrolAnswer>> {
    const answer = await call<EnrolAnswer>(`${this.baseUrl}${HUB_PATHS.enrol}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode, publicKey: this.publicKeyBase64, counterName, appVersion: '0.1.0' }),
    });
    if (answer.status === 200) this.terminalId = answer.body.terminalId;
    return answer;
  }

  /** The x-pos-* headers of a signed GET (e.g. the push channel's WebSocket upgrade). */
  signedGetHeaders(pathWithQuery: string): Record<string, string> {
    const timestamp = this.clock.now();
    const nonce = randomBytes(16).toString('base64url');
    const signature = sign(null, Buffer.from(signingBase('GET', pathWithQuery, timestamp, nonce, '')), this.privateKey).toString('base64url');
    return { [HUB_HEADERS.terminal]: this.terminalId, [HUB_HEADERS.timestamp]: String(timestamp), [HUB_HEADERS.nonce]: nonce, [HUB_HEADERS.signature]: signature };
  }

  async signed<T = unknown>(method: 'GET' | 'POST', pathWithQuery: string, body?: string, o: SignOverrides = {}): Promise<Answer<T>> {
    const timestamp = o.timestamp ?? this.clock.now();
    const nonce = o.nonce ?? randomBytes(16).toString('base64url');
    const raw = method === 'GET' ? '' : (body ?? '');
    const hash = method === 'GET' ? '' : createHash('sha256').update(raw).digest('hex');
    const signature = o.signature ?? sign(null, Buffer.from(signingBase(method, pathWithQuery, timestamp, nonce, hash)), o.privateKey ?? this.privateKey).toString('base64url');
    return call<T>(`${this.baseUrl}${pathWithQuery}`, {
      method,
      headers: {
        'content-type': 'application/json',
        [HUB_HEADERS.terminal]: o.terminalId ?? this.terminalId,
        [HUB_HEADERS.timestamp]: String(timestamp),
        [HUB_HEADERS.nonce]: nonce,
        [HUB_HEADERS.signature]: signature,
      },
      body: method === 'GET' ? undefined : raw,
    });
  }

  pushFacts<T = unknown>(facts: readonly FactEnvelope[], o: SignOverrides = {}): Promise<Answer<T>> {
    return this.signed<T>('POST', HUB_PATHS.facts, JSON.stringify({ facts }), o);
  }
}

/** A sale fact as a counter would push it (the body is opaque JSON text to the hub today). */
export function saleFact(seq: number, totalFen = 1250 + seq, at = HUB_TEST_START): FactEnvelope {
  const body = {
    saleId: seq, terminalId: 'T01', receiptNo: seq, cashierId: 'c1', shiftId: null, state: 'paid', description: `Sale ${seq}`,
    totalFen, createdAt: at, paidAt: at, voidedAt: null, voidReason: null,
    lines: [{ lineNo: 1, name: 'Item', unitFen: totalFen, quantity: 1, amountFen: totalFen }],
    tenders: [{ tenderId: seq, kind: 'cash', amountFen: totalFen, state: 'paid', tenderedFen: totalFen, changeFen: 0, createdAt: at, settledAt: at, outTradeNo: null, transactionId: null }],
  };
  return { seq, kind: 'sale', at, body: JSON.stringify(body) };
}
