/**
 * The body of each kind of fact a counter sends to the hub (shared/hub-protocol.ts FactKind), as the counter's
 * triggers write it (electron/db/migrations/0011-facts.ts). The hub checks every body here where facts enter.
 *
 * Strict where it matters (types, integer fen, known states, no payment code: `authCodeMasked` must be masked),
 * tolerant of fields added later (unknown keys are allowed), so an older hub accepts a newer counter's facts.
 */
import { z } from 'zod';
import { FACT_KINDS, type FactKind } from './hub-protocol';
import { isCheckedSale } from './hub-sale-check';

const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const signedFen = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const ms = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const id = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const text = (max: number): z.ZodString => z.string().max(max);
const terminalId = z.string().regex(/^[A-Za-z0-9]{1,6}$/);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
/** A masked payment code or openid: at most a few characters in clear, the rest starred. */
const masked = z.string().max(64).refine((s) => s.includes('*'), 'must be masked');

const saleLine = z.looseObject({ lineNo: id, name: text(200), unitFen: fen, quantity: z.number().int().min(1), amountFen: fen });
const saleTender = z.looseObject({
  tenderId: id,
  kind: z.enum(['wechat-code', 'wechat-qr', 'cash']),
  amountFen: fen,
  state: z.enum(['pending', 'paid', 'failed', 'cancelled', 'superseded']),
  tenderedFen: fen.nullable(),
  changeFen: fen.nullable(),
  createdAt: ms,
  settledAt: ms.nullable(),
  outTradeNo: text(32).nullable(),
  transactionId: text(64).nullable(),
});

export const saleFactSchema = z.looseObject({
  saleId: id,
  terminalId,
  receiptNo: id,
  cashierId: text(64).min(1),
  shiftId: text(64).nullable(),
  state: z.enum(['open', 'paid', 'voided']),
  description: text(200),
  totalFen: fen,
  createdAt: ms,
  paidAt: ms.nullable(),
  voidedAt: ms.nullable(),
  voidReason: text(500).nullable(),
  lines: z.array(saleLine).max(10_000),
  tenders: z.array(saleTender).max(1_000),
});

export const wechatAttemptFactSchema = z.looseObject({
  attemptId: id,
  saleId: id,
  tenderId: id,
  terminalId,
  receiptNo: id,
  mode: z.enum(['micropay', 'native']),
  outTradeNo: text(32).min(1),
  amountFen: fen,
  state: z.enum(['paid', 'failed', 'reversed', 'cancelled', 'closed', 'refunded', 'needs-attention']),
  authCodeMasked: masked.nullable(),
  payerMasked: masked.nullable(),
  transactionId: text(64).nullable(),
  bankType: text(64).nullable(),
  paidFen: fen.nullable(),
  successTime: ms.nullable(),
  failureCode: text(64).nullable(),
  createdAt: ms,
  resolvedAt: ms.nullable(),
  /**
   * When a request for this order may first have reached WeChat (null: never sent, e.g. given up offline). Added for
   * the dashboards' payment funnel (scanned → sent → result); optional so older counters' facts stay valid.
   */
  firstSentAt: ms.nullable().optional(),
});

/**
 * A refund. Of this counter's own sale: `saleId`, `receiptNo` and `tenderId` name it locally. Of a sale made at
 * another counter of the store (looked up at the hub): `originTerminalId` + `originReceiptNo` name the sale as
 * printed on its receipt, and the hub links the refund to it; the local ids are then the refunding counter's own
 * record of the refund (or null). Both origin fields are optional so older counters' facts stay valid.
 */
export const refundFactSchema = z.looseObject({
  refundId: id,
  saleId: id.nullable(),
  terminalId,
  receiptNo: id.nullable(),
  tenderId: id.nullable(),
  originTerminalId: terminalId.nullable().optional(),
  originReceiptNo: id.nullable().optional(),
  attemptId: id.nullable(),
  outTradeNo: text(32).nullable(),
  kind: z.enum(['wechat', 'cash']),
  outRefundNo: text(64).nullable(),
  amountFen: fen,
  state: z.enum(['queued', 'processing', 'succeeded', 'failed', 'abnormal']),
  approvedBy: text(64).min(1),
  reason: text(500).nullable(),
  requestedAt: ms,
  requestedOffline: z.boolean(),
  wechatRefundId: text(64).nullable(),
  failureCode: text(64).nullable(),
  finishedAt: ms.nullable(),
}).refine(
  (r) => (r.originTerminalId != null && r.originReceiptNo != null) || (r.originTerminalId == null && r.originReceiptNo == null && r.saleId !== null && r.receiptNo !== null && r.tenderId !== null),
  'a refund names either its own sale (saleId, receiptNo, tenderId) or another counter\'s (originTerminalId and originReceiptNo)',
);

export const cashMovementFactSchema = z.looseObject({
  movementId: id,
  shiftId: text(64).min(1),
  kind: z.enum(['in', 'out', 'no-sale']),
  amountFen: fen,
  reason: text(500),
  actorId: text(64).min(1),
  actorName: text(64),
  approvedBy: text(64).nullable(),
  at: ms,
});

export const shiftFactSchema = z.looseObject({
  event: z.enum(['opened', 'counted', 'closed']),
  shiftId: text(64).min(1),
  terminalId,
  cashierId: text(64).min(1),
  cashierName: text(64),
  state: z.enum(['open', 'closed']),
  openingFloatFen: fen,
  openedAt: ms,
  count: z.unknown().nullable(),
  countedFen: fen.nullable(),
  countedAt: ms.nullable(),
  expectedCashFen: signedFen.nullable(),
  differenceFen: signedFen.nullable(),
  countersignedBy: text(64).nullable(),
  closedWithPending: z.boolean(),
  closedBy: text(64).nullable(),
  closedAt: ms.nullable(),
  zNo: id.nullable(),
});

export const zReportFactSchema = z.looseObject({
  shiftId: text(64).min(1),
  terminalId,
  zNo: id,
  /** The report exactly as stored and hashed: SHA-256 of this text (UTF-8) is `sha256`. */
  reportJson: z.string().min(2).max(60_000),
  sha256: sha256Hex,
  createdAt: ms,
});

export const auditFactSchema = z.looseObject({
  auditSeq: id,
  at: ms,
  actorId: text(64).min(1),
  actorName: text(64),
  action: text(64).min(1),
  /** The canonical JSON text the hash covers. */
  details: z.string().max(60_000),
  prevHash: sha256Hex,
  hash: sha256Hex,
});

export const riskAlertFactSchema = z.looseObject({
  event: z.enum(['raised', 'acknowledged']),
  alertId: id,
  kind: text(40).min(1),
  actorId: text(64).min(1),
  count: z.number().int().min(1),
  windowMs: z.number().int().min(1),
  at: ms,
  acknowledgedAt: ms.nullable(),
  acknowledgedBy: text(64).nullable(),
});

export const paymentAlertFactSchema = z.looseObject({
  alertId: id,
  saleId: id,
  terminalId,
  receiptNo: id,
  attemptId: id,
  outTradeNo: text(32).min(1),
  amountFen: fen,
  paidAt: ms,
  counterSaleId: id.nullable(),
  state: z.enum(['open', 'kept', 'refunded']),
  resolvedBy: text(64).nullable(),
  resolvedAt: ms.nullable(),
});

export const factBodySchemas: Record<FactKind, z.ZodType> = {
  sale: saleFactSchema,
  'wechat-attempt': wechatAttemptFactSchema,
  refund: refundFactSchema,
  'cash-movement': cashMovementFactSchema,
  shift: shiftFactSchema,
  'z-report': zReportFactSchema,
  audit: auditFactSchema,
  'risk-alert': riskAlertFactSchema,
  'payment-alert': paymentAlertFactSchema,
};

export type ParsedFactBody = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/** Checks a fact's body text against its kind; never throws (the text is untrusted). */
export function parseFactBody(kind: string, text: string): ParsedFactBody {
  if (!(FACT_KINDS as readonly string[]).includes(kind)) return { ok: false, error: `unknown fact kind ${JSON.stringify(kind.slice(0, 40))}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'body is not JSON' };
  }
  // The hot kind's shortcut (hub-sale-check.ts): a sale it recognizes is one the schema accepts as it is.
  if (kind === 'sale' && isCheckedSale(json)) return { ok: true, value: json };
  const result = factBodySchemas[kind as FactKind].safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, error: `${kind}: ${issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'invalid'}` };
  }
  return { ok: true, value: result.data as Record<string, unknown> };
}
