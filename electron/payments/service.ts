import { randomInt } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import type {
  AttemptView,
  NewSale,
  PaymentEvents,
  PaymentAlertView,
  RefundRequestInput,
  OtherCounterRefundView,
  RefundResult,
  RefundView,
  SaleView,
  SyncStatus,
} from '../../shared/payments';
import type { PaymentHint } from '../../shared/hub-protocol';
import { getOrCreateMeta } from '../db/app-meta';
import { getCounterSale, getPaymentAlert, listPaymentAlerts, setCounterSale } from '../db/payment-alerts';
import { getRefund, listRefundsForSale } from '../db/refunds';
import { findSaleByReceiptNo, findSaleWithTenderInProgress, listPaidSalesUndelivered, listSalesBetween, markPaidEventDelivered } from '../db/sales';
import { getAttempt, listAttemptsForReview, listNonFinalAttempts, updateAttempt } from '../db/wechat-attempts';
import type { Random } from '../sync/backoff';
import { ConnectivityMonitor, DEFAULT_CONNECTIVITY_POLICY, type ConnectivityPolicy } from '../sync/connectivity';
import { DEFAULT_ENDPOINT_LIMIT, EndpointLimiter, type EndpointLimit } from '../sync/rate-limit';
import { reportBatchHandler } from '../sync/reports';
import { OutboxWorker, type ClaimedJob } from '../sync/worker';
import type { WechatPayClient } from '../wechat/types';
import { ChangeSet } from './changes';
import { createRunKeyVault } from './code-vault';
import type { PaymentContext } from './context';
import { refuse } from './errors';
import { EventHub } from './event-hub';
import { bringQueryForward, type HintOutcome } from './hints';
import { micropayHandlers } from './micropay';
import { nativeHandlers, stopNativeAttempt } from './native-qr';
import { paymentAlertView, recordAlertKept, recordAlertRefunded } from './payment-alerts';
import { DEFAULT_PAYMENT_POLICY, ENDPOINTS, type PaymentPolicy } from './policy';
import { resumeOrphans } from './recovery';
import type { RefundClearanceGate } from './refund-clearance';
import { recordRefundRequest, refundHandlers } from './refunds';
import { otherCounterRefundView, recordOtherCounterRefund, type OtherCounterRefundInput } from './other-counter-refunds';
import { recordNewSale, recordVoid, supersedeAttempt } from './sales';
import { recordCash, recordCashSale, recordNativeStart, recordScan } from './take-tender';
import { INSTALL_ID, probeOrderNo, randomInstallId, TERMINAL_ID } from './trade-no';
import { attemptView, refundView, saleView, saleViewOf } from './views';

export interface PaymentServiceDeps {
  db: Database;
  client: WechatPayClient;
  clock: Clock;
  logger: Logger;
  /** 1–8 letters or digits; part of every out_trade_no and receipt number space. */
  terminalId: string;
  /** Jitter and backoff randomness (default Math.random). */
  random?: Random;
  /** Called after a cash tender or cash refund committed; the devices feature owns the drawer bytes. */
  openDrawer?: () => void;
  policy?: Partial<PaymentPolicy>;
  connectivity?: Partial<ConnectivityPolicy>;
  maxInflight?: number;
  tickMs?: number;
  /** Requests per endpoint the worker allows itself (default DEFAULT_ENDPOINT_LIMIT; the drain benchmark raises it). */
  endpointLimit?: EndpointLimit;
  /** The hub's refund clearance for a profit-sharing store (refund-clearance.ts); absent: refunds go straight to WeChat. */
  refundClearance?: RefundClearanceGate;
}

export interface CashResult {
  sale: SaleView;
  tenderId: number;
  changeFen: number;
}

/** The cashier-facing payment API. Every method is synchronous (one SQLite transaction); WeChat is reached only by the worker. */
export interface PaymentService {
  createSale(input: NewSale): SaleView;
  getSale(saleId: number): SaleView;
  findSaleByReceiptNo(receiptNo: number): SaleView | null;
  listSales(range: { from: number; to: number; limit?: number }): SaleView[];
  voidSale(saleId: number, reason?: string): SaleView;
  /** A scanned text: validated, queued (store and forward) and sent by the worker. */
  scanPaymentCode(saleId: number, scanned: string, amountFen?: number): AttemptView;
  /** Refused with code OFFLINE while WeChat is unreachable. */
  startNativeQr(saleId: number, amountFen?: number): AttemptView;
  cancelNativeQr(attemptId: number): AttemptView;
  payCash(saleId: number, tenderedFen: number, amountFen?: number): CashResult;
  /**
   * A sale paid in full in cash, recorded in ONE transaction (one fsync): the sale, its lines, its receipt number
   * and the cash tender; with `onCounter`, it also becomes this terminal's counter sale in the same commit.
   */
  cashSale(input: NewSale, tenderedFen: number, options?: { onCounter?: boolean }): CashResult;
  /**
   * A payment code scanned for a cart that is not a sale yet, recorded in ONE transaction: the sale, its lines, the
   * micropay attempt (holding the code) and its outbox job; with `onCounter`, also this terminal's counter sale.
   * A code that is refused (not a WeChat code) leaves nothing behind, not even the sale.
   */
  codeSale(input: NewSale, scanned: string, options?: { onCounter?: boolean }): { sale: SaleView; attempt: AttemptView };
  /** Give up waiting on an attempt without taking another tender yet (taking one supersedes automatically). */
  supersedeAttempt(attemptId: number): AttemptView;
  getAttempt(attemptId: number): AttemptView;
  /** For the manager: attempts not final, superseded ones (last 7 days), and ones needing attention. */
  listAttemptsForReview(): AttemptView[];
  requestRefund(input: RefundRequestInput): RefundResult;
  /** A WeChat refund of another counter's sale as the hub just showed it (other-counter-refunds.ts). */
  refundOtherCounterSale(input: OtherCounterRefundInput): OtherCounterRefundView;
  getOtherCounterRefund(refundId: number): OtherCounterRefundView;
  listRefunds(saleId: number): RefundView[];
  syncStatus(): SyncStatus;
  on<E extends keyof PaymentEvents>(event: E, listener: (payload: PaymentEvents[E]) => void): () => void;
  /**
   * The sale on this terminal's counter (null: none). Written on every change, so a restart comes back to it and
   * a payment for any other sale raises a payment alert (see payment-alerts.ts).
   */
  setCounterSale(saleId: number | null): void;
  /** What setCounterSale last stored; undefined when no counter ever ran on this terminal. */
  counterSale(): number | null | undefined;
  /** The newest open sale of this terminal with a WeChat tender still in progress (not superseded), if any. */
  saleWithTenderInProgress(): number | null;
  listPaymentAlerts(openOnly: boolean): PaymentAlertView[];
  /** "It was this basket": the payment stays. */
  keepPaymentAlert(alertId: number, by: string): PaymentAlertView;
  /** "The basket was paid another way": the payment is refunded (approvedBy: the manager whose PIN was checked). */
  refundPaymentAlert(alertId: number, approvedBy: string, by: string): { alert: PaymentAlertView; refund: RefundView | null };
  /**
   * A paid / refunded hint from the hub's push channel: never recorded as such, it only brings this counter's own
   * query of that order forward to now (hints.ts); the query's answer is what records anything.
   */
  takeHint(hint: PaymentHint): HintOutcome;
  /** Crash recovery only (tests drive the worker by hand afterwards). */
  recover(): void;
  /** Recovery, then the worker's timer loop. */
  start(): void;
  stop(): Promise<void>;
  readonly worker: OutboxWorker;
  readonly monitor: ConnectivityMonitor;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export function createPaymentService(deps: PaymentServiceDeps): PaymentService {
  const { db, clock, logger } = deps;
  if (!TERMINAL_ID.test(deps.terminalId)) throw new Error('terminal id must be 1–8 letters or digits');
  // Erased auth codes are overwritten in the file, not just unlinked.
  db.pragma('secure_delete = ON');
  const installId = getOrCreateMeta(db, 'install_id', () => randomInstallId(randomInt));
  if (!INSTALL_ID.test(installId)) throw new Error('stored install id is malformed');
  const policy: PaymentPolicy = { ...DEFAULT_PAYMENT_POLICY, ...deps.policy };
  const random = deps.random ?? Math.random;
  const ids = { terminalId: deps.terminalId, installId };
  const hub = new EventHub(logger);
  const probeNo = probeOrderNo(ids);
  const monitor = new ConnectivityMonitor(clock, () => deps.client.queryOrder(probeNo), random, {
    ...DEFAULT_CONNECTIVITY_POLICY,
    ...deps.connectivity,
  });

  const mustOtherCounterRefund = (refundId: number): OtherCounterRefundView => {
    const row = getRefund(db, refundId);
    if (!row || row.origin_terminal_id === null) throw refuse('NOT_FOUND', '找不到该笔退款', 'Refund not found');
    return otherCounterRefundView(row);
  };

  const hintsTaken = new Map<string, number>();

  const publish = (changes: ChangeSet): void => {
    for (const id of changes.attempts) {
      const row = getAttempt(db, id);
      if (row) hub.emit('attempt.updated', attemptView(row, policy));
    }
    for (const id of changes.refunds) {
      const row = getRefund(db, id);
      // Refunds of another counter's sale have no local sale to update (other-counter-refunds.ts): their own event.
      if (row && row.sale_id !== null) hub.emit('refund.updated', refundView(row));
      else if (row && row.origin_terminal_id !== null) hub.emit('otherCounterRefund.updated', otherCounterRefundView(row));
    }
    for (const id of changes.sales) {
      const view = changes.saleViews.get(id) ?? saleView(db, id, policy);
      if (!view) continue;
      changes.saleViews.set(id, view);
      hub.emit('sale.updated', view);
    }
    for (const id of changes.alerts) {
      const row = getPaymentAlert(db, id);
      if (row) hub.emit('payment.alert', paymentAlertView(db, row));
    }
    for (const id of changes.paidSales) deliverPaid(id, changes.saleViews.get(id));
    if (changes.openDrawer) {
      try {
        deps.openDrawer?.();
      } catch (error) {
        logger.error('opening the cash drawer failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  };

  /**
   * At least once: marked delivered only when a listener took it without throwing. The mark rides along with the
   * next transaction (or is written within a second when none comes): its own commit would be a second fsync per
   * cash sale. A mark lost in a crash only means the event is delivered again at start (the receipt is one per sale).
   */
  const deliveredUnmarked = new Set<number>();
  let markTimer: NodeJS.Timeout | undefined;
  const writeDeliveredMarks = (ids: readonly number[]): void => {
    for (const id of ids) markPaidEventDelivered(db, id);
  };
  const flushDeliveredMarks = (): void => {
    clearTimeout(markTimer);
    markTimer = undefined;
    const pending = [...deliveredUnmarked];
    if (pending.length === 0) return;
    db.transaction(writeDeliveredMarks)(pending);
    for (const id of pending) deliveredUnmarked.delete(id);
  };
  const deliverPaid = (saleId: number, known?: SaleView): void => {
    if (deliveredUnmarked.has(saleId)) return;
    const view = known ?? saleView(db, saleId, policy);
    if (!view || view.state !== 'paid') return;
    if (!hub.emit('sale.paid', { sale: view })) return;
    deliveredUnmarked.add(saleId);
    markTimer ??= setTimeout(() => {
      try {
        flushDeliveredMarks();
      } catch (error) {
        logger.warn('paid events: delivery marks not written (they are re-sent at start)', { error: error instanceof Error ? error.message : String(error) });
      }
    }, 1_000).unref();
  };

  // A new key per run: a code stored by an earlier run is unreadable (that attempt ends "not sent, scan again").
  const codes = createRunKeyVault();
  const ctx: PaymentContext = {
    db, client: deps.client, policy, random, logger, ids, codes, isOnline: () => monitor.isOnline(), publish,
    ...(deps.refundClearance ? { clearance: deps.refundClearance } : {}),
  };

  const worker = new OutboxWorker({
    db,
    clock,
    logger,
    monitor,
    limiter: new EndpointLimiter(clock, () => deps.endpointLimit ?? DEFAULT_ENDPOINT_LIMIT),
    handlers: [
      ...micropayHandlers(ctx),
      ...nativeHandlers(ctx),
      ...refundHandlers(ctx),
      reportBatchHandler({ client: deps.client, policy, random, logger }),
    ],
    maxInflight: deps.maxInflight,
    afterRequestsWritten: deps.client.afterRequestsWritten?.bind(deps.client),
    tickMs: deps.tickMs,
    rateLimitPauseMs: (endpoint) =>
      endpoint === ENDPOINTS.refund || endpoint === ENDPOINTS.refundQuery ? policy.refundRateLimitedMs : policy.otherRateLimitedMs,
  });
  worker.onStatus((status) => hub.emit('sync.status', status));

  /**
   * On start: a QR order still payable whose sale is not the one the counter comes back to (the sale was lost or
   * abandoned across the restart) is closed through the outbox like a cancelled QR, so a customer cannot pay a
   * basket the cashier has since rung another way. A close answering ORDERPAID records the payment (polled, then
   * raised as a payment alert for a sale the counter was not showing: kept or refunded by a manager), never lost.
   * Runs after the worker's own recovery, so jobs left in flight are pending again and can be switched to close.
   */
  function closeAbandonedQrs(): void {
    const current = getCounterSale(db, ids.terminalId)?.sale_id ?? null;
    const closed = inTransaction((changes, now) => {
      let count = 0;
      for (const a of listNonFinalAttempts(db)) {
        if (a.mode !== 'native' || a.sale_id === current || a.cancel_requested_at !== null || a.state === 'closing') continue;
        updateAttempt(db, a.id, { cancel_requested_at: now }, now);
        changes.attempts.add(a.id);
        stopNativeAttempt(ctx, { ...a, cancel_requested_at: now }, now, changes);
        count += 1;
      }
      return count;
    });
    if (closed > 0) logger.warn('closing QR orders whose sale was left behind by a restart', { count: closed });
  }

  /** Publishing outside the caller's stack: a failure is logged (the state is in the database and the next change re-sends it). */
  function publishAfterSend(changes: ChangeSet): void {
    try {
      publish(changes);
    } catch (error) {
      logger.error('events after a send could not be published', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** One synchronous transaction, then the sends a person waits for, then its events, then a nudge for the worker. */
  function inTransaction<T>(fn: (changes: ChangeSet, now: number) => T, changes = new ChangeSet()): T {
    const now = clock.now();
    const marks = [...deliveredUnmarked];
    let claimed: ClaimedJob[] = [];
    // Nested in someone else's transaction, "committed" below would only be a savepoint: leave sending to the loop.
    const outermost = !db.inTransaction;
    const result = db.transaction(() => {
      writeDeliveredMarks(marks);
      const value = fn(changes, now);
      if (outermost) claimed = worker.claimWithin(changes.sendNow);
      return value;
    })();
    for (const id of marks) deliveredUnmarked.delete(id);
    // The customer is waiting on these: the request leaves before the windows are told about the sale. Its write
    // waits one event-loop poll (warm-agents.ts), so the windows' events wait for the write, not the other way round.
    // The worker's nudge waits too: its pass (and the status it sends the windows) would run before the write.
    worker.startClaimed(claimed);
    if (claimed.length > 0 && deps.client.afterRequestsWritten) {
      deps.client.afterRequestsWritten(() => {
        publishAfterSend(changes);
        worker.wake();
      });
    } else {
      publish(changes);
      worker.wake();
    }
    return result;
  }

  function mustSale(saleId: number): SaleView {
    const view = saleView(db, saleId, policy);
    if (!view) throw refuse('NOT_FOUND', '找不到该笔销售', 'Sale not found');
    return view;
  }

  function mustAttempt(attemptId: number): AttemptView {
    const row = getAttempt(db, attemptId);
    if (!row) throw refuse('NOT_FOUND', '找不到该笔支付', 'Payment attempt not found');
    return attemptView(row, policy);
  }

  function mustAlert(alertId: number): PaymentAlertView {
    const row = getPaymentAlert(db, alertId);
    if (!row) throw refuse('NOT_FOUND', '找不到该收款提醒', 'Payment alert not found');
    return paymentAlertView(db, row);
  }

  return {
    worker,
    monitor,
    createSale: (input) => mustSale(inTransaction((_, now) => recordNewSale(ctx, input, now))),
    getSale: mustSale,
    findSaleByReceiptNo(receiptNo) {
      const row = findSaleByReceiptNo(db, ids.terminalId, receiptNo);
      return row ? saleViewOf(db, row, policy) : null;
    },
    listSales: ({ from, to, limit }) => listSalesBetween(db, from, to, Math.min(limit ?? 200, 1000)).map((row) => saleViewOf(db, row, policy)),
    voidSale(saleId, reason) {
      inTransaction((changes, now) => recordVoid(ctx, saleId, reason?.trim() || null, now, changes));
      return mustSale(saleId);
    },
    scanPaymentCode: (saleId, scanned, amountFen) =>
      mustAttempt(inTransaction((changes, now) => recordScan(ctx, saleId, scanned, amountFen, now, changes))),
    startNativeQr: (saleId, amountFen) =>
      mustAttempt(inTransaction((changes, now) => recordNativeStart(ctx, saleId, amountFen, now, changes))),
    cancelNativeQr(attemptId) {
      inTransaction((changes, now) => {
        const row = getAttempt(db, attemptId);
        if (!row || row.mode !== 'native') throw refuse('NOT_FOUND', '找不到该二维码收款', 'QR payment not found');
        if (row.cancel_requested_at !== null || ['paid', 'closed', 'failed', 'refunded', 'refunding'].includes(row.state)) return;
        updateAttempt(db, attemptId, { cancel_requested_at: now }, now);
        changes.attempts.add(attemptId);
        stopNativeAttempt(ctx, { ...row, cancel_requested_at: now }, now, changes);
      });
      return mustAttempt(attemptId);
    },
    payCash(saleId, tenderedFen, amountFen) {
      const taken = inTransaction((changes, now) => recordCash(ctx, saleId, tenderedFen, amountFen, now, changes));
      return { sale: mustSale(saleId), tenderId: taken.tenderId, changeFen: taken.changeFen };
    },
    cashSale(input, tenderedFen, options = {}) {
      const changes = new ChangeSet();
      const taken = inTransaction((_, now) => {
        // Paid in full or not at all: a part payment needs the sale on the counter first (checkout, then tenders).
        const cash = recordCashSale(ctx, input, tenderedFen, now, changes);
        if (options.onCounter) setCounterSale(db, ids.terminalId, cash.saleId, now);
        return cash;
      }, changes);
      // The view the windows were just sent (built once after the commit) is the caller's answer too.
      return { sale: changes.saleViews.get(taken.saleId) ?? mustSale(taken.saleId), tenderId: taken.tenderId, changeFen: taken.changeFen };
    },
    codeSale(input, scanned, options = {}) {
      const taken = inTransaction((changes, now) => {
        const saleId = recordNewSale(ctx, input, now);
        const attemptId = recordScan(ctx, saleId, scanned, undefined, now, changes);
        if (options.onCounter) setCounterSale(db, ids.terminalId, saleId, now);
        return { saleId, attemptId };
      });
      return { sale: mustSale(taken.saleId), attempt: mustAttempt(taken.attemptId) };
    },
    supersedeAttempt(attemptId) {
      mustAttempt(attemptId);
      inTransaction((changes, now) => {
        const row = getAttempt(db, attemptId);
        if (row && !mustAttempt(attemptId).final) supersedeAttempt(ctx, attemptId, now, changes);
      });
      return mustAttempt(attemptId);
    },
    getAttempt: mustAttempt,
    listAttemptsForReview: () => listAttemptsForReview(db, clock.now() - WEEK_MS).map((row) => attemptView(row, policy)),
    requestRefund(input) {
      const ids = inTransaction((changes, now) => recordRefundRequest(ctx, input, now, changes));
      const refunds = ids.map((id) => getRefund(db, id)).filter((r) => r !== undefined).map(refundView);
      return { refunds, pending: refunds.some((r) => r.state === 'queued' || r.state === 'processing') };
    },
    refundOtherCounterSale(input) {
      const id = inTransaction((changes, now) => recordOtherCounterRefund(ctx, input, now, changes));
      return mustOtherCounterRefund(id);
    },
    getOtherCounterRefund: (refundId) => mustOtherCounterRefund(refundId),
    listRefunds: (saleId) => listRefundsForSale(db, saleId).map(refundView),
    syncStatus: () => worker.status(),
    setCounterSale: (saleId) => setCounterSale(db, ids.terminalId, saleId, clock.now()),
    counterSale: () => getCounterSale(db, ids.terminalId)?.sale_id,
    saleWithTenderInProgress: () => findSaleWithTenderInProgress(db, ids.terminalId),
    listPaymentAlerts: (openOnly) => listPaymentAlerts(db, openOnly, 200).map((row) => paymentAlertView(db, row)),
    keepPaymentAlert(alertId, by) {
      inTransaction((changes, now) => recordAlertKept(ctx, alertId, by, now, changes));
      return mustAlert(alertId);
    },
    refundPaymentAlert(alertId, approvedBy, by) {
      const refundId = inTransaction((changes, now) => recordAlertRefunded(ctx, alertId, approvedBy, by, now, changes));
      const refund = refundId === null ? undefined : getRefund(db, refundId);
      return { alert: mustAlert(alertId), refund: refund ? refundView(refund) : null };
    },
    on: (event, listener) => hub.on(event, listener),
    takeHint(hint) {
      const outcome = inTransaction((_, now) => bringQueryForward(db, hint, now, hintsTaken));
      logger.info('hub hint taken', { kind: hint.kind, outTradeNo: hint.outTradeNo, outcome });
      return outcome;
    },
    recover() {
      worker.recover();
      resumeOrphans(db, logger, clock.now());
      closeAbandonedQrs();
      for (const sale of listPaidSalesUndelivered(db)) deliverPaid(sale.id);
      flushDeliveredMarks();
    },
    start() {
      resumeOrphans(db, logger, clock.now());
      worker.start();
      closeAbandonedQrs();
      for (const sale of listPaidSalesUndelivered(db)) deliverPaid(sale.id);
      flushDeliveredMarks();
    },
    async stop() {
      await worker.stop();
      flushDeliveredMarks();
    },
  };
}
