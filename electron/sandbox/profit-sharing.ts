import { randomInt } from 'node:crypto';
import { formatBeijingCompact } from '../../shared/clock';
import type { Database } from '../db/open';
import { getOrderByTransactionId, type OrderRow } from './ledger/orders';
import {
  getFinished,
  getOrderOwner,
  getPsOrder,
  getPsReturn,
  hasReceiver,
  insertFinished,
  insertPsOrder,
  insertPsReturn,
  listPsLines,
  returnedFrom,
  returnedTotal,
  splitTotal,
  type PsLineRow,
  type PsOrderRow,
  type PsReturnRow,
} from './ledger/profit-sharing';
import { listRefundsForOrder } from './ledger/refunds';
import type { MerchantDirectory } from './merchants';
import { isPaid, settleOrder } from './state';

/**
 * Profit sharing (分账) as WeChat Pay runs it, on the sandbox ledger. Money of an order paid with profit sharing on
 * stays frozen with the merchant until split to receivers, unfrozen to the merchant, or released 180 days after
 * payment. A refund takes frozen money first; money already split must be returned (分账回退) before it can be
 * refunded. Splits are accepted as PROCESSING and finish `settleMs` later (sandbox clock); returns are synchronous.
 */

export const PROFIT_SHARING_WINDOW_MS = 180 * 24 * 3_600_000;
/** WeChat's default maximum share ratio (最大分账比例) of an order's amount; a merchant can change it on the platform. */
export const DEFAULT_MAX_RATIO_PERCENT = 30;
export const SPLIT_SETTLE_MS = 1_000;

export interface ProfitSharingSettings {
  maxRatioPercent: number;
  settleMs: number;
}

export interface PsDeps {
  db: Database;
  now: number;
  merchants: MerchantDirectory;
  settings: ProfitSharingSettings;
}

export interface PsError {
  status: number;
  code: string;
  message: string;
}

export type PsResult<T> = { ok: true; value: T } | { ok: false; error: PsError };

const ok = <T>(value: T): PsResult<T> => ({ ok: true, value });
const refuse = (status: number, code: string, message: string): PsResult<never> => ({ ok: false, error: { status, code, message } });
const invalid = (message: string): PsResult<never> => refuse(400, 'INVALID_REQUEST', message);

const digits = (count: number): string => Array.from({ length: count }, () => String(randomInt(10))).join('');
const newOrderId = (now: number): string => `3008${digits(6)}${formatBeijingCompact(now).slice(0, 8)}${digits(10)}`;

export const RELATION_TYPES = [
  'STORE', 'STAFF', 'STORE_OWNER', 'PARTNER', 'HEADQUARTER', 'BRAND', 'DISTRIBUTOR', 'USER', 'SUPPLIER', 'CUSTOM', 'SERVICE_PROVIDER',
] as const;
export const RECEIVER_TYPES = ['MERCHANT_ID', 'PERSONAL_OPENID', 'PERSONAL_SUB_OPENID'] as const;

/** The merchant whose money an order is: its sub-merchant, or the merchant itself. */
const ownerMchidOf = (deps: PsDeps, order: OrderRow): string => getOrderOwner(deps.db, order.outTradeNo).subMchid ?? deps.merchants.spMchid;

function refundedOf(db: Database, order: OrderRow): number {
  return listRefundsForOrder(db, order.outTradeNo)
    .filter((r) => r.status !== 'CLOSED')
    .reduce((sum, r) => sum + r.refundFee, 0);
}

/** Releases an order's frozen remainder once its 180 days have passed (computed when next looked at). */
function expireIfDue(deps: PsDeps, order: OrderRow): void {
  if (order.paidAt === null || deps.now <= order.paidAt + PROFIT_SHARING_WINDOW_MS || getFinished(deps.db, order.transactionId)) return;
  const frozen = Math.max(0, order.totalFee - splitTotal(deps.db, order.transactionId) - refundedOf(deps.db, order));
  insertFinished(deps.db, order.transactionId, { unfrozen: frozen, at: order.paidAt + PROFIT_SHARING_WINDOW_MS, how: 'expired' });
}

/** 剩余待分金额: what is still frozen and can be split. */
export function unsplitAmount(deps: PsDeps, order: OrderRow): number {
  expireIfDue(deps, order);
  if (getFinished(deps.db, order.transactionId)) return 0;
  return Math.max(0, order.totalFee - splitTotal(deps.db, order.transactionId) - refundedOf(deps.db, order));
}

/** A profit-sharing order the caller owns and that was paid; the refusal otherwise. */
function shareableOrder(deps: PsDeps, ownerMchid: string, transactionId: string): PsResult<OrderRow> {
  const found = getOrderByTransactionId(deps.db, transactionId);
  if (!found || ownerMchidOf(deps, found) !== ownerMchid) return refuse(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  const order = settleOrder(deps.db, found, deps.now);
  if (!isPaid(order)) return invalid('订单未支付成功，不能分账');
  if (!getOrderOwner(deps.db, order.outTradeNo).profitSharing) return invalid('非分账订单不支持分账（下单时未指定分账）');
  return ok(order);
}

export interface ReceiverInput {
  type: string;
  account: string;
  /** Decrypted full name, when one was sent. */
  name: string | null;
  relationType: string;
  customRelation: string | null;
}

/** Checks a receiver to be added: a MERCHANT_ID must be a merchant the sandbox knows, named by its full name. */
export function checkReceiver(deps: PsDeps, ownerMchid: string, r: ReceiverInput): PsResult<void> {
  if (!(RECEIVER_TYPES as readonly string[]).includes(r.type)) return refuse(400, 'PARAM_ERROR', '分账接收方类型错误');
  if (!(RELATION_TYPES as readonly string[]).includes(r.relationType)) return refuse(400, 'PARAM_ERROR', '与分账方的关系类型错误');
  if (r.relationType === 'CUSTOM' && !r.customRelation) return refuse(400, 'PARAM_ERROR', '关系类型为CUSTOM时custom_relation必填');
  if (r.type !== 'MERCHANT_ID') return ok(undefined);
  if (r.account === ownerMchid) return invalid('不能添加分账方自己为分账接收方');
  const name = deps.merchants.nameOf(r.account);
  if (name === undefined) return invalid('分账接收方账号不存在');
  if (r.name === null) return refuse(400, 'PARAM_ERROR', '接收方类型为MERCHANT_ID时name必填');
  if (r.name !== name) return invalid('分账接收方全称与商户号不匹配');
  return ok(undefined);
}

export interface SplitInput {
  transactionId: string;
  outOrderNo: string;
  receivers: { type: string; account: string; amount: number; description: string }[];
  unfreezeUnsplit: boolean;
}

export interface PsOrderView {
  order: PsOrderRow;
  lines: PsLineRow[];
  finished: boolean;
}

export function viewOf(deps: PsDeps, order: PsOrderRow): PsOrderView {
  return { order, lines: listPsLines(deps.db, order.ownerMchid, order.outOrderNo), finished: deps.now >= order.finishesAt };
}

function withSelfLine(deps: PsDeps, order: OrderRow, base: Omit<PsOrderRow, 'finishesAt'>, lines: PsLineRow[], afterSplit: number): PsOrderRow {
  const row: PsOrderRow = { ...base, finishesAt: base.createdAt + deps.settings.settleMs };
  if (afterSplit > 0) {
    lines.push({ line: lines.length + 1, detailId: newOrderId(deps.now), type: 'MERCHANT_ID', account: base.ownerMchid, amount: afterSplit, description: '解冻给分账方', toSelf: true });
  }
  insertPsOrder(deps.db, row, lines);
  insertFinished(deps.db, order.transactionId, { unfrozen: afterSplit, at: deps.now, how: base.kind === 'unfreeze' ? 'unfreeze' : 'split' });
  return row;
}

/** 请求分账: idempotent on out_order_no; every receiver added beforehand; within frozen money and the ratio cap. */
export function createSplit(deps: PsDeps, ownerMchid: string, input: SplitInput): PsResult<PsOrderView> {
  return deps.db.transaction((): PsResult<PsOrderView> => {
    const existing = getPsOrder(deps.db, ownerMchid, input.outOrderNo);
    if (existing) {
      if (existing.transactionId !== input.transactionId || existing.kind !== 'split') return invalid('商户分账单号已被使用');
      return ok(viewOf(deps, existing));
    }
    const found = shareableOrder(deps, ownerMchid, input.transactionId);
    if (!found.ok) return found;
    const order = found.value;
    if (order.paidAt !== null && deps.now > order.paidAt + PROFIT_SHARING_WINDOW_MS) {
      expireIfDue(deps, order);
      return invalid('订单已超过180天分账期限，剩余资金已解冻');
    }
    if (getFinished(deps.db, order.transactionId)) return invalid('订单已完成分账或已解冻，不能再分账');
    if (input.receivers.length === 0 || input.receivers.length > 50) return refuse(400, 'PARAM_ERROR', '分账接收方数量应为1-50个');
    for (const r of input.receivers) {
      if (!hasReceiver(deps.db, ownerMchid, r.type, r.account)) return invalid(`分账接收方${r.account}未添加或已删除`);
      if (r.account === ownerMchid) return invalid('分账接收方不能是分账方自己');
    }
    const amount = input.receivers.reduce((sum, r) => sum + r.amount, 0);
    const frozen = unsplitAmount(deps, order);
    if (amount > frozen) return refuse(403, 'NOT_ENOUGH', `分账金额超出订单剩余待分金额（${frozen}分）`);
    const cap = Math.floor((order.totalFee * deps.settings.maxRatioPercent) / 100);
    if (splitTotal(deps.db, order.transactionId) + amount > cap) {
      return invalid(`分账金额超出最大分账比例${deps.settings.maxRatioPercent}%（本单最多${cap}分）`);
    }
    const lines: PsLineRow[] = input.receivers.map((r, i) => ({
      line: i + 1, detailId: newOrderId(deps.now), type: r.type, account: r.account, amount: r.amount, description: r.description, toSelf: false,
    }));
    const base = { outOrderNo: input.outOrderNo, ownerMchid, orderId: newOrderId(deps.now), transactionId: order.transactionId, kind: 'split' as const, unfreezeUnsplit: input.unfreezeUnsplit, createdAt: deps.now };
    if (input.unfreezeUnsplit) return ok(viewOf(deps, withSelfLine(deps, order, base, lines, frozen - amount)));
    const row: PsOrderRow = { ...base, finishesAt: deps.now + deps.settings.settleMs };
    insertPsOrder(deps.db, row, lines);
    return ok(viewOf(deps, row));
  })();
}

export function querySplit(deps: PsDeps, ownerMchid: string, outOrderNo: string, transactionId: string): PsResult<PsOrderView> {
  const row = getPsOrder(deps.db, ownerMchid, outOrderNo);
  if (!row || row.transactionId !== transactionId) return refuse(404, 'RESOURCE_NOT_EXISTS', '分账单不存在');
  return ok(viewOf(deps, row));
}

/** 解冻剩余资金: the frozen remainder goes to the merchant; the order can no longer be split. */
export function unfreeze(deps: PsDeps, ownerMchid: string, input: { transactionId: string; outOrderNo: string; description: string }): PsResult<PsOrderView> {
  return deps.db.transaction((): PsResult<PsOrderView> => {
    const existing = getPsOrder(deps.db, ownerMchid, input.outOrderNo);
    if (existing) {
      if (existing.transactionId !== input.transactionId || existing.kind !== 'unfreeze') return invalid('商户分账单号已被使用');
      return ok(viewOf(deps, existing));
    }
    const found = shareableOrder(deps, ownerMchid, input.transactionId);
    if (!found.ok) return found;
    const order = found.value;
    const frozen = unsplitAmount(deps, order);
    if (getFinished(deps.db, order.transactionId)) return invalid('订单剩余资金已解冻');
    const base = { outOrderNo: input.outOrderNo, ownerMchid, orderId: newOrderId(deps.now), transactionId: order.transactionId, kind: 'unfreeze' as const, unfreezeUnsplit: true, createdAt: deps.now };
    return ok(viewOf(deps, withSelfLine(deps, order, base, [], frozen)));
  })();
}

export function amountsOf(deps: PsDeps, ownerMchid: string, transactionId: string): PsResult<{ transactionId: string; unsplit: number }> {
  return deps.db.transaction((): PsResult<{ transactionId: string; unsplit: number }> => {
    const found = getOrderByTransactionId(deps.db, transactionId);
    if (!found || ownerMchidOf(deps, found) !== ownerMchid) return invalid('非本商户的订单不支持查询');
    if (!getOrderOwner(deps.db, found.outTradeNo).profitSharing) return invalid('非分账订单不支持此查询');
    const order = settleOrder(deps.db, found, deps.now);
    return ok({ transactionId, unsplit: isPaid(order) ? unsplitAmount(deps, order) : 0 });
  })();
}

export interface ReturnInput {
  outOrderNo: string;
  outReturnNo: string;
  returnMchid: string;
  amount: number;
  description: string;
}

/** 分账回退: from a finished split, from a merchant receiver, at most what that receiver got on that split. */
export function createReturn(deps: PsDeps, ownerMchid: string, input: ReturnInput): PsResult<PsReturnRow> {
  return deps.db.transaction((): PsResult<PsReturnRow> => {
    const existing = getPsReturn(deps.db, ownerMchid, input.outReturnNo);
    if (existing) {
      const same = existing.outOrderNo === input.outOrderNo && existing.returnMchid === input.returnMchid && existing.amount === input.amount;
      return same ? ok(existing) : invalid('商户回退单号已被使用，且参数与原请求不一致');
    }
    const split = getPsOrder(deps.db, ownerMchid, input.outOrderNo);
    if (!split || split.kind !== 'split') return refuse(404, 'RESOURCE_NOT_EXISTS', '分账单不存在');
    if (deps.now < split.finishesAt) return invalid('分账处理中，请待分账完成后再回退');
    const given = listPsLines(deps.db, ownerMchid, input.outOrderNo)
      .filter((l) => !l.toSelf && l.type === 'MERCHANT_ID' && l.account === input.returnMchid)
      .reduce((sum, l) => sum + l.amount, 0);
    if (given === 0) return invalid('只能对原分账请求中成功分给商户接收方的金额进行回退');
    const left = given - returnedFrom(deps.db, ownerMchid, input.outOrderNo, input.returnMchid);
    if (input.amount > left) return invalid(`回退金额超出可回退金额（${left}分）`);
    const row: PsReturnRow = { ownerMchid, ...input, returnId: newOrderId(deps.now), createdAt: deps.now };
    insertPsReturn(deps.db, row);
    return ok(row);
  })();
}

export function queryReturn(deps: PsDeps, ownerMchid: string, outReturnNo: string, outOrderNo: string): PsResult<PsReturnRow> {
  const row = getPsReturn(deps.db, ownerMchid, outReturnNo);
  if (!row || row.outOrderNo !== outOrderNo) return refuse(404, 'RESOURCE_NOT_EXISTS', '回退单不存在');
  return ok(row);
}

/**
 * A refund of a profit-sharing order can only take money still with the merchant: frozen or returned, not what
 * sits with receivers. Answers the refusal message, or null when the refund may go ahead.
 */
export function refundBlockedBySplits(db: Database, order: OrderRow, refundFee: number): string | null {
  if (!getOrderOwner(db, order.outTradeNo).profitSharing) return null;
  const withReceivers = splitTotal(db, order.transactionId) - returnedTotal(db, order.transactionId);
  const held = order.totalFee - withReceivers - refundedOf(db, order);
  if (refundFee <= held) return null;
  return `订单已分账${withReceivers}分，可退金额不足：请先分账回退再退款`;
}
