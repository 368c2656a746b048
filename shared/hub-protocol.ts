/**
 * THE contract between a counter and the hub (总部后台): every HTTP endpoint a counter calls, its request and
 * answer shapes, and how a request is signed. Both sides import it; the hub validates every request against these
 * schemas where it enters (electron/hub/), the counter validates every answer where it enters (electron/hub-link/).
 *
 * Trust: a counter enrols once with a single-use pairing code and its own Ed25519 public key; from then on every
 * request carries the terminal id, a timestamp, a nonce and an Ed25519 signature over them and the body's SHA-256
 * (see `signingBase`). The hub keeps only public keys (a copied hub database lets nobody act as a counter), and a
 * signature cannot be replayed later or against another path, even over plain HTTP on a store's LAN.
 *
 * Facts go up, reference data comes down (../shared/docs/hub.md):
 * - A fact is append-only and numbered per terminal, gapless, from 1 (`seq`). Its `body` travels as the exact
 *   JSON text the counter stored, so the hub can tell "the same fact again" (ignored) from "a different fact under
 *   a number it already has" (an alert) by comparing text, without any canonical-JSON rules.
 * - Items, staff and store settings are the hub's: a counter asks for everything changed `since` the revision it
 *   holds and replaces its copy in one transaction.
 */
import { z } from 'zod';

export const HUB_PROTOCOL_VERSION = 1;
export const HUB_API_PREFIX = '/api/counter/v1';

/** Largest request body the hub reads from a counter; larger ones are refused unread with 413. */
export const MAX_COUNTER_BODY_BYTES = 1024 * 1024;
/**
 * Largest fact body (UTF-8 bytes). Sized from the largest fact a counter can write: a sale of 500 lines (the cashier
 * API's limit) with 64-character Chinese names is about 170 KB. A fact over it could never be pushed and would stop
 * the link for good (the hub takes facts in order), so the limit must stay above anything the counter accepts.
 * Half the request limit, so one fact always fits a push even with every character escaped in the envelope.
 */
export const MAX_FACT_BODY_BYTES = 256 * 1024;
/** UTF-8 length of a string without encoding it (shared/ has no Buffer; 500 bodies per push are measured). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4; // a surrogate pair is one 4-byte character
        i++;
      } else bytes += 3;
    } else bytes += 3; // BMP characters; a lone surrogate is encoded as U+FFFD, also 3 bytes
  }
  return bytes;
}
/** Most facts in one push; the counter sends its backlog oldest first in batches of at most this many. */
export const MAX_FACTS_PER_PUSH = 500;
/** A signed request's timestamp may differ from the hub's clock by at most this much. */
export const SIGNATURE_MAX_SKEW_MS = 5 * 60_000;

/** Headers of a signed counter→hub request. */
export const HUB_HEADERS = {
  terminal: 'x-pos-terminal',
  timestamp: 'x-pos-timestamp',
  nonce: 'x-pos-nonce',
  signature: 'x-pos-signature',
} as const;

/**
 * The text a counter signs with its Ed25519 private key (signature sent base64url): method, path with query,
 * timestamp (ms), nonce and the lowercase hex SHA-256 of the raw body ('' for a GET), one per line.
 */
export function signingBase(method: string, pathWithQuery: string, timestamp: number, nonce: string, bodySha256Hex: string): string {
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${bodySha256Hex}\n`;
}

/**
 * A terminal id, unique in the chain and assigned by the hub at enrolment: it becomes the counter's `terminalId`
 * setting, which is printed on receipts and is part of every out_trade_no (hence at most 6 characters).
 */
export const terminalIdSchema = z.string().regex(/^[A-Z0-9]{2,6}$/);
/** A pairing code as shown at the hub: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
export const PAIRING_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const pairingCodeSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${PAIRING_CODE_ALPHABET}]{10}$`)));

// ---- Enrolment (the only unsigned call) -------------------------------------------------------------------------

export const enrolRequestSchema = z
  .object({
    pairingCode: pairingCodeSchema,
    /** The counter's Ed25519 public key, SPKI DER, base64. */
    publicKey: z.string().min(40).max(200),
    /** What the counter calls itself ("1号收银台"), shown at the hub. */
    counterName: z.string().trim().min(1).max(40),
    appVersion: z.string().max(40),
    /**
     * A counter enrolled before (its link stopped: revoked, or moved to another hub) names its previous terminal and
     * proves it holds that terminal's key, so at the same hub its facts continue where the hub already has them
     * instead of being numbered again from 1 under the new terminal id (which a hub would take as a gap, or as the
     * same sales twice). At another hub the whole history is sent from 1.
     */
    previous: z
      .object({
        hubId: z.string().min(1).max(64),
        terminalId: z.string().min(1).max(16),
        /** Ed25519 signature (base64url) by the previous terminal's key over `reenrolmentProofBase(publicKey)`. */
        proof: z.string().min(1).max(200),
      })
      .strict()
      .optional(),
  })
  .strict();
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

/** What a re-enrolling counter signs with its previous key: the new public key, so the proof cannot be replayed. */
export function reenrolmentProofBase(newPublicKey: string): string {
  return `pos-hub-reenrol\n${newPublicKey}`;
}

export interface EnrolAnswer {
  terminalId: string;
  storeId: string;
  storeName: string;
  /** The hub's own id: a counter refuses answers from a different hub than the one it enrolled with. */
  hubId: string;
  /**
   * The facts this hub already holds from this counter (its previous terminal's high-water on a re-enrolment, else
   * 0): the counter pushes from the next one.
   */
  highWater: number;
}

// ---- Facts up ----------------------------------------------------------------------------------------------------

export const FACT_KINDS = [
  'sale', // a sale with its lines and tenders, each time its state or a tender's state changes
  'wechat-attempt', // a WeChat payment attempt's final state (masked code and payer only)
  'refund', // a refund and each change of its state
  'cash-movement', // cash in / out / no-sale
  'shift', // a shift opened, counted, closed
  'z-report', // a numbered Z report as JSON with its SHA-256
  'audit', // an audit-chain entry (hash and previous hash: the chain stays verifiable at the hub)
  'risk-alert', // a risk alert raised or resolved
  'payment-alert', // a payment for a sale the counter was not showing, and how it was resolved
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export const factEnvelopeSchema = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    kind: z.enum(FACT_KINDS),
    /** When the counter recorded it (ms since epoch, the counter's clock). */
    at: z.number().int().min(0),
    /** The fact's body as the exact JSON text the counter stored; checked against its kind's schema at the hub. */
    body: z
      .string()
      .min(2)
      .max(MAX_FACT_BODY_BYTES)
      .refine((body) => utf8ByteLength(body) <= MAX_FACT_BODY_BYTES, { message: `a fact body is at most ${MAX_FACT_BODY_BYTES} bytes` }),
  })
  .strict();
export type FactEnvelope = z.infer<typeof factEnvelopeSchema>;

export const pushFactsRequestSchema = z
  .object({ facts: z.array(factEnvelopeSchema).min(1).max(MAX_FACTS_PER_PUSH) })
  .strict();
export type PushFactsRequest = z.infer<typeof pushFactsRequestSchema>;

export interface PushFactsAnswer {
  /** Every fact of this terminal up to and including this number is stored at the hub: the counter may forget them. */
  highWater: number;
  /** How many of the pushed facts were new; the rest were already held (identical) or conflicting. */
  stored: number;
  /** Numbers the hub already holds with a different body: an alert was raised at the hub, the hub's copy stands. */
  conflicting: number[];
}

export interface HighWaterAnswer {
  highWater: number;
}

// ---- Reference data down -----------------------------------------------------------------------------------------

export interface HubItem {
  /** The hub's id of the item: the counter keeps it to match later revisions. */
  hubItemId: string;
  name: string;
  barcode: string | null;
  /** This store's price (the chain price unless the store overrides it). */
  priceFen: number;
  quick: boolean;
  /** The quick key's place; stable until someone at the hub moves it. */
  position: number;
  /** Not sold at this store (discontinued, or switched off for this store). */
  active: boolean;
}

export interface HubStaffMember {
  staffId: string;
  name: string;
  role: 'cashier' | 'manager' | 'owner';
  /** `scrypt$N$r$p$salt$hash` made at the hub; never a PIN. Only sent to enrolled counters of a store they work at. */
  pinHash: string;
  active: boolean;
}

export interface HubStoreSettings {
  storeId: string;
  name: string;
  address: string;
  receiptFooter: string;
  /** Cash taken out of the drawer above this needs a manager's approval. */
  maxCashOutFen: number;
  /** Refunds above this need the owner. */
  maxRefundFen: number;
  wechat: { mchid: string | null; subMchid: string | null; appid: string | null };
  /**
   * Where WeChat notifies this store's orders: the hub's endpoints under its public base URL (owner's setting), or
   * null while none is set. Counters put the one of their API version on native orders and refunds. Absent from
   * hubs older than this field.
   */
  wechatNotifyUrls?: { v3: string; v2: string } | null;
}

export interface ReferenceAnswer {
  /** The revision this answer brings the counter to; ask again with `since=revision`. */
  revision: number;
  /** Each list is present only when something in it changed since `since`, and then complete (replace, not merge). */
  items?: HubItem[];
  staff?: HubStaffMember[];
  store?: HubStoreSettings;
}

export const referenceQuerySchema = z.object({ since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict();

// ---- Another counter's sale (for a refund) -----------------------------------------------------------------------

export const saleLookupQuerySchema = z
  .object({
    /** The terminal and receipt number printed on the receipt (and carried by the receipt's QR). */
    terminal: z.string().regex(/^[A-Za-z0-9]{1,6}$/),
    receiptNo: z.coerce.number().int().min(1).max(999_999_999),
  })
  .strict();

export interface HubSaleLine {
  name: string;
  unitFen: number;
  quantity: number;
  amountFen: number;
}

export interface HubSaleTender {
  kind: 'wechat-code' | 'wechat-qr' | 'cash';
  amountFen: number;
  state: string;
  /** For WeChat tenders: the order number at WeChat, which the refunding counter refunds against. */
  outTradeNo: string | null;
  transactionId: string | null;
  /** Already refunded from this tender, as far as the hub knows (facts of every counter of the store). */
  refundedFen: number;
}

export interface HubSaleView {
  terminalId: string;
  receiptNo: number;
  state: 'open' | 'paid' | 'voided';
  totalFen: number;
  createdAt: number;
  paidAt: number | null;
  lines: HubSaleLine[];
  tenders: HubSaleTender[];
}

// ---- The counter's state, for the head office's live view --------------------------------------------------------

export const heartbeatRequestSchema = z
  .object({
    appVersion: z.string().max(40),
    /** Facts written and not yet acknowledged, and the age of the oldest (ms). */
    backlog: z.number().int().min(0),
    oldestUnsentAt: z.number().int().min(0).nullable(),
    wechatReachable: z.boolean(),
    printer: z.enum(['ok', 'paper-out', 'offline', 'none']),
    scanner: z.enum(['ok', 'offline', 'none']),
    openShift: z.object({ shiftId: z.string().max(64), cashierName: z.string().max(20), openedAt: z.number().int() }).strict().nullable(),
  })
  .strict();
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

// ---- Errors ------------------------------------------------------------------------------------------------------

/** Every refusal from the hub: HTTP 4xx/5xx with this body. `message` is '中文 / English'. */
export interface HubErrorBody {
  error: {
    code:
      | 'BAD_REQUEST'
      | 'TOO_LARGE'
      | 'UNAUTHENTICATED' // no or bad signature; unknown terminal
      | 'CLOCK_SKEW' // the request's timestamp is too far from the hub's clock: fix the clock and try again (not a stop)
      | 'REVOKED' // the terminal was revoked at the hub: nothing it sends is stored
      | 'PAIRING_CODE_INVALID' // wrong, used or expired: one answer for all three, so codes cannot be probed
      | 'PREVIOUS_TERMINAL_ACTIVE' // a re-enrolling counter's previous terminal is not revoked yet
      | 'FORBIDDEN' // e.g. a fact naming another store's shift, a sale lookup in another store
      | 'NOT_FOUND'
      | 'RATE_LIMITED'
      | 'INTERNAL';
    message: string;
  };
}

/** The counter's paths, relative to the hub's base URL. */
export const HUB_PATHS = {
  enrol: `${HUB_API_PREFIX}/enrol`,
  facts: `${HUB_API_PREFIX}/facts`,
  highWater: `${HUB_API_PREFIX}/facts/high-water`,
  reference: `${HUB_API_PREFIX}/reference`,
  saleLookup: `${HUB_API_PREFIX}/sales/lookup`,
  heartbeat: `${HUB_API_PREFIX}/heartbeat`,
  /** POST (signed), shared/hub-settlement-api.ts RefundClearanceRequest: before refunding a profit-sharing order. */
  refundClearance: `${HUB_API_PREFIX}/settlement/refund-clearance`,
  /** GET, upgraded to a WebSocket with the usual signed headers: the hub pushes PaymentHint messages down it. */
  push: `${HUB_API_PREFIX}/push`,
} as const;

/**
 * The terminal an out_trade_no was made at: the counter writes `<terminal ≤8><install 8><yyMMdd><P|R><seq ≥6>`
 * (electron/payments/trade-no.ts), so the hub can route a notification's hint before any fact names the order.
 * Only a hint: what the hub records is matched against the counters' facts.
 */
export function terminalOfOrderNo(outTradeNo: string): string | null {
  return /^([0-9A-Za-z]{1,8})[0-9a-z]{8}\d{6}[PR]\d{6,}$/.exec(outTradeNo)?.[1] ?? null;
}

/**
 * What the hub pushes down a counter's push channel (GET HUB_PATHS.push, a WebSocket opened with the counter's
 * signed headers) when WeChat notified a payment or refund of one of its orders. A HINT: the counter confirms it
 * with its own query to WeChat before recording anything.
 */
export const paymentHintSchema = z
  .object({
    type: z.literal('hint'),
    kind: z.enum(['paid', 'refunded']),
    outTradeNo: z.string().min(1).max(32),
    outRefundNo: z.string().min(1).max(64).nullable(),
  })
  .strict();
export type PaymentHint = z.infer<typeof paymentHintSchema>;
