import type { Database } from '../db/open';
import { beijingDate, formatBeijingCompact } from '../../shared/clock';
import { feeFor, formatFeeYuan, formatRatePercent, type FeeMilliFen, type RatePpm } from '../../shared/bill-amounts';
import { fenToYuanString, fen } from '../../shared/money';
import { getOrder, listOrdersPaidBetween, listPendingOrders, type OrderRow } from './ledger/orders';
import { getOrderOwner } from './ledger/profit-sharing';
import { listRefundsCreatedBetween, type RefundRow } from './ledger/refunds';
import { settleOrder, settleRefund } from './state';

/**
 * Trade bills (对账单) built from the ledger for one Beijing calendar day, written the way the live service writes
 * them (pay.weixin.qq.com "交易账单文件格式说明", and the live samples in test/fixtures/bills/): UTF-8 BOM, a header
 * row, data rows where every field starts with a backtick, then a summary header and one backticked summary row.
 * Amounts in yuan with two decimals; fees with five (`0.06000`, negative on refund rows); the rate as `0.60%`.
 * A refund row has 0.00 in 应结订单金额 and 订单金额 (its money is in 退款金额 / 申请退款金额), so every summary
 * total is the sum of its column. Each type has its own summary: SUCCESS has no refund totals, REFUND counts
 * 总退款单数 and has no order totals.
 */

export type BillType = 'ALL' | 'SUCCESS' | 'REFUND';

export type BillOutcome =
  | { kind: 'bill'; csv: string }
  | { kind: 'no-bill' }
  /** Bills are generated around 10:00 the next day: asking earlier gets "Bill Creating". */
  | { kind: 'creating' }
  | { kind: 'invalid-date' };

export interface BillMerchant {
  appid: string;
  mchid: string;
  /** A service provider's bill for one sub-merchant; absent or null: every order (特约商户号 filled per order). */
  subMchid?: string | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BEIJING_OFFSET = 8 * HOUR;
/** Bills are kept for about three months. */
export const BILL_RETENTION_MS = 92 * DAY;
/** A day's bill is ready from 10:00 Beijing time the next day. */
export const READY_AFTER_DAY_END_MS = 10 * HOUR;
/** The rate the sandbox merchant pays: 0.60 %. */
export const RATE = 6000 as RatePpm;

const COMMON_HEAD = ['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类', '应结订单金额', '代金券金额'];
const HEADERS: Record<BillType, string[]> = {
  ALL: [...COMMON_HEAD, '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注'],
  SUCCESS: [...COMMON_HEAD, '商品名称', '商户数据包', '手续费', '费率', '订单金额', '费率备注'],
  REFUND: [...COMMON_HEAD, '退款申请时间', '退款成功时间', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注'],
};
export const BILL_SUMMARY_HEADERS: Record<BillType, string[]> = {
  ALL: ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'],
  SUCCESS: ['总交易单数', '应结订单总金额', '手续费总金额', '订单总金额'],
  REFUND: ['总退款单数', '退款总金额', '充值券退款总金额', '手续费总金额', '申请退款总金额'],
};

/** An order with the sub-merchant it belongs to (null: the merchant's own). */
type BilledOrder = OrderRow & { subMchid: string | null };

/** Epoch ms of 00:00 Beijing time on a yyyy-MM-dd day, or null if the text is not a real date. */
export function beijingDayStart(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - BEIJING_OFFSET;
  return beijingDate(start) === day ? start : null;
}

const yuan = (amount: number): string => fenToYuanString(fen(amount));
const feeOf = (amount: number): FeeMilliFen => feeFor(fen(amount), RATE);

/** yyyy-MM-dd HH:mm:ss in Beijing time. */
export function billTime(epochMs: number): string {
  const c = formatBeijingCompact(epochMs);
  return `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)} ${c.slice(8, 10)}:${c.slice(10, 12)}:${c.slice(12, 14)}`;
}

/** Free text cannot carry the separator: the bill format has no quoting. */
const text = (value: string | null): string => (value ?? '').replace(/,/g, '，').replace(/[\r\n`]/g, ' ');

interface BillRow {
  fields: string[];
  settle: number;
  refund: number;
  /** Milli-fen (0.00001 yuan), as the fee columns are written. */
  fee: number;
  order: number;
  requestedRefund: number;
}

function commonHead(m: BillMerchant, o: BilledOrder, time: number, status: string, settle: number): string[] {
  return [billTime(time), m.appid, m.mchid, o.subMchid ?? '0', text(o.deviceInfo), o.transactionId, o.outTradeNo, o.openid ?? '', o.tradeType, status, o.bankType ?? 'OTHERS', 'CNY', yuan(settle), '0.00'];
}

function paymentRow(m: BillMerchant, o: BilledOrder, type: BillType): BillRow {
  const paidAt = o.paidAt ?? o.createdAt;
  // A payment reversed afterwards shows as REVOKED and settles nothing: the money went back to the payer.
  const status = o.state === 'REVOKED' ? 'REVOKED' : 'SUCCESS';
  const settle = status === 'SUCCESS' ? o.totalFee : 0;
  const fee = feeOf(settle);
  const head = commonHead(m, o, paidAt, status, settle);
  const tail = [text(o.body), text(o.attach), formatFeeYuan(fee), formatRatePercent(RATE), yuan(o.totalFee)];
  const fields =
    type === 'ALL' ? [...head, '0', '0', '0.00', '0.00', '', '', ...tail, '0.00', ''] : [...head, ...tail, ''];
  return { fields, settle, refund: 0, fee, order: o.totalFee, requestedRefund: 0 };
}

/** A refund row: 应结订单金额 and 订单金额 are 0.00, as in the live service's bills; the fee given back is negative. */
function refundRow(m: BillMerchant, o: BilledOrder, r: RefundRow, type: BillType): BillRow {
  const fee = feeOf(0 - r.refundFee);
  const head = commonHead(m, o, type === 'REFUND' ? (o.paidAt ?? o.createdAt) : r.createdAt, 'REFUND', 0);
  const times = type === 'REFUND' ? [billTime(r.createdAt), r.successAt === null ? '' : billTime(r.successAt)] : [];
  const fields = [
    ...head,
    ...times,
    r.refundId,
    r.outRefundNo,
    yuan(r.refundFee),
    '0.00',
    'ORIGINAL',
    r.status,
    text(o.body),
    text(o.attach),
    formatFeeYuan(fee),
    formatRatePercent(RATE),
    yuan(0),
    yuan(r.refundFee),
    '',
  ];
  return { fields, settle: 0, refund: r.refundFee, fee, order: 0, requestedRefund: r.refundFee };
}

function toCsv(type: BillType, rows: BillRow[]): string {
  const total = (pick: (r: BillRow) => number): number => rows.reduce((s, r) => s + pick(r), 0);
  const sum = (pick: (r: BillRow) => number): string => yuan(total(pick));
  const byName: Record<string, string> = {
    总交易单数: String(rows.length), 总退款单数: String(rows.length), 应结订单总金额: sum((r) => r.settle), 退款总金额: sum((r) => r.refund),
    充值券退款总金额: '0.00', 手续费总金额: formatFeeYuan(total((r) => r.fee) as FeeMilliFen), 订单总金额: sum((r) => r.order),
    申请退款总金额: sum((r) => r.requestedRefund),
  };
  const summaryHeader = BILL_SUMMARY_HEADERS[type];
  const summary = summaryHeader.map((name) => byName[name] ?? '');
  const backticked = (fields: string[]): string => fields.map((f) => `\`${f}`).join(',');
  const lines = [HEADERS[type].join(','), ...rows.map((r) => backticked(r.fields)), summaryHeader.join(','), backticked(summary)];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Settles every order and refund whose state may have moved by `now`, so the bill shows what happened. */
export function settleDay(db: Database, now: number): void {
  for (const order of listPendingOrders(db)) settleOrder(db, order, now);
}

/** The bill of one Beijing day (yyyy-MM-dd). */
export function buildBill(db: Database, now: number, merchant: BillMerchant, day: string, type: BillType): BillOutcome {
  const start = beijingDayStart(day);
  if (start === null || start > now || now - start > BILL_RETENTION_MS) return { kind: 'invalid-date' };
  if (now < start + DAY + READY_AFTER_DAY_END_MS) return { kind: 'creating' };
  return db.transaction((): BillOutcome => {
    settleDay(db, now);
    const rows: { at: number; row: BillRow }[] = [];
    const billed = (o: OrderRow): BilledOrder | null => {
      const subMchid = getOrderOwner(db, o.outTradeNo).subMchid;
      return merchant.subMchid != null && subMchid !== merchant.subMchid ? null : { ...o, subMchid };
    };
    if (type !== 'REFUND') {
      for (const paid of listOrdersPaidBetween(db, start, start + DAY)) {
        const order = billed(paid);
        if (order === null || (type === 'SUCCESS' && order.state === 'REVOKED')) continue;
        rows.push({ at: order.paidAt ?? order.createdAt, row: paymentRow(merchant, order, type) });
      }
    }
    if (type !== 'SUCCESS') {
      for (const raw of listRefundsCreatedBetween(db, start, start + DAY)) {
        const refund = settleRefund(db, raw, now);
        const found = getOrder(db, refund.outTradeNo);
        const order = found ? billed(found) : null;
        if (order) rows.push({ at: refund.createdAt, row: refundRow(merchant, order, refund, type) });
      }
    }
    if (rows.length === 0) return { kind: 'no-bill' };
    rows.sort((a, b) => a.at - b.at);
    return { kind: 'bill', csv: toCsv(type, rows.map((r) => r.row)) };
  })();
}
