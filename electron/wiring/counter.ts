import type { CounterState, LastScan, SessionUser } from '../../shared/api';
import type { ItemView, ScanFeedback } from '../../shared/items';
import { classifyScan, describeScanForLog, type ClassifiedScan } from '../../shared/scan';
import { containsPaymentCodeRun, maskPaymentCodeRuns } from '../../shared/mask';
import type { Clock } from '../../shared/clock';
import type { CustomerDisplayState } from '../../shared/display';
import type { Localized } from '../../shared/i18n';
import type { Logger } from '../../shared/log';
import { fen, type Fen } from '../../shared/money';
import { type AttemptView, type NewSaleLine, type SaleView } from '../../shared/payments';
import { customerWords } from '../display/customer-words';
import { ServiceError } from '../../shared/result';
import { routeScan, type ScanSource } from '../devices/scanner/route';
import { ScanGate } from '../devices/scanner/scan-gate';
import type { CustomerDisplay } from '../display/customer-display';
import type { EventHub } from '../host/event-hub';
import type { CashResult, PaymentService } from '../payments/service';
import type { ShiftView } from '../../shared/shifts';

export interface Cart {
  lines: NewSaleLine[];
  amountFen?: number | undefined;
}

/** How long a payment code read with no amount known waits for the window's cart, then for it to settle. */
const CART_IN_FLIGHT_FIRST_WAIT_MS = 300;
const CART_IN_FLIGHT_QUIET_MS = 60;

const cartTotalFen = (cart: Cart): number =>
  cart.lines.length > 0 ? cart.lines.reduce((sum, line) => sum + line.unitFen * line.quantity, 0) : (cart.amountFen ?? 0);

const NOT_SIGNED_IN = new ServiceError('NOT_SIGNED_IN', '请先登录收银员 / Sign in first');
/** Every sale belongs to a shift (the Z report counts it there): no open shift, no sale. Refunds of old sales stay allowed. */
const NO_OPEN_SHIFT_TEXT: Localized = { zh: '请先开班', en: 'Open a shift first' };
/** After the blind count the drawer must not change until the shift is closed. */
const SHIFT_COUNTED_TEXT: Localized = { zh: '本班次已清点现金，请先交班', en: 'The cash of this shift has been counted: close the shift first' };
/** A manager closed (or counted) the shift while this sale was still on the counter. */
const SALE_SHIFT_CLOSED_TEXT: Localized = {
  zh: '此单所属班次已交班或已清点，不能再收款：请作废此单，开班后重新收款',
  en: "This sale's shift is closed or counted: void the sale and ring it up again on an open shift",
};
/** Not in the item list and looks like a payment code with stray characters (a misread): say so rather than "unknown item". */
const DAMAGED_PAYMENT_CODE_TEXT: Localized = {
  zh: '扫到的内容像付款码但多了字符，无法识别，请重新扫码',
  en: 'That looks like a payment code with extra characters; please scan again',
};
const refusal = (code: string, text: Localized): ServiceError => new ServiceError(code, `${text.zh} / ${text.en}`, text);
/** The restored sale's QR expired (or its code's time ran out) while the app was stopped, and no money came. */
const EXPIRED_WHILE_DOWN_REASON = 'tender expired while the counter was stopped: nothing was paid';
const expiredWhileDownText = (receiptNo: number): Localized => ({
  zh: `小票 ${receiptNo} 的收款在收银机关闭期间已过期，未收到款，此单已作废：请重新收款`,
  en: `Receipt ${receiptNo}: the payment expired while the counter was off and nothing was paid; the sale was voided, ring it up again`,
});
/** Whether an unresolved attempt's time for the customer ran out (QR expiry, or the code's 45 s) before `now`. */
const customerTimeOver = (attempt: AttemptView, now: number): boolean => {
  const until = attempt.mode === 'native' ? attempt.qrExpiresAt : (attempt.resolveBy ?? attempt.sendDeadlineAt);
  return until !== null && until <= now;
};

/**
 * The counter of this terminal: who is signed in, the cart on screen, the sale being paid, and where a scan goes.
 * Serial scans (main side) and keyboard-wedge scans (sent by the cashier window) both arrive here, so a payment
 * code is handled the same whichever scanner read it. Pushes 'counter.state' and drives the customer display.
 */
export class Counter {
  private cashier: SessionUser | null = null;
  /** The cashier window's connection the cashier signed in over: when it goes, so does the sign-in. */
  private cashierConnection: string | null = null;
  private cart: Cart = { lines: [] };
  private activeSaleId: number | null = null;
  private notice: CounterState['notice'] = null;
  private scannedReceipt: CounterState['scannedReceipt'] = null;
  private last: LastScan | null = null;
  /**
   * A sale restored at start whose tender's time ran out while the app was stopped: if that tender ends without
   * money, the sale is voided with the reason rather than left open (see restore()).
   */
  private voidIfUnpaidSaleId: number | null = null;
  /** Scans waiting for the cashier window's cart (see awaitCartInFlight). */
  private readonly previewWaiters = new Set<() => void>();
  /** Every scan passes here: one at a time, at a person's pace; a flood is dropped and counted, not handled. */
  private readonly scanGate: ScanGate;

  constructor(
    private readonly deps: {
      payments: PaymentService;
      events: EventHub;
      display: CustomerDisplay;
      clock: Clock;
      logger: Logger;
      sandbox: boolean;
      /** This terminal's open shift, if any: a sale belongs to it (the Z report counts it there). */
      currentShift: () => Pick<ShiftView, 'id' | 'countedAt'> | null;
      /** Whether the drawer holds more cash than the cap: a reason to ask for a cash drop (投库), or null. */
      cashDrawerOverCap: () => Localized | null;
      /** The item list's entry for a scanned product barcode (active or not), or null when it has none. */
      findItem: (barcode: string) => ItemView | null;
      /** A sale is starting: open a warm connection to WeChat now, so its handshake overlaps the customer's phone. */
      preconnect?: () => void;
      /** Runs `then` once the WeChat requests just started are written (the client's afterRequestsWritten). */
      afterRequestsWritten?: (then: () => void) => void;
      /** This counter's terminal id (a receipt QR of another one is that counter's sale, found at the hub). */
      terminalId?: () => string;
      /** Someone signed in at the cashier window, or nobody is now (the window's language follows the person). */
      onCashierChanged?: (cashier: SessionUser | null) => void;
    },
  ) {
    this.scanGate = new ScanGate({
      clock: deps.clock,
      logger: deps.logger,
      handle: (text, source) => this.handleOneScan(text, source),
      onDropped: (count) => this.tell({ zh: `扫码过快，已忽略 ${count} 次扫码`, en: `Scans came too fast: ${count} ignored` }),
    });
    deps.payments.on('attempt.updated', (attempt) => this.onAttempt(attempt));
    deps.payments.on('sale.updated', (sale) => {
      if (sale.id !== this.activeSaleId) return;
      // A cash part of a split tender just paid: the customer sees what is left to pay (a WeChat part's outcome is
      // shown by onAttempt, so a failed one is not covered up).
      const last = sale.tenders.at(-1);
      if (sale.state === 'open' && sale.paidFen > 0 && last?.kind === 'cash' && last.state === 'paid') this.deps.display.showDue(sale);
      this.publish();
    });
    // A payment on a sale the counter is not showing: the cashier is asked at once (the manager hears it too).
    deps.payments.on('payment.alert', () => this.publish());
  }

  state(): CounterState {
    const activeSale = this.activeSaleId === null ? null : this.deps.payments.getSale(this.activeSaleId);
    const paymentAlerts = this.deps.payments.listPaymentAlerts(true);
    return { cashier: this.cashier, activeSale, notice: this.notice, scannedReceipt: this.scannedReceipt, paymentAlerts };
  }

  /**
   * After a start (a crash, a power cut, a restart): the counter comes back where it was. The sale it showed
   * (stored on every change) is the active sale again, with its QR and countdown or its progress on both screens,
   * so no new sale can start before it is finished, cancelled or voided. A database from before the counter stored
   * its sale gets the newest sale with a WeChat tender still in progress. Call before the payment worker starts,
   * so that every answer arriving after the restart meets the restored counter. A sale whose tender's time ran out
   * while the app was stopped is voided with the reason once that tender ends without money (a payment that
   * arrived meanwhile still completes it).
   */
  restore(): void {
    const stored = this.deps.payments.counterSale();
    const storedSale = stored === null || stored === undefined ? null : this.deps.payments.getSale(stored);
    const saleId = storedSale && storedSale.state !== 'voided' ? storedSale.id : this.deps.payments.saleWithTenderInProgress();
    this.setActive(saleId);
    if (saleId === null) return;
    const sale = this.deps.payments.getSale(saleId);
    const attempt = latestAttempt(sale);
    this.deps.logger.info('counter: restored the sale it showed before the restart', {
      saleId,
      receiptNo: sale.receiptNo,
      state: sale.state,
      attempt: attempt ? attempt.state : null,
    });
    if (attempt && !attempt.final && !attempt.superseded && customerTimeOver(attempt, this.deps.clock.now())) this.voidIfUnpaidSaleId = saleId;
    if (attempt) this.onAttempt(attempt);
  }

  signIn(user: SessionUser, connectionId: string): void {
    this.cashier = user;
    this.cashierConnection = connectionId;
    this.publish();
    this.deps.onCashierChanged?.(user);
  }

  signOut(): void {
    this.cashier = null;
    this.cashierConnection = null;
    this.publish();
    this.deps.onCashierChanged?.(null);
  }

  /** A window's connection ended; if the cashier had signed in over it, the counter has no cashier now. */
  disconnected(connectionId: string): void {
    if (connectionId === this.cashierConnection) this.signOut();
  }

  requireCashier(): SessionUser {
    if (!this.cashier) throw NOT_SIGNED_IN;
    return this.cashier;
  }

  /** The cart as the cashier's screen shows it; mirrored on the customer display. */
  preview(cart: Cart): Fen {
    this.cart = cart;
    // The first key of an amount or the first item: a sale is starting (cheap when a connection is already warm).
    if (cartTotalFen(cart) > 0 && this.activeSaleId === null) this.deps.preconnect?.();
    for (const arrived of [...this.previewWaiters]) arrived();
    const sale = this.activeSale();
    // While a tender is in progress the customer display belongs to the payment (QR, 等待输入密码...).
    if (sale?.state === 'open' && sale.tenders.some((t) => t.state === 'pending')) return sale.totalFen;
    return this.deps.display.showCart(cart);
  }

  /**
   * Turns the cart into a sale. An unpaid sale already on the counter with nothing tendered is voided and
   * replaced (the cashier changed the cart); one with a tender in progress must be finished first.
   */
  checkout(cart: Cart): SaleView {
    const cashier = this.requireCashier();
    const shiftId = this.sellableShift().id;
    this.deps.preconnect?.();
    this.replaceUnpaidSale();
    this.cart = cart;
    const sale = this.deps.payments.createSale({
      cashierId: cashier.id,
      shiftId,
      ...(cart.lines.length > 0 ? { lines: cart.lines } : { amountFen: cart.amountFen ?? 0 }),
    });
    this.setActive(sale.id);
    this.notice = null;
    this.publish();
    return sale;
  }

  /**
   * The cart paid in full in cash without a checkout first: the sale, its lines, the cash and the counter's sale in
   * one commit (checkout then payment.cash is two). The sale stays on the counter, paid, until sale.finish.
   */
  cashSale(cart: Cart, tenderedFen: number): CashResult {
    const cashier = this.requireCashier();
    const shiftId = this.sellableShift().id;
    this.replaceUnpaidSale();
    this.cart = cart;
    const sale = { cashierId: cashier.id, shiftId, ...(cart.lines.length > 0 ? { lines: cart.lines } : { amountFen: cart.amountFen ?? 0 }) };
    const result = this.deps.payments.cashSale(sale, tenderedFen, { onCounter: true });
    this.activeSaleId = result.sale.id;
    this.voidIfUnpaidSaleId = null;
    this.notice = null;
    this.publish();
    this.checkCashDrawer();
    return result;
  }

  /**
   * A payment code for the cart before any checkout (the code scanned while the amount is on the screen): the sale,
   * its lines, the attempt with its outbox job and the counter's sale in one commit (checkout then the code was two,
   * three with the counter's sale), so the worker can send it after a single fsync.
   */
  codeSale(cart: Cart, code: string): { sale: SaleView; attempt: AttemptView } {
    const cashier = this.requireCashier();
    const shiftId = this.sellableShift().id;
    this.deps.preconnect?.();
    this.replaceUnpaidSale();
    this.cart = cart;
    const sale = { cashierId: cashier.id, shiftId, ...(cart.lines.length > 0 ? { lines: cart.lines } : { amountFen: cart.amountFen ?? 0 }) };
    const result = this.deps.payments.codeSale(sale, code, { onCounter: true });
    this.activeSaleId = result.sale.id;
    this.voidIfUnpaidSaleId = null;
    this.notice = null;
    // The attempt's first events may have gone out before this sale was the counter's: show where it is now, once
    // the request has left (the screens are not what the customer waits for; the request is).
    const show = (): void => {
      try {
        this.onAttempt(this.deps.payments.getAttempt(result.attempt.id));
      } catch (error) {
        this.deps.logger.error('counter: the scanned payment could not be shown', { error: error instanceof Error ? error.message : String(error) });
      }
    };
    if (this.deps.afterRequestsWritten) this.deps.afterRequestsWritten(show);
    else show();
    return result;
  }

  /** An unpaid sale on the counter with nothing tendered is voided (the cashier changed the cart); one being paid is kept. */
  private replaceUnpaidSale(): void {
    const current = this.activeSale();
    if (!current || current.state !== 'open') return;
    if (current.tenders.some((t) => t.state === 'pending' || t.state === 'paid')) {
      throw new ServiceError('SALE_IN_PROGRESS', '当前订单正在收款，请先完成或处理 / The current sale is being paid: finish it first');
    }
    this.deps.payments.voidSale(current.id, 'cart changed before payment');
  }

  /** The finished sale leaves the counter; the next customer starts from an empty cart. */
  finish(saleId: number): void {
    if (this.activeSaleId !== saleId) return;
    const sale = this.deps.payments.getSale(saleId);
    if (sale.state === 'open' && sale.tenders.some((t) => t.state === 'pending' || t.state === 'paid')) {
      throw new ServiceError('SALE_IN_PROGRESS', '订单尚未付清 / The sale is not fully paid yet');
    }
    if (sale.state === 'open') this.deps.payments.voidSale(saleId, 'cleared by the cashier before payment');
    this.setActive(null);
    this.cart = { lines: [] };
    this.deps.display.showIdle();
    this.publish();
  }

  /** After cash goes in: past the drawer cap, the cashier is asked for a cash drop. */
  checkCashDrawer(): void {
    const over = this.deps.cashDrawerOverCap();
    if (over) this.tell(over);
  }

  submitCode(saleId: number, code: string, amountFen?: number): AttemptView {
    this.requireCashier();
    this.requireTenderable(saleId);
    return this.deps.payments.scanPaymentCode(saleId, code, amountFen);
  }

  /**
   * Money is taken only for a sale of the open shift whose drawer is not counted yet: a tender after a close (a
   * manager's 强制交班 while the sale sat on the counter) or after the count would be missing from that shift's Z
   * report. Voiding such a sale stays possible.
   */
  requireTenderable(saleId: number): void {
    const shift = this.sellableShift();
    if (this.deps.payments.getSale(saleId).shiftId !== shift.id) throw refusal('SALE_SHIFT_CLOSED', SALE_SHIFT_CLOSED_TEXT);
  }

  /**
   * Any scan, from either kind of scanner. Never throws: problems become a notice for the cashier. Scans are
   * handled one at a time through the scan gate; a flood beyond a person's pace is dropped and counted.
   */
  handleScan(text: string, source: ScanSource): Promise<void> {
    return this.scanGate.offer(text, source);
  }

  /**
   * One scan. Classified once here; the cashier window hears of every scan ('scanner.scanned': its beep, and a
   * product's item for the cart).
   */
  private async handleOneScan(text: string, source: ScanSource): Promise<void> {
    const scan = classifyScan(text);
    if (scan.kind === 'wechat-pay-code') await this.awaitCartInFlight();
    const described = describeScanForLog(scan);
    const shown = String(described.code ?? described.barcode ?? (described.receiptNo ? `${described.terminalId}-${described.receiptNo}` : `${described.reason}`));
    this.last = { source, kind: String(described.kind), shown, at: this.deps.clock.now() };
    // A product's feedback waits for its item lookup (in addProduct, where a failing lookup is caught and shown).
    if (scan.kind !== 'product') this.announceScan(scan, source, null);
    await routeScan(scan, source, {
      logger: this.deps.logger,
      context: () => {
        const sale = this.activeSale();
        const paying = sale && sale.state === 'open' && sale.dueFen > 0;
        const typed = cartTotalFen(this.cart);
        return { paymentInProgress: paying ? { paymentId: String(sale.id) } : null, amountOnScreenFen: typed > 0 ? fen(typed) : null };
      },
      submitPaymentCode: (paymentId, code) => {
        this.submitCode(Number(paymentId), code);
      },
      startPayment: (_amount, code) => {
        // A refusal (no open shift...) reaches the cashier in words through the router.
        this.codeSale(this.cart, code);
      },
      openSale: (terminalId, receiptNo) => {
        const sale = /^\d+$/.test(receiptNo) ? this.deps.payments.findSaleByReceiptNo(Number(receiptNo)) : null;
        const shown = maskPaymentCodeRuns(`${terminalId}-${receiptNo}`);
        const own = this.deps.terminalId?.();
        if (own !== undefined && terminalId !== own) {
          // Another counter's receipt: found at the hub, from the recent-sales screen (other-counter-dialog.tsx).
          this.tell({ zh: `小票 ${shown} 是其他收银台的：请按 F5 最近交易 → F9 其他收银台，在总部查询并退款`, en: `Receipt ${shown} is another counter's: press F5 Recent sales → F9 Other counters to find it at the hub and refund it` });
          return;
        }
        if (!sale || sale.terminalId !== terminalId) {
          this.tell({ zh: `未找到小票 ${shown}`, en: `Receipt ${shown} not found` });
          return;
        }
        this.scannedReceipt = { sale, at: this.deps.clock.now() };
        this.publish();
      },
      addProduct: (barcode) => this.addProduct(scan, source, barcode),
      tellCashier: (message) => this.tell(message),
    });
  }

  /**
   * A product barcode: the cashier window puts a known, active item into the cart it is building (it owns the
   * cart). An unknown or inactive one is said in words rather than added at a made-up price.
   */
  private addProduct(scan: ClassifiedScan, source: ScanSource, barcode: string): void {
    const found = this.deps.findItem(barcode);
    const item = found?.active ? found : null;
    this.announceScan(scan, source, item);
    // A barcode is shown masked wherever it holds a run that looks like a payment code: it may be one.
    const shown = maskPaymentCodeRuns(barcode);
    if (found && !found.active) {
      this.tell({ zh: `商品「${found.name}」已停售（条码 ${shown}）`, en: `“${found.name}” is no longer sold (barcode ${shown})` });
    } else if (!found && containsPaymentCodeRun(barcode)) {
      this.tell(DAMAGED_PAYMENT_CODE_TEXT);
    } else if (!found) {
      this.tell({ zh: `商品条码 ${shown} 未登记，请用数字键盘输入金额`, en: `Barcode ${shown} is not in the item list; enter the amount` });
    }
  }

  /** Tells the cashier window a scan arrived. Built field by field so a payment code can never ride along. */
  private announceScan(scan: ClassifiedScan, source: ScanSource, item: ItemView | null): void {
    const feedback: ScanFeedback = {
      source,
      kind: scan.kind,
      barcode: scan.kind === 'product' ? maskPaymentCodeRuns(scan.barcode) : null,
      item: scan.kind === 'product' ? item : null,
      at: this.deps.clock.now(),
    };
    this.deps.events.emit('scanner.scanned', feedback);
  }

  /**
   * A payment code read while the counter knows no amount and no sale: the serial scanner and the cashier window
   * are two channels, and a scan right after the last keystroke can overtake the window's cart preview. Rather
   * than refuse ("enter the amount first") an amount already on the screen, wait a moment for previews in flight,
   * until they stop coming. A counter with nothing typed answers after the first wait.
   */
  private async awaitCartInFlight(): Promise<void> {
    if (!this.cashier || this.activeSaleId !== null || cartTotalFen(this.cart) > 0) return;
    let waitMs = CART_IN_FLIGHT_FIRST_WAIT_MS;
    while (await this.nextPreview(waitMs)) waitMs = CART_IN_FLIGHT_QUIET_MS;
  }

  /** True when a cart preview arrived within `ms`, false on timeout. */
  private nextPreview(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const arrived = (): void => settle(true);
      const timer = setTimeout(() => settle(false), ms);
      const settle = (value: boolean): void => {
        clearTimeout(timer);
        this.previewWaiters.delete(arrived);
        resolve(value);
      };
      this.previewWaiters.add(arrived);
    });
  }

  /** The last scan from either scanner (masked), for the settings' test scan. */
  lastScan(): LastScan | null {
    return this.last;
  }

  /** This terminal's shift a sale can be made on now; throws why not (no open shift, or its cash counted for closing). */
  private sellableShift(): Pick<ShiftView, 'id' | 'countedAt'> {
    const shift = this.deps.currentShift();
    if (!shift) throw refusal('NO_OPEN_SHIFT', NO_OPEN_SHIFT_TEXT);
    if (shift.countedAt !== null) throw refusal('SHIFT_COUNTED', SHIFT_COUNTED_TEXT);
    return shift;
  }

  /** The sale on the counter, stored at once: after a crash the counter comes back to it (see restore()). */
  private setActive(saleId: number | null): void {
    this.activeSaleId = saleId;
    if (saleId !== this.voidIfUnpaidSaleId) this.voidIfUnpaidSaleId = null;
    this.deps.payments.setCounterSale(saleId);
  }

  private activeSale(): SaleView | null {
    return this.activeSaleId === null ? null : this.deps.payments.getSale(this.activeSaleId);
  }

  /** News for the cashier from outside the sale at hand (e.g. WeChat confirmed a refund): the counter's notice. */
  announce(message: Localized): void {
    this.tell(message);
  }

  private tell(message: Localized): void {
    this.notice = { message, at: this.deps.clock.now() };
    this.publish();
  }

  private publish(): void {
    this.deps.events.emit('counter.state', this.state());
  }

  /** What the customer sees while the active sale's WeChat attempt moves. */
  private onAttempt(attempt: AttemptView): void {
    if (attempt.saleId !== this.activeSaleId) return;
    if (attempt.saleId === this.voidIfUnpaidSaleId && attempt.final && this.voidExpiredSale(attempt.saleId)) return;
    const sandbox = this.deps.sandbox;
    const amountFen = attempt.amountFen;
    const message = customerWords(attempt);
    let next: CustomerDisplayState | null = null;
    if (attempt.state === 'awaiting-scan' && attempt.codeUrl && attempt.qrExpiresAt) {
      next = { kind: 'qr', sandbox, amountFen, codeUrl: attempt.codeUrl, expiresAt: attempt.qrExpiresAt };
    } else if (attempt.state === 'paid') {
      const sale = this.deps.payments.getSale(attempt.saleId);
      if (sale.state === 'paid') next = { kind: 'paid', sandbox, amountFen: sale.totalFen };
      else this.deps.display.showDue(sale);
    } else if (attempt.state === 'failed' || attempt.state === 'reversed') {
      next = { kind: 'failed', sandbox, amountFen, message };
    } else if (attempt.state === 'cancelled' || attempt.state === 'closed') {
      next = { kind: 'cancelled', sandbox, amountFen };
    } else if (!attempt.final) {
      next = { kind: 'paying', sandbox, amountFen, message };
    }
    if (next) this.deps.display.show(next);
    this.publish();
  }

  /**
   * The restored sale's tender ended after its time ran out while the app was stopped. Without money the sale is
   * voided with the reason and leaves the counter (the cashier is told to ring it up again); true when voided.
   */
  private voidExpiredSale(saleId: number): boolean {
    this.voidIfUnpaidSaleId = null;
    const sale = this.deps.payments.getSale(saleId);
    if (sale.state !== 'open' || sale.paidFen > 0 || sale.tenders.some((t) => t.state === 'pending')) return false;
    this.deps.payments.voidSale(saleId, EXPIRED_WHILE_DOWN_REASON);
    this.setActive(null);
    this.deps.display.showIdle();
    this.deps.logger.info('counter: the restored sale expired unpaid while the app was stopped, voided', { saleId, receiptNo: sale.receiptNo });
    this.tell(expiredWhileDownText(sale.receiptNo));
    return true;
  }
}

/** The sale's newest WeChat attempt (the one its screens show). */
function latestAttempt(sale: SaleView): AttemptView | null {
  const attempts = sale.tenders.map((t) => t.attempt).filter((a): a is AttemptView => a !== null);
  return attempts.at(-1) ?? null;
}
