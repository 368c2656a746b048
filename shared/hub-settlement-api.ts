import { z } from 'zod';
import { HUB_ADMIN_PREFIX } from './hub-admin-api';

/**
 * The hub's settlement admin API (issue 16, profit-sharing mode 分账), under /api/admin/v1/settlement. Every body is
 * checked here where it enters; money is integer fen, days are yyyy-MM-dd (Beijing).
 *
 *   PUT  settlement/merchants/:mchid          SettlementMerchantRequest → SettlementMerchantView   (owner)
 *   GET  settlement/receivers                 → ReceiverView[]                                    (owner, finance)
 *   POST settlement/receivers                 AddReceiverRequest → ReceiverView (added at WeChat)   (owner)
 *   GET  settlement/rules?store=              → RuleSetView[]               (owner, finance; a manager: its stores)
 *   POST settlement/rules                     ProposeRulesRequest → RuleSetView   (owner; a manager for its stores)
 *   POST settlement/rules/:id/approve|reject  DecideRulesRequest → RuleSetView                     (owner)
 *   PUT  settlement/caps                      SetCapRequest → CapView[]                            (owner)
 *   GET  settlement/caps                      → CapView[]                                         (owner, finance)
 *   GET  settlement/report?date=&store=       → SettlementReportView   (owner, finance; a manager: its stores)
 *   POST settlement/orders/:tx/:account/retry   {note}  → SettlementOrderView   (owner)
 *   POST settlement/orders/:tx/:account/resolve {note}  → SettlementOrderView   (owner)
 *   POST settlement/refund-clearance          RefundClearanceRequest → RefundClearanceAnswer (owner; a manager: its stores)
 * Changes are audit-logged (hub_audit: who, from which address, what).
 */

const P = `${HUB_ADMIN_PREFIX}/settlement`;
export const HUB_SETTLEMENT_PATHS = {
  merchant: (mchid: string) => `${P}/merchants/${encodeURIComponent(mchid)}`,
  receivers: `${P}/receivers`,
  rules: `${P}/rules`,
  approve: (ruleSetId: string) => `${P}/rules/${encodeURIComponent(ruleSetId)}/approve`,
  reject: (ruleSetId: string) => `${P}/rules/${encodeURIComponent(ruleSetId)}/reject`,
  caps: `${P}/caps`,
  report: `${P}/report`,
  retry: (transactionId: string, account: string) => `${P}/orders/${encodeURIComponent(transactionId)}/${encodeURIComponent(account)}/retry`,
  resolve: (transactionId: string, account: string) => `${P}/orders/${encodeURIComponent(transactionId)}/${encodeURIComponent(account)}/resolve`,
  refundClearance: `${P}/refund-clearance`,
} as const;

export type SettlementAlertKind = 'settlement-split-exceeds-order' | 'settlement-receiver-unknown' | 'settlement-over-cap';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is yyyy-MM-dd');
const fenAmount = z.number().int().positive().max(100_000_000_000);
export const RELATION_TYPES = [
  'STORE', 'STAFF', 'STORE_OWNER', 'PARTNER', 'HEADQUARTER', 'BRAND', 'DISTRIBUTOR', 'USER', 'SUPPLIER', 'SERVICE_PROVIDER', 'CUSTOM',
] as const;
const merchantAccount = z.string().regex(/^\d{8,16}$/, 'a merchant id is 8–16 digits');

export const settlementMerchantRequestSchema = z.object({
  /** Orders paid on or after this day are settled. */
  sinceDay: day,
  /** The merchant's maximum share ratio (最大分账比例) as set at WeChat, in basis points (30 % = 3000). */
  maxShareBasisPoints: z.number().int().min(1).max(10_000),
}).strict();
export type SettlementMerchantRequest = z.infer<typeof settlementMerchantRequestSchema>;
export interface SettlementMerchantView { mchid: string; sinceDay: string; maxShareBasisPoints: number }

export const addReceiverRequestSchema = z.object({
  mchid: merchantAccount,
  type: z.literal('MERCHANT_ID'),
  account: merchantAccount,
  /** The receiver's full registered name (商户全称): WeChat compares it; sent encrypted. */
  name: z.string().trim().min(2).max(128),
  relationType: z.enum(RELATION_TYPES),
  customRelation: z.string().trim().min(1).max(10).optional(),
}).strict().refine((r) => r.relationType !== 'CUSTOM' || r.customRelation !== undefined, { message: 'customRelation is needed for CUSTOM' });
export type AddReceiverRequest = z.infer<typeof addReceiverRequestSchema>;
export interface ReceiverView {
  mchid: string; account: string; type: string; relationType: string; name: string | null; state: 'added' | 'failed'; lastError: string | null;
}

const share = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), basisPoints: z.number().int().min(1).max(10_000) }).strict(),
  z.object({ kind: z.literal('fixed'), fen: fenAmount }).strict(),
]);
export const ruleSchema = z.object({
  account: merchantAccount,
  type: z.literal('MERCHANT_ID'),
  relationType: z.enum(RELATION_TYPES),
  share,
  description: z.string().trim().min(1).max(80),
}).strict();
export const proposeRulesRequestSchema = z.object({
  storeId: z.string().min(1).max(64),
  effectiveFrom: day,
  rules: z.array(ruleSchema).max(50),
}).strict();
export type ProposeRulesRequest = z.infer<typeof proposeRulesRequestSchema>;
export const decideRulesRequestSchema = z.object({ note: z.string().trim().max(500).optional() }).strict();
export interface RuleSetView {
  ruleSetId: string; storeId: string; effectiveFrom: string; state: 'pending-approval' | 'approved' | 'rejected';
  rules: z.infer<typeof ruleSchema>[];
  proposedBy: string; proposedAt: number; decidedBy: string | null; decidedAt: number | null; decisionNote: string | null;
}

export const setCapRequestSchema = z.object({
  /** A store id, or '*' for the whole chain. */
  scope: z.string().min(1).max(64),
  /** The most split in one day; null removes the cap. */
  maxDayFen: fenAmount.nullable(),
}).strict();
export type SetCapRequest = z.infer<typeof setCapRequestSchema>;
export interface CapView { scope: string; maxDayFen: number }

export const settlementReportQuerySchema = z.object({ date: day, store: z.string().min(1).max(64).optional() }).strict();
export const settlementNoteSchema = z.object({ note: z.string().trim().min(2).max(500) }).strict();

export interface SettlementOrderView {
  transactionId: string; outTradeNo: string; account: string; relationType: string; outOrderNo: string; amountFen: number;
  returnedFen: number; state: 'planned' | 'sent' | 'done' | 'failed' | 'returned'; failCode: string | null; failReason: string | null;
  resolved: { at: number; by: string; note: string } | null;
}
export interface StoreSettlementView {
  storeId: string | null;
  orders: number;
  orderFen: number;
  /** What the rules asked for. */
  dueFen: number;
  splitFen: number;
  returnedFen: number;
  failedFen: number;
  /** Split requests still on their way (sent, not finished). */
  pendingFen: number;
  unfrozenOrders: number;
  lines: SettlementOrderView[];
}
export interface SettlementReportView {
  date: string;
  days: { mchid: string; state: 'running' | 'done'; billState: 'pending' | 'matched' | 'differs' | 'no-bill'; billProblems: string[] }[];
  stores: StoreSettlementView[];
}

export const refundClearanceRequestSchema = z.object({
  outTradeNo: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,32}$/),
  outRefundNo: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,32}$/),
  refundFen: fenAmount,
}).strict();
export type RefundClearanceRequest = z.infer<typeof refundClearanceRequestSchema>;
export interface RefundClearanceAnswer {
  /** true: the refund may be sent now (nothing to return, or every return finished). */
  clear: boolean;
  returns: { account: string; amountFen: number; state: 'sent' | 'done' | 'failed'; failReason: string | null }[];
}
