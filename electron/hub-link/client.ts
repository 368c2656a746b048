import { z } from 'zod';
import {
  HUB_PATHS,
  terminalIdSchema,
  type EnrolAnswer,
  type EnrolRequest,
  type FactEnvelope,
  type HeartbeatRequest,
  type HighWaterAnswer,
  type HubErrorBody,
  type HubSaleView,
  type PushFactsAnswer,
  type ReferenceAnswer,
} from '../../shared/hub-protocol';
import type { RefundClearanceAnswer, RefundClearanceRequest } from '../../shared/hub-settlement-api';
import type { HubHttp } from './http';
import { signedHeaders } from './keys';

/**
 * The counter's HTTP client for the hub (shared/hub-protocol.ts). Every answer is validated where it enters;
 * every failure becomes a HubCallError saying what kind it was, so the push worker can tell "try again later"
 * (network, 5xx, rate limit) from "stop" (401 / REVOKED) from "this request is wrong" (other 4xx).
 */
export type HubErrorCode = HubErrorBody['error']['code'];

export class HubCallError extends Error {
  constructor(
    /** network: no answer (down, timeout, refused); http: an error answer; malformed: an answer we cannot read. */
    readonly kind: 'network' | 'http' | 'malformed',
    message: string,
    readonly status: number | null = null,
    readonly code: HubErrorCode | null = null,
  ) {
    super(message);
  }

  /**
   * The hub will not take anything from this terminal until it enrols again. A clock too far from the hub's is not
   * that: the same request signed at the right time is accepted, so the link keeps trying (see `retryable`).
   */
  get stopsTheLink(): boolean {
    if (this.code === 'CLOCK_SKEW') return false;
    return this.kind === 'http' && (this.status === 401 || this.code === 'REVOKED' || this.code === 'UNAUTHENTICATED');
  }

  /** Worth trying again later, unchanged (re-signed: a new timestamp and nonce). */
  get retryable(): boolean {
    if (this.code === 'CLOCK_SKEW') return true;
    return this.kind !== 'http' || this.status === null || this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

const enrolAnswerSchema = z.object({
  terminalId: terminalIdSchema,
  storeId: z.string().min(1).max(100),
  storeName: z.string().max(100),
  hubId: z.string().min(1).max(100),
  // A hub from before re-enrolments continued numbering does not send it: it holds nothing of this key yet.
  highWater: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});
const pushAnswerSchema = z.object({
  highWater: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  stored: z.number().int().min(0),
  conflicting: z.array(z.number().int().min(1)).max(10_000),
});
/** Reference data as the hub sends it (items, staff, store settings); bounds as the counter's own tables. */
const referenceAnswerSchema = z.object({
  revision: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  items: z.array(z.object({
    hubItemId: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(64),
    barcode: z.string().min(3).max(32).nullable(),
    priceFen: z.number().int().min(0).max(100_000_000),
    quick: z.boolean(),
    position: z.number().int().min(0).max(1_000_000),
    active: z.boolean(),
  })).max(100_000).optional(),
  staff: z.array(z.object({
    staffId: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(20),
    role: z.enum(['cashier', 'manager', 'owner']),
    pinHash: z.string().regex(/^scrypt\$/).max(200),
    active: z.boolean(),
  })).max(10_000).optional(),
  store: z.object({
    storeId: z.string().min(1).max(100),
    name: z.string().trim().min(1).max(40),
    address: z.string().trim().max(80),
    receiptFooter: z.string().trim().max(200),
    maxCashOutFen: z.number().int().min(0).max(100_000_000),
    maxRefundFen: z.number().int().min(0).max(100_000_000),
    wechat: z.object({ mchid: z.string().max(32).nullable(), subMchid: z.string().max(32).nullable(), appid: z.string().max(32).nullable() }),
    wechatNotifyUrls: z.object({ v3: z.url({ protocol: /^https?$/ }).max(300), v2: z.url({ protocol: /^https?$/ }).max(300) }).nullable().optional(),
  }).optional(),
});
const highWaterAnswerSchema = z.object({ highWater: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });
const fenSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const saleViewSchema: z.ZodType<HubSaleView> = z.object({
  terminalId: z.string().min(1).max(6),
  receiptNo: z.number().int().min(1),
  state: z.enum(['open', 'paid', 'voided']),
  totalFen: fenSchema,
  createdAt: z.number().int().min(0),
  paidAt: z.number().int().min(0).nullable(),
  lines: z.array(z.object({ name: z.string().max(200), unitFen: fenSchema, quantity: z.number().int().min(1), amountFen: fenSchema })).max(10_000),
  tenders: z.array(z.object({
    kind: z.enum(['wechat-code', 'wechat-qr', 'cash']), amountFen: fenSchema, state: z.string().max(20),
    outTradeNo: z.string().max(32).nullable(), transactionId: z.string().max(64).nullable(), refundedFen: fenSchema,
  })).max(1_000),
});
const refundClearanceAnswerSchema: z.ZodType<RefundClearanceAnswer> = z.object({
  clear: z.boolean(),
  returns: z.array(z.object({
    account: z.string().max(32), amountFen: fenSchema, state: z.enum(['sent', 'done', 'failed']), failReason: z.string().max(1_000).nullable(),
  })).max(100),
});
const errorBodySchema = z.object({ error: z.object({ code: z.string().max(40), message: z.string().max(500) }) });

export interface HubIdentity {
  hubUrl: string;
  terminalId: string;
  privateKeyPem: string;
}

export interface HubClientDeps {
  http: HubHttp;
  now: () => number;
  timeoutMs?: number;
}

export class HubClient {
  constructor(private readonly deps: HubClientDeps) {}

  enrol(hubUrl: string, request: EnrolRequest): Promise<EnrolAnswer> {
    return this.call(hubUrl, 'POST', HUB_PATHS.enrol, JSON.stringify(request), null, enrolAnswerSchema);
  }

  pushFacts(id: HubIdentity, facts: readonly FactEnvelope[]): Promise<PushFactsAnswer> {
    return this.call(id.hubUrl, 'POST', HUB_PATHS.facts, JSON.stringify({ facts }), id, pushAnswerSchema);
  }

  highWater(id: HubIdentity): Promise<HighWaterAnswer> {
    return this.call(id.hubUrl, 'GET', HUB_PATHS.highWater, null, id, highWaterAnswerSchema);
  }

  /** Another counter's sale of this store, by the terminal and receipt number printed on its receipt. */
  lookupSale(id: HubIdentity, terminal: string, receiptNo: number): Promise<HubSaleView> {
    const query = new URLSearchParams({ terminal, receiptNo: String(receiptNo) }).toString();
    return this.call(id.hubUrl, 'GET', `${HUB_PATHS.saleLookup}?${query}`, null, id, saleViewSchema);
  }

  /** Items, staff and store settings changed since `since` (shared/hub-protocol.ts ReferenceAnswer). */
  reference(id: HubIdentity, since: number): Promise<ReferenceAnswer> {
    return this.call(id.hubUrl, 'GET', `${HUB_PATHS.reference}?since=${since}`, null, id, referenceAnswerSchema);
  }

  /** Before refunding a profit-sharing order: the hub returns the split money first (shared/hub-settlement-api.ts). */
  refundClearance(id: HubIdentity, request: RefundClearanceRequest): Promise<RefundClearanceAnswer> {
    return this.call(id.hubUrl, 'POST', HUB_PATHS.refundClearance, JSON.stringify(request), id, refundClearanceAnswerSchema);
  }

  async heartbeat(id: HubIdentity, request: HeartbeatRequest): Promise<void> {
    await this.call(id.hubUrl, 'POST', HUB_PATHS.heartbeat, JSON.stringify(request), id, z.unknown());
  }

  private async call<T>(
    hubUrl: string,
    method: 'GET' | 'POST',
    path: string,
    body: string | null,
    id: HubIdentity | null,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const url = joinUrl(hubUrl, path);
    const headers = id ? signedHeaders(id.privateKeyPem, id.terminalId, method, path, body, this.deps.now()) : {};
    let response;
    try {
      response = await this.deps.http({ method, url, headers, body, timeoutMs: this.deps.timeoutMs ?? 15_000 });
    } catch (error) {
      throw new HubCallError('network', `总部无法连接 / hub unreachable: ${describeNetworkError(error)}`);
    }
    let json: unknown;
    try {
      json = response.text.length === 0 ? null : JSON.parse(response.text);
    } catch {
      json = undefined;
    }
    if (response.status < 200 || response.status >= 300) {
      const parsed = errorBodySchema.safeParse(json);
      const code = parsed.success ? (parsed.data.error.code as HubErrorCode) : null;
      const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
      throw new HubCallError('http', message, response.status, code);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new HubCallError('malformed', '总部的回答无法识别 / the hub answered something this counter cannot read', response.status);
    return parsed.data;
  }
}

/** The hub's base URL with the contract's path; a base with a path prefix (behind a proxy) keeps it. */
export function joinUrl(hubUrl: string, path: string): string {
  return `${hubUrl.replace(/\/+$/, '')}${path}`;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
  return typeof cause?.code === 'string' ? cause.code : error.message.slice(0, 120);
}
