/**
 * An in-process WeChat Pay for unit tests: a small ledger with the sandbox's wallet table (same codes, same
 * state machine in outline) plus scripted faults, so a test can say exactly what the next answer to an operation
 * is. Integration tests use the real sandbox over HTTP instead (electron/sandbox/server.ts).
 */
import type { Clock } from '../../shared/clock';
import { fen } from '../../shared/money';
import { walletFor, USERPAYING_REVOKE_MS, REVERSE_BLOCKED_WHILE_PAYING_MS } from '../../electron/sandbox/wallets';
import type {
  BillRequest,
  BillResult,
  MicropayRequest,
  NativeOrderRequest,
  OrderState,
  RefundRequest,
  RefundState,
  RefundStatus,
  ReportTrade,
  TradeState,
  WechatOutcome,
  WechatPayClient,
} from '../../electron/wechat/types';

export type FakeOp = 'micropay' | 'native' | 'query' | 'close' | 'reverse' | 'refund' | 'refundquery' | 'report';

/**
 * What a scripted fault does to one call:
 * refused — connection refused, nothing processed; drop — processed, answer lost (timeout);
 * system-error — SYSTEMERROR without processing; rate-limit — too fast, not processed; recall — reverse answers
 * recall=Y without reversing.
 */
export type FakeFault = 'refused' | 'drop' | 'system-error' | 'rate-limit' | 'recall' | 'http-5xx';

export interface FakeOrder {
  outTradeNo: string;
  kind: 'MICROPAY' | 'NATIVE';
  state: TradeState;
  totalFen: number;
  authCode: string | null;
  createdAt: number;
  paysAt: number | null;
  failsAt: number | null;
  paidAt: number | null;
  expiresAt: number | null;
  codeUrl: string | null;
  transactionId: string;
}

export interface FakeRefund {
  outRefundNo: string;
  outTradeNo: string;
  refundFen: number;
  status: RefundStatus;
  succeedsAt: number;
}

const reason = (code: string) => ({ zh: `失败：${code}`, en: `failed: ${code}` });
const fail = (code: string): WechatOutcome<never> => ({ kind: 'failure', code, reason: reason(code) });

export class FakeWechat {
  readonly orders = new Map<string, FakeOrder>();
  readonly refunds = new Map<string, FakeRefund>();
  readonly reports: ReportTrade[][] = [];
  readonly calls: { op: FakeOp; ref: string; at: number }[] = [];
  private readonly usedCodes = new Set<string>();
  private readonly scripted: { op: FakeOp | '*'; fault: FakeFault }[] = [];
  /** While true every call is refused (total outage). */
  outage = false;
  /** Refunds complete this long after they were accepted. */
  refundDelayMs = 2_000;
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  /** The next call of `op` (or of any op with '*') meets this fault; faults queue up in order. */
  script(op: FakeOp | '*', fault: FakeFault, times = 1): void {
    for (let i = 0; i < times; i++) this.scripted.push({ op, fault });
  }

  /** The customer scans the QR and pays now; false if the order cannot be paid any more. */
  customerPays(codeUrl: string): boolean {
    const order = [...this.orders.values()].find((o) => o.codeUrl === codeUrl);
    if (!order) return false;
    this.settle(order);
    if (order.state !== 'NOTPAY' || (order.expiresAt !== null && this.clock.now() > order.expiresAt)) return false;
    order.state = 'SUCCESS';
    order.paidAt = this.clock.now();
    return true;
  }

  order(outTradeNo: string): FakeOrder | undefined {
    const o = this.orders.get(outTradeNo);
    if (o) this.settle(o);
    return o;
  }

  allOrders(): FakeOrder[] {
    for (const o of this.orders.values()) this.settle(o);
    return [...this.orders.values()];
  }

  refundedFen(outTradeNo: string): number {
    return [...this.refunds.values()].filter((r) => r.outTradeNo === outTradeNo && r.status !== 'CLOSED').reduce((s, r) => s + r.refundFen, 0);
  }

  client(): WechatPayClient {
    return {
      apiVersion: 'v2',
      micropay: (req) => this.run('micropay', req.outTradeNo, () => this.micropay(req)),
      createNativeOrder: (req) => this.run('native', req.outTradeNo, () => this.createNative(req)),
      queryOrder: (no) => this.run('query', no, () => this.query(no)),
      closeOrder: (no) => this.run('close', no, () => this.close(no)),
      reverseOrder: (no) => this.run('reverse', no, () => this.reverse(no)),
      refund: (req) => this.run('refund', req.outRefundNo, () => this.refund(req)),
      queryRefund: (no) => this.run('refundquery', no, () => this.queryRefund(no)),
      downloadBill: (_req: BillRequest) => Promise.resolve<WechatOutcome<BillResult>>({ kind: 'success', value: { kind: 'no-bill' } }),
      reportMicropayBatch: (trades) =>
        this.run('report', String(trades.length), () => {
          this.reports.push([...trades]);
          return { kind: 'success', value: undefined };
        }),
    };
  }

  private async run<T>(op: FakeOp, ref: string, process: () => WechatOutcome<T>): Promise<WechatOutcome<T>> {
    // A real round trip yields to the event loop; so does this one.
    await Promise.resolve();
    this.calls.push({ op, ref, at: this.clock.now() });
    if (this.outage) return { kind: 'unknown', cause: 'network', code: 'ECONNREFUSED', detail: 'connect ECONNREFUSED 127.0.0.1' };
    const index = this.scripted.findIndex((s) => s.op === op || s.op === '*');
    const fault = index >= 0 ? this.scripted.splice(index, 1)[0]?.fault : undefined;
    switch (fault) {
      case 'refused':
        return { kind: 'unknown', cause: 'network', code: 'ECONNREFUSED', detail: 'connect ECONNREFUSED 127.0.0.1' };
      case 'system-error':
        return { kind: 'unknown', cause: 'system-error', code: 'SYSTEMERROR', detail: 'SYSTEMERROR' };
      case 'http-5xx':
        return { kind: 'unknown', cause: 'http-5xx', code: 'HTTP_502', detail: 'HTTP 502' };
      case 'rate-limit':
        return { kind: 'unknown', cause: 'rate-limited', code: 'FREQUENCY_LIMITED', detail: 'too fast' };
      case 'recall':
        return { kind: 'success', value: { recall: true } as T };
      case 'drop':
        process();
        return { kind: 'unknown', cause: 'timeout', code: 'TOTAL_TIMEOUT', detail: 'no complete answer' };
      case undefined:
        return process();
    }
  }

  private settle(o: FakeOrder): void {
    const now = this.clock.now();
    if (o.state === 'USERPAYING') {
      const revokeAt = o.createdAt + USERPAYING_REVOKE_MS;
      const events = [
        { at: revokeAt, state: 'REVOKED' as const },
        ...(o.paysAt !== null && o.paysAt < revokeAt ? [{ at: o.paysAt, state: 'SUCCESS' as const }] : []),
        ...(o.failsAt !== null && o.failsAt < revokeAt ? [{ at: o.failsAt, state: 'PAYERROR' as const }] : []),
      ]
        .filter((e) => e.at <= now)
        .sort((a, b) => a.at - b.at);
      const first = events[0];
      if (first) {
        o.state = first.state;
        if (first.state === 'SUCCESS') o.paidAt = first.at;
      }
    }
  }

  private orderState(o: FakeOrder): OrderState {
    const paid = o.state === 'SUCCESS' || o.state === 'REFUND';
    return {
      outTradeNo: o.outTradeNo,
      tradeState: o.state,
      totalFen: fen(o.totalFen),
      ...(paid ? { transactionId: o.transactionId, openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', successTime: o.paidAt ?? undefined } : {}),
    };
  }

  private micropayAnswer(o: FakeOrder): WechatOutcome<OrderState> {
    switch (o.state) {
      case 'SUCCESS':
      case 'REFUND':
        return { kind: 'success', value: this.orderState(o) };
      case 'USERPAYING':
        return { kind: 'unknown', cause: 'user-paying', code: 'USERPAYING', detail: 'USERPAYING' };
      case 'REVOKED':
        return fail('ORDERREVERSED');
      case 'CLOSED':
        return fail('ORDERCLOSED');
      default:
        return fail('TRADE_ERROR');
    }
  }

  private micropay(req: MicropayRequest): WechatOutcome<OrderState> {
    const now = this.clock.now();
    const existing = this.orders.get(req.outTradeNo);
    if (existing) {
      this.settle(existing);
      if (existing.authCode !== req.authCode || existing.totalFen !== req.totalFen) return fail('OUT_TRADE_NO_USED');
      return this.micropayAnswer(existing);
    }
    const wallet = walletFor(req.authCode);
    if (wallet.kind === 'expired') return fail('AUTHCODEEXPIRE');
    if (wallet.kind === 'already-used' || this.usedCodes.has(req.authCode)) return fail('AUTH_CODE_ERROR');
    this.usedCodes.add(req.authCode);
    const after = (s: number): number => now + s * 1000;
    const o: FakeOrder = {
      outTradeNo: req.outTradeNo, kind: 'MICROPAY', state: 'USERPAYING', totalFen: req.totalFen, authCode: req.authCode,
      createdAt: now, paysAt: null, failsAt: null, paidAt: null, expiresAt: null, codeUrl: null, transactionId: `42000${++this.seq}`,
    };
    switch (wallet.kind) {
      case 'instant':
      case 'bank-error':
        o.state = 'SUCCESS';
        o.paidAt = now;
        break;
      case 'password':
        o.paysAt = after(wallet.seconds);
        break;
      case 'password-cancel':
        o.failsAt = after(wallet.seconds);
        break;
      case 'not-enough':
        o.state = 'PAYERROR';
        break;
      default:
        break;
    }
    this.orders.set(o.outTradeNo, o);
    if (wallet.kind === 'not-enough') return fail('NOTENOUGH');
    if (wallet.kind === 'bank-error') return { kind: 'unknown', cause: 'system-error', code: 'BANKERROR', detail: 'BANKERROR' };
    return this.micropayAnswer(o);
  }

  private createNative(req: NativeOrderRequest): WechatOutcome<{ codeUrl: string }> {
    const now = this.clock.now();
    const existing = this.orders.get(req.outTradeNo);
    if (existing) {
      if (existing.totalFen !== req.totalFen) return fail('OUT_TRADE_NO_USED');
      if (existing.state === 'SUCCESS') return fail('ORDERPAID');
      return { kind: 'success', value: { codeUrl: existing.codeUrl ?? '' } };
    }
    if (req.timeExpire < now + 5 * 60_000) return fail('PARAM_ERROR');
    const o: FakeOrder = {
      outTradeNo: req.outTradeNo, kind: 'NATIVE', state: 'NOTPAY', totalFen: req.totalFen, authCode: null, createdAt: now,
      paysAt: null, failsAt: null, paidAt: null, expiresAt: req.timeExpire, codeUrl: `weixin://wxpay/bizpayurl?pr=fake${++this.seq}`,
      transactionId: `42000${this.seq}`,
    };
    this.orders.set(o.outTradeNo, o);
    return { kind: 'success', value: { codeUrl: o.codeUrl ?? '' } };
  }

  private query(outTradeNo: string): WechatOutcome<OrderState> {
    const o = this.order(outTradeNo);
    return o ? { kind: 'success', value: this.orderState(o) } : fail('ORDERNOTEXIST');
  }

  private close(outTradeNo: string): WechatOutcome<void> {
    const o = this.order(outTradeNo);
    if (!o) return fail('ORDERNOTEXIST');
    if (o.state === 'SUCCESS' || o.state === 'REFUND') return fail('ORDERPAID');
    o.state = 'CLOSED';
    return { kind: 'success', value: undefined };
  }

  private reverse(outTradeNo: string): WechatOutcome<{ recall: boolean }> {
    const o = this.order(outTradeNo);
    if (!o) return fail('ORDERNOTEXIST');
    if (o.kind !== 'MICROPAY' || o.state === 'REFUND') return fail('TRADE_ERROR');
    if (o.state === 'USERPAYING' && this.clock.now() - o.createdAt < REVERSE_BLOCKED_WHILE_PAYING_MS) {
      return { kind: 'unknown', cause: 'user-paying', code: 'USERPAYING', detail: 'USERPAYING' };
    }
    o.state = 'REVOKED';
    return { kind: 'success', value: { recall: false } };
  }

  private refund(req: RefundRequest): WechatOutcome<{ refundId?: string; status: RefundStatus }> {
    const existing = this.refunds.get(req.outRefundNo);
    if (existing) return { kind: 'success', value: { refundId: `50${existing.outRefundNo}`, status: 'PROCESSING' } };
    const o = this.order(req.outTradeNo);
    if (!o || (o.state !== 'SUCCESS' && o.state !== 'REFUND')) return fail('TRADE_STATE_ERROR');
    if (o.totalFen !== req.totalFen) return fail('PARAM_ERROR');
    if (this.refundedFen(o.outTradeNo) + req.refundFen > o.totalFen) return fail('REFUND_FEE_INVALID');
    this.refunds.set(req.outRefundNo, {
      outRefundNo: req.outRefundNo, outTradeNo: o.outTradeNo, refundFen: req.refundFen, status: 'PROCESSING',
      succeedsAt: this.clock.now() + this.refundDelayMs,
    });
    o.state = 'REFUND';
    return { kind: 'success', value: { refundId: `50${req.outRefundNo}`, status: 'PROCESSING' } };
  }

  private queryRefund(outRefundNo: string): WechatOutcome<RefundState> {
    const r = this.refunds.get(outRefundNo);
    if (!r) return fail('REFUNDNOTEXIST');
    if (r.status === 'PROCESSING' && r.succeedsAt <= this.clock.now()) r.status = 'SUCCESS';
    return { kind: 'success', value: { outRefundNo, refundFen: fen(r.refundFen), status: r.status } };
  }
}

/** A payment code for a sandbox test wallet (see electron/sandbox/wallets.ts), unique by `serial`. */
export function walletCode(wallet: '01' | '02' | '03' | '04' | '05' | '06' | '07' | '08', serial: number, seconds = 0): string {
  return `13${wallet}${String(seconds).padStart(2, '0')}0000${String(serial).padStart(8, '0')}`;
}

export const WALLETS = {
  instant: '01',
  password: '02',
  passwordNever: '03',
  notEnough: '04',
  expired: '05',
  alreadyUsed: '06',
  bankError: '07',
  passwordCancel: '08',
} as const;

/** The fake's books in the shape the invariant checker reads. */
export function fakeLedger(wechat: FakeWechat): {
  orders: { outTradeNo: string; tradeType: 'MICROPAY' | 'NATIVE'; tradeState: string; totalFen: number }[];
  refunds: { outRefundNo: string; outTradeNo: string; refundFen: number; status: string }[];
} {
  return {
    orders: wechat.allOrders().map((o) => ({ outTradeNo: o.outTradeNo, tradeType: o.kind, tradeState: o.state, totalFen: o.totalFen })),
    refunds: [...wechat.refunds.values()].map((r) => ({ outRefundNo: r.outRefundNo, outTradeNo: r.outTradeNo, refundFen: r.refundFen, status: r.status })),
  };
}
