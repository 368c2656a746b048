/**
 * The payment domain as the windows see it: sales, tenders, WeChat attempts, refunds, sync status, the events the
 * main side pushes, and the words the cashier reads. Pure: no Node, no DOM. Money is integer fen; auth codes and
 * openids appear only masked.
 */
import type { Localized } from './i18n';
import type { Fen } from './money';
import type { HubSaleView } from './hub-protocol';

export type SaleState = 'open' | 'paid' | 'voided';
export type TenderKind = 'wechat-code' | 'wechat-qr' | 'cash';
/** `superseded`: the cashier took another tender while this one was unresolved; it never counts as paid. */
export type TenderState = 'pending' | 'paid' | 'failed' | 'cancelled' | 'superseded';

/**
 * One WeChat order's life. Micropay: queued → sending → (user-paying | confirming)* → paid | reversing → reversed;
 * or failed / cancelled. Native QR: creating → awaiting-scan → closing → closed | paid; refunding → refunded when
 * a superseded QR turns out paid. `needs-attention`: automation gave up, a manager must look.
 */
export type AttemptState =
  | 'queued'
  | 'sending'
  | 'user-paying'
  | 'confirming'
  | 'reversing'
  | 'paid'
  | 'failed'
  | 'reversed'
  | 'cancelled'
  | 'creating'
  | 'awaiting-scan'
  | 'closing'
  | 'closed'
  | 'refunding'
  | 'refunded'
  | 'needs-attention';

/** States after which nothing changes for the cashier (a background clean-up reverse may still run). */
export const FINAL_ATTEMPT_STATES: readonly AttemptState[] = [
  'paid',
  'failed',
  'reversed',
  'cancelled',
  'closed',
  'refunded',
  'needs-attention',
];

export function isFinalAttemptState(state: AttemptState): boolean {
  return FINAL_ATTEMPT_STATES.includes(state);
}

export type AttemptMode = 'micropay' | 'native';

export interface Reason {
  /** The WeChat error code, or a local one (LOCAL_*). */
  code: string;
  zh: string;
  en: string;
}

export interface AttemptView {
  id: number;
  saleId: number;
  tenderId: number;
  mode: AttemptMode;
  outTradeNo: string;
  amountFen: Fen;
  state: AttemptState;
  final: boolean;
  /** Another tender was taken while this attempt was unresolved: if it turns out paid it is reversed/refunded. */
  superseded: boolean;
  cancelRequested: boolean;
  /** e.g. 1345********6789; null for native QR. */
  authCodeMasked: string | null;
  createdAt: number;
  /** Micropay: the queued code is given up if not sent by then (store and forward). */
  sendDeadlineAt: number | null;
  /** Micropay: when querying stops and the order is reversed (45 s after it may first have reached WeChat). */
  resolveBy: number | null;
  /** The last answer's code or cause: 'USERPAYING', 'network', 'timeout', 'SYSTEMERROR'... */
  lastAnswer: string | null;
  /** The last request could not reach WeChat (network, timeout, 5xx). */
  networkTrouble: boolean;
  failure: Reason | null;
  transactionId: string | null;
  payerMasked: string | null;
  /** Native QR: what the customer display encodes, and when the order stops being payable. */
  codeUrl: string | null;
  qrExpiresAt: number | null;
  resolvedAt: number | null;
  updatedAt: number;
}

export interface SaleLineView {
  lineNo: number;
  name: string;
  unitFen: Fen;
  quantity: number;
  amountFen: Fen;
}

export interface TenderView {
  id: number;
  kind: TenderKind;
  amountFen: Fen;
  state: TenderState;
  /** Cash only. */
  tenderedFen: Fen | null;
  changeFen: Fen | null;
  createdAt: number;
  settledAt: number | null;
  attempt: AttemptView | null;
}

export interface SaleView {
  id: number;
  terminalId: string;
  /** Gapless per terminal, assigned when the sale is created; a voided sale keeps its number. */
  receiptNo: number;
  cashierId: string;
  shiftId: string | null;
  state: SaleState;
  description: string;
  totalFen: Fen;
  paidFen: Fen;
  dueFen: Fen;
  /** Refunds accepted or done (queued ones included: the money is promised). */
  refundedFen: Fen;
  lines: SaleLineView[];
  tenders: TenderView[];
  createdAt: number;
  paidAt: number | null;
  voidedAt: number | null;
}

export type RefundState = 'queued' | 'processing' | 'succeeded' | 'failed' | 'abnormal';

export interface RefundView {
  id: number;
  saleId: number;
  tenderId: number;
  kind: 'wechat' | 'cash';
  outRefundNo: string | null;
  /** The refund's number as every slip, screen and report shows it (T01…R000007, cash parts too). */
  refundNo: string;
  amountFen: Fen;
  state: RefundState;
  approvedBy: string;
  reason: string | null;
  requestedAt: number;
  /** The refund was requested while WeChat was unreachable: its slip says it is pending. */
  requestedOffline: boolean;
  failure: Reason | null;
  finishedAt: number | null;
  /** A refund of a profit-sharing order waits for the hub to return the split money first (null: not needed). */
  clearance?: RefundClearanceView | null;
}

/** Where a refund stands with the hub's clearance (分账回退 before 退款; electron/payments/refund-clearance.ts). */
export interface RefundClearanceView {
  state: 'waiting' | 'cleared';
  /** Why it still waits; null while the hub has not been asked yet. */
  problem: 'hub-unreachable' | 'hub-stopped' | 'hub-busy' | 'returns-pending' | 'return-failed' | null;
  /** The hub's or WeChat's own words (a failed return's reason), when there are some. */
  detail: string | null;
}

/** Another counter's sale as the hub showed it, or why it cannot be shown (electron/hub-link/sale-lookup.ts). */
export type OtherCounterSaleLookup =
  | { ok: true; sale: HubSaleView }
  | { ok: false; reason: 'hub-needed' | 'not-found' | 'other-store' | 'bad-receipt' | 'refused'; message: Localized };

/** A WeChat refund this counter made of a sale from another counter of the store (issue 13). */
export interface OtherCounterRefundView {
  id: number;
  originTerminalId: string;
  originReceiptNo: number;
  outTradeNo: string;
  outRefundNo: string;
  amountFen: Fen;
  state: RefundState;
  approvedBy: string;
  requestedAt: number;
  requestedOffline: boolean;
  failure: Reason | null;
  finishedAt: number | null;
  clearance?: RefundClearanceView | null;
}

export interface RefundResult {
  refunds: RefundView[];
  /** At least one part waits for WeChat: print the slip as 退款处理中 (pending). */
  pending: boolean;
}

export type Connectivity = 'unknown' | 'online' | 'offline';

export interface SyncStatus {
  connectivity: Connectivity;
  /** False only while offline: the UI hides native QR and says why. */
  wechatAvailable: boolean;
  /** Outbox operations not finished (pending or in flight). */
  queueLength: number;
  oldestCreatedAt: number | null;
  oldestAgeMs: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  /** The last problem in words for the manager (lastError keeps the code for the log and IT). */
  lastProblem: Localized | null;
  lastSuccessAt: number | null;
}

/** Everything a receipt needs, pushed once the sale is known paid (at least once: dedupe by sale id). */
export interface SalePaidEvent {
  sale: SaleView;
}

/**
 * A WeChat payment recorded for a sale the counter was not showing (after a restart, a late answer, a tender
 * started outside the counter): the customer may have paid this basket another way too. A person resolves it:
 * kept (it was this basket) or refunded (with a manager's approval). Open ones are listed on the X/Z reports.
 */
export interface PaymentAlertView {
  id: number;
  saleId: number;
  terminalId: string;
  receiptNo: number;
  attemptId: number;
  mode: AttemptMode;
  amountFen: Fen;
  paidAt: number;
  /** The receipt number of the sale the counter showed when the money arrived, or null for none. */
  counterReceiptNo: number | null;
  state: 'open' | 'kept' | 'refunded';
  resolvedBy: string | null;
  resolvedAt: number | null;
}

/** The events the payment service pushes; the API contract forwards them to the windows. */
export interface PaymentEvents {
  'payment.alert': PaymentAlertView;
  'sale.updated': SaleView;
  'sale.paid': SalePaidEvent;
  'attempt.updated': AttemptView;
  'refund.updated': RefundView;
  /** A refund of another counter's sale made here changed state (it has no local sale, so it is not a 'refund.updated'). */
  'otherCounterRefund.updated': OtherCounterRefundView;
  'sync.status': SyncStatus;
}

// ---- Requests (validated where they enter the main side) ----

export interface NewSaleLine {
  name: string;
  unitFen: number;
  quantity: number;
}

export interface NewSale {
  cashierId: string;
  shiftId?: string | null;
  /** Either lines or a plain amount typed on the numpad. */
  lines?: NewSaleLine[];
  amountFen?: number;
  description?: string;
}

export interface RefundRequestInput {
  saleId: number;
  amountFen: number;
  /** The approving manager's id (PIN checked by the auth feature before this call). */
  approvedBy: string;
  reason?: string;
}

// ---- Words ----

/** Local reasons (not from WeChat). */
export const LOCAL_REASONS = {
  notWechatCode: { code: 'LOCAL_NOT_WECHAT_CODE', zh: '不是微信付款码，请让顾客出示微信付款码', en: 'Not a WeChat payment code; ask for the WeChat code' },
  neverSent: { code: 'LOCAL_NEVER_SENT', zh: '网络中断，付款码已失效，未扣款，请重新扫码或改用其他方式', en: 'Network down until the code expired; no money taken. Rescan or use another method' },
  codeLost: { code: 'LOCAL_CODE_LOST', zh: '收银程序重启，付款码未发出，未扣款，请重新扫码', en: 'The app restarted before the code was sent; no money taken. Scan again' },
  neverReached: { code: 'LOCAL_NEVER_REACHED', zh: '订单未到达微信，未扣款', en: 'The order never reached WeChat; no money taken' },
  revoked: { code: 'REVOKED', zh: '已撤销，未扣款', en: 'Reversed; no money taken' },
  qrExpired: { code: 'LOCAL_QR_EXPIRED', zh: '二维码已过期', en: 'The QR code expired' },
  qrCancelled: { code: 'LOCAL_QR_CANCELLED', zh: '已取消二维码收款', en: 'QR payment cancelled' },
  qrUnavailable: { code: 'LOCAL_QR_NOT_CREATED', zh: '无法生成二维码（网络问题），请改用其他方式', en: 'Could not create the QR code (network); use another method' },
  offline: { code: 'LOCAL_OFFLINE', zh: '网络中断，暂不能使用二维码收款，可用付款码或现金', en: 'Offline: QR payment unavailable; use a payment code or cash' },
  manager: { code: 'LOCAL_NEEDS_MANAGER', zh: '自动处理失败，需要店长处理', en: 'Automatic handling failed; a manager must check it' },
  superseded: { code: 'LOCAL_SUPERSEDED', zh: '已改用其他方式收款', en: 'Replaced by another payment method' },
} as const satisfies Record<string, Reason>;

const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

function withRemaining(base: Localized, until: number | null, now: number): Localized {
  if (until === null || until <= now) return base;
  const s = seconds(until - now);
  return { zh: `${base.zh}（剩余 ${s} 秒）`, en: `${base.en} (${s} s left)` };
}

const NETWORK_RETRYING: Localized = { zh: '网络中断，重试中', en: 'Network interrupted, retrying' };

/**
 * What the cashier reads for an attempt right now. `online` is the sync status' view of WeChat; `now` drives the
 * countdowns, so the UI calls this every second.
 */
export function describeAttempt(view: AttemptView, ctx: { now: number; online: boolean }): Localized {
  const { now } = ctx;
  switch (view.state) {
    case 'queued':
      return ctx.online
        ? withRemaining({ zh: '正在发送', en: 'Sending' }, view.sendDeadlineAt, now)
        : withRemaining(NETWORK_RETRYING, view.sendDeadlineAt, now);
    case 'sending':
      return { zh: '正在支付…', en: 'Charging…' };
    case 'user-paying':
      return { zh: '等待顾客输入密码', en: "Waiting for the customer's password" };
    case 'confirming':
      return view.networkTrouble
        ? withRemaining(NETWORK_RETRYING, view.resolveBy, now)
        : { zh: '支付结果确认中', en: 'Confirming the payment result' };
    case 'reversing':
      return { zh: '正在撤销', en: 'Reversing' };
    case 'reversed':
      return { zh: '已撤销', en: 'Reversed' };
    case 'paid':
      return { zh: '支付成功', en: 'Paid' };
    case 'failed':
    case 'cancelled':
      return view.failure ? { zh: view.failure.zh, en: view.failure.en } : { zh: '未扣款', en: 'No money taken' };
    case 'creating':
      return { zh: '正在生成二维码', en: 'Creating the QR code' };
    case 'awaiting-scan':
      return withRemaining({ zh: '请顾客扫码支付', en: 'Ask the customer to scan' }, view.qrExpiresAt, now);
    case 'closing':
      return { zh: '正在关闭订单', en: 'Closing the order' };
    case 'closed':
      return view.failure ? { zh: view.failure.zh, en: view.failure.en } : { zh: '已取消', en: 'Cancelled' };
    case 'refunding':
      return { zh: '已改用其他方式，正在退回该笔付款', en: 'Replaced by another method; refunding this payment' };
    case 'refunded':
      return { zh: '已退款', en: 'Refunded' };
    case 'needs-attention':
      return { zh: LOCAL_REASONS.manager.zh, en: LOCAL_REASONS.manager.en };
  }
}

const REFUND_WORDS: Record<RefundState, Localized> = {
  queued: { zh: '退款处理中（待发送）', en: 'Refund pending (not sent yet)' },
  processing: { zh: '退款处理中', en: 'Refund processing' },
  succeeded: { zh: '退款成功', en: 'Refunded' },
  failed: { zh: '退款失败', en: 'Refund failed' },
  abnormal: { zh: '退款异常，请联系微信支付商户平台处理', en: 'Refund abnormal: resolve it in the WeChat Pay merchant platform' },
};

const CLEARANCE_WAITING: Localized = { zh: '退款等待总部分账回退', en: 'Waiting for head office to return split money' };
const CLEARANCE_WHY: Record<NonNullable<RefundClearanceView['problem']>, Localized> = {
  'hub-unreachable': { zh: '总部暂时无法连接，自动重试', en: 'the head office cannot be reached; retrying automatically' },
  'hub-stopped': { zh: '本机与总部的连接已停用，请联系总部', en: 'this counter is no longer linked to the head office: contact head office' },
  'hub-busy': { zh: '总部正在为这笔订单分账，稍后自动重试', en: 'the head office is splitting this order right now; retrying shortly' },
  'returns-pending': { zh: '分账回退处理中', en: 'the split money is being returned' },
  'return-failed': { zh: '分账回退失败，请联系总部', en: 'returning the split money failed: contact head office' },
};

/**
 * A refund still waiting for the hub's clearance, in words for the manager and the cashier: 退款等待总部分账回退 and
 * why (the hub cannot be reached, returns in flight, a return WeChat refused with its reason). Null when it does not
 * wait (no clearance needed, cleared, or already final).
 */
export function describeRefundClearance(view: Pick<RefundView, 'state' | 'clearance'>): Localized | null {
  const c = view.clearance;
  if (!c || c.state !== 'waiting' || view.state !== 'queued') return null;
  if (c.problem === null) return CLEARANCE_WAITING;
  const why = CLEARANCE_WHY[c.problem];
  const detail = c.detail ? `（${c.detail}）` : '';
  return { zh: `${CLEARANCE_WAITING.zh}：${why.zh}${detail}`, en: `${CLEARANCE_WAITING.en}: ${why.en}${c.detail ? ` (${c.detail})` : ''}` };
}

export function describeRefund(view: RefundView): Localized {
  const waiting = describeRefundClearance(view);
  if (waiting) return waiting;
  const base = REFUND_WORDS[view.state];
  if (view.state === 'failed' && view.failure) return { zh: `${base.zh}：${view.failure.zh}`, en: `${base.en}: ${view.failure.en}` };
  return base;
}
