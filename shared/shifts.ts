/**
 * Shifts, X/Z reports and reconciliation with WeChat as the windows see them. Pure: no Node, no DOM. Money is
 * integer fen.
 */
import type { Localized } from './i18n';
import type { Fen } from './money';
import type { TenderKind } from './payments';

export type ShiftState = 'open' | 'closed';

/** Notes and coins a cashier counts, largest first: 100, 50, 20, 10, 5, 1 yuan, 5 and 1 jiao. */
export const DENOMINATIONS_FEN = [10000, 5000, 2000, 1000, 500, 100, 50, 10] as const;
export type DenominationFen = (typeof DENOMINATIONS_FEN)[number];

export interface DenominationCount {
  denominationFen: DenominationFen;
  count: number;
}

export interface ShiftView {
  id: string;
  terminalId: string;
  cashierId: string;
  cashierName: string;
  state: ShiftState;
  openingFloatFen: Fen;
  openedAt: number;
  /** Set once the blind count is in (the cashier sees expected and difference only after). */
  countedFen: Fen | null;
  countedAt: number | null;
  expectedCashFen: Fen | null;
  differenceFen: Fen | null;
  countersignedBy: string | null;
  closedWithPending: boolean;
  closedAt: number | null;
  zNo: number | null;
}

export type CashMovementKind = 'in' | 'out' | 'no-sale';

export interface CashMovementView {
  id: number;
  shiftId: string;
  kind: CashMovementKind;
  amountFen: Fen;
  reason: string;
  actorId: string;
  actorName: string;
  approvedBy: string | null;
  at: number;
}

/** A WeChat payment or refund of the shift that has no final answer yet: closing waits for it. */
export interface PendingItem {
  kind: 'payment' | 'refund';
  id: number;
  /** Null for a refund of another counter's sale (it has no sale here). */
  saleId: number | null;
  /** The receipt's number: this counter's, or `originTerminalId`'s when set. */
  receiptNo: number;
  /** A refund made here of a sale of that counter (found at the hub): money in flight all the same. */
  originTerminalId?: string;
  /** out_trade_no or out_refund_no. */
  ref: string;
  amountFen: Fen;
  state: string;
  cashierId: string;
  /** What the app is doing about it. */
  doing: Localized;
}

export interface TenderFigure {
  kind: TenderKind;
  count: number;
  amountFen: Fen;
}

export interface CashierFigure {
  cashierId: string;
  /** The person's name as reports show it (absent in Z reports stored before names were kept: the id then). */
  cashierName?: string;
  count: number;
  amountFen: Fen;
}

export interface CheckMismatch {
  kind: 'payment' | 'refund';
  ref: string;
  localFen: Fen;
  localState: string;
  wechatFen: Fen | null;
  wechatState: string | null;
}

/** The pre-close check of every WeChat payment and refund of the shift against WeChat (query). */
export interface WechatCheckResult {
  checkedAt: number;
  /** WeChat payments that agree (state and amount). */
  matchedCount: number;
  matchedFen: Fen;
  /** WeChat refunds that agree. */
  matchedRefundCount: number;
  matchedRefundFen: Fen;
  mismatches: CheckMismatch[];
  /** WeChat could not be reached for these. */
  unchecked: number;
}

export interface CashFigures {
  openingFloatFen: Fen;
  cashSalesFen: Fen;
  cashRefundsFen: Fen;
  cashInFen: Fen;
  cashOutFen: Fen;
  expectedFen: Fen;
  countedFen: Fen | null;
  differenceFen: Fen | null;
  denominations: DenominationCount[] | null;
}

export interface ShiftReport {
  kind: 'X' | 'Z';
  /** Per terminal, Z only. */
  zNo: number | null;
  shiftId: string;
  terminalId: string;
  cashierId: string;
  cashierName: string;
  openedAt: number;
  closedAt: number | null;
  generatedAt: number;
  sales: { byTender: TenderFigure[]; count: number; amountFen: Fen };
  refunds: { byTender: TenderFigure[]; count: number; amountFen: Fen };
  voids: CashierFigure[];
  superseded: CashierFigure[];
  noSales: number;
  cashIn: { count: number; amountFen: Fen };
  cashOut: { count: number; amountFen: Fen };
  cash: CashFigures;
  countersignedBy: string | null;
  /** The countersigning manager's name (Z reports written before it was kept: filled in when read). */
  countersignedByName?: string;
  pending: PendingItem[];
  wechatCheck: WechatCheckResult | null;
  /**
   * WeChat payments on a sale the counter was not showing, not yet kept or refunded (the customer may have paid
   * twice), on this terminal whatever their shift: listed on every report until resolved. Absent in reports made
   * before payment alerts existed.
   */
  paymentAlerts?: ReportPaymentAlert[];
}

export interface ReportPaymentAlert {
  saleId: number;
  receiptNo: number;
  amountFen: Fen;
  paidAt: number;
}

/** What `shift.count` answers once the blind count is stored. */
export interface CountResult {
  shift: ShiftView;
  expectedFen: Fen;
  countedFen: Fen;
  differenceFen: Fen;
  /** |difference| above the threshold: closing needs a manager's approval ('shift-close-difference'). */
  needsCountersign: boolean;
  pending: PendingItem[];
}

export type MismatchClass = 'only-in-wechat' | 'only-local' | 'amount-differs' | 'state-differs';

export interface ReconciliationMismatchView {
  id: number;
  billDate: string;
  class: MismatchClass;
  outTradeNo: string;
  outRefundNo: string | null;
  localFen: Fen | null;
  wechatFen: Fen | null;
  localState: string | null;
  wechatState: string | null;
  saleId: number | null;
  receiptNo: number | null;
  shiftId: string | null;
  cashierId: string | null;
  detectedAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  note: string | null;
}

export interface BillView {
  billDate: string;
  state: 'bill' | 'no-bill';
  lineCount: number;
  downloadedAt: number;
  reconciledAt: number | null;
  openMismatches: number;
}

/** A day whose bill could not be reconciled, and why (shown as 账单格式无法识别 with the line and column). */
export interface BillProblemView {
  billDate: string;
  kind: 'unreadable' | 'deadline';
  /** Line of the bill file (1 = the header) and the column's name, where the file could not be read. */
  line: number | null;
  column: string | null;
  /** The parser's own words (English, for support). */
  detail: string;
  /** Where the raw file is kept for support (null if it could not be kept). */
  rawPath: string | null;
  sha1: string | null;
  detectedAt: number;
}

export const MISMATCH_LABELS: Record<MismatchClass, Localized> = {
  'only-in-wechat': { zh: '仅微信有（可能丢单）', en: 'Only in WeChat (lost payment?)' },
  'only-local': { zh: '仅本地有', en: 'Only local' },
  'amount-differs': { zh: '金额不符', en: 'Amount differs' },
  'state-differs': { zh: '状态不符', en: 'State differs' },
};

export const TENDER_LABELS: Record<TenderKind, Localized> = {
  'wechat-code': { zh: '微信付款码', en: 'WeChat code' },
  'wechat-qr': { zh: '微信扫码', en: 'WeChat QR' },
  cash: { zh: '现金', en: 'Cash' },
};

/** Sum of a blind count, in fen. Throws on a negative or fractional count. */
export function countTotalFen(counts: readonly DenominationCount[]): number {
  let total = 0;
  for (const c of counts) {
    if (!Number.isSafeInteger(c.count) || c.count < 0) throw new Error(`count must be a whole number ≥ 0: ${c.count}`);
    if (!(DENOMINATIONS_FEN as readonly number[]).includes(c.denominationFen)) throw new Error(`unknown denomination ${c.denominationFen}`);
    total += c.denominationFen * c.count;
  }
  return total;
}

/** A pending payment's or refund's state in words, for the close screen and the printed report (never the raw state). */
export function pendingStateWords(item: Pick<PendingItem, 'kind' | 'state'>): Localized {
  const payment: Record<string, Localized> = {
    queued: { zh: '待发送', en: 'not sent yet' }, sending: { zh: '发送中', en: 'sending' }, 'user-paying': { zh: '等待顾客输入密码', en: 'waiting for the customer' },
    confirming: { zh: '支付结果确认中', en: 'confirming' }, reversing: { zh: '撤销中', en: 'reversing' }, creating: { zh: '创建二维码中', en: 'creating the QR' },
    'awaiting-scan': { zh: '等待扫码', en: 'waiting for a scan' }, closing: { zh: '关闭中', en: 'closing' }, refunding: { zh: '退回中', en: 'refunding' },
    'needs-attention': { zh: '需店长处理', en: 'needs a manager' },
  };
  const refund: Record<string, Localized> = {
    queued: { zh: '退款待发送', en: 'refund not sent yet' }, processing: { zh: '退款处理中', en: 'refund processing' }, abnormal: { zh: '退款异常', en: 'refund abnormal' },
  };
  return (item.kind === 'refund' ? refund : payment)[item.state] ?? { zh: item.state, en: item.state };
}
