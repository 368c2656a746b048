import type { PrinterStatusView } from '../../shared/api';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import { fen } from '../../shared/money';
import type { OtherCounterRefundView, RefundView, SaleView } from '../../shared/payments';
import type { ReceiptLang } from '../../shared/receipt';
import type { Database } from '../db/open';
import { latestPrintJobForRef } from '../db/print-jobs';
import { saleReceiptDocument, type SaleTender } from '../devices/printer/layouts/sale-receipt';
import { refundSlipDocument, type RefundSlipData } from '../devices/printer/layouts/refund-slip';
import { testPageDocument } from '../devices/printer/layouts/test-page';
import { openPrinterSink, type OpenSinkDeps } from '../devices/printer/open-sink';
import { PrintQueue } from '../devices/printer/print-queue';
import { parsePrinterUri } from '../devices/printer/uri';

export interface ReceiptContext {
  lang: ReceiptLang;
  /** The store's time zone (settings.timeZone); Asia/Shanghai when absent. */
  timeZone?: string;
  sandbox: boolean;
  storeName: string;
  storeAddress: string;
  /** Printed instead of the thank-you line when set (the store's own, or the hub's for an enrolled counter). */
  receiptFooter?: string;
  cashierName(cashierId: string): string;
}

export interface Printing {
  /** The queue itself, for features that print their own documents (shift reports); null without a printer. */
  queue: PrintQueue | null;
  /** The printer address this run prints to: the settings' address, or the host's --printer flag that overrides it. */
  uri: string;
  status(): PrinterStatusView;
  onStatus(listener: (status: PrinterStatusView) => void): () => void;
  printSaleReceipt(sale: SaleView, context: ReceiptContext): void;
  reprintSaleReceipt(saleId: number): boolean;
  printRefundSlip(sale: SaleView, refund: RefundView, context: ReceiptContext): void;
  /** After a refund changed: when WeChat confirmed one whose slip said 退款处理中, the slip that says 退款成功. */
  printRefundOutcome(sale: SaleView, refund: RefundView, context: ReceiptContext): void;
  /** The slip of a refund this counter made of another counter's sale: printed here, naming the original receipt. */
  printOtherCounterRefundSlip(refund: OtherCounterRefundView, context: ReceiptContext, at: { terminalId: string; cashierId: string }): void;
  /** Once WeChat confirms a refund of another counter's sale whose first slip said 退款处理中: the confirming slip. */
  printOtherCounterRefundOutcome(refund: OtherCounterRefundView, context: ReceiptContext, at: { terminalId: string; cashierId: string }): void;
  /** A test page from the settings screen; false when no printer is set up. */
  printTestPage(context: ReceiptContext, at: number): boolean;
  /** Cash tender or a manager's no-sale: the pulse goes through the printer's drawer port. */
  openDrawer(reason: 'sale' | 'no-sale'): void;
  stop(): Promise<void>;
}

/**
 * The print queue built from the printer address in settings (or --printer). Without a printer the app still
 * sells; the status says so. Printing never blocks or fails a sale: jobs wait in SQLite and retry.
 */
export function createPrinting(options: {
  db: Database;
  uri: string;
  paperWidthMm: 58 | 80;
  clock: Clock;
  logger: Logger;
  sinkDeps?: OpenSinkDeps;
}): Printing {
  const listeners = new Set<(status: PrinterStatusView) => void>();
  const parsed = options.uri.trim() === '' ? null : parsePrinterUri(options.uri);
  if (parsed && !parsed.ok) options.logger.warn('printer address invalid', { message: parsed.error.message });
  const queue =
    parsed?.ok === true
      ? new PrintQueue({ db: options.db, sink: openPrinterSink(parsed.value, options.sinkDeps), paper: options.paperWidthMm, clock: options.clock, logger: options.logger })
      : null;
  const configProblem = parsed && !parsed.ok ? parsed.error.message : null;

  const status = (): PrinterStatusView => {
    if (!queue) {
      return {
        configured: false,
        problem: configProblem,
        message: configProblem ? { zh: configProblem, en: configProblem } : { zh: '未设置打印机', en: 'No printer set up' },
        pendingJobs: 0,
      };
    }
    const state = queue.printerState();
    return {
      configured: true,
      problem: state.problem,
      message: state.problem || state.warning ? { zh: state.message.zh, en: state.message.en } : null,
      pendingJobs: state.pendingJobs,
    };
  };
  queue?.onEvent(() => {
    const current = status();
    for (const listener of listeners) listener(current);
  });
  queue?.start();

  return {
    queue,
    uri: options.uri.trim(),
    status,
    onStatus: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    printSaleReceipt: (sale, context) => {
      // 'sale.paid' is delivered at least once (again after a crash): one original receipt per sale.
      if (!queue || latestPrintJobForRef(options.db, 'sale', String(sale.id))) return;
      queue.enqueueDocument('sale', saleReceiptDocument(receiptData(sale, context)), { ref: String(sale.id) });
    },
    reprintSaleReceipt: (saleId) => queue?.reprintLatest('sale', String(saleId)).ok ?? false,
    printRefundSlip: (sale, refund, context) => {
      queue?.enqueueDocument('refund', refundSlipDocument(refundSlipData(sale, refund, context)), { ref: String(refund.id) });
    },
    printRefundOutcome: (sale, refund, context) => {
      // A WeChat refund's first slip said 退款处理中; when WeChat confirms it, the customer gets one that says 退款成功
      // (once: 'refund.updated' may come again after a crash).
      if (!queue || refund.kind !== 'wechat' || refund.state !== 'succeeded') return;
      const ref = `${refund.id}:succeeded`;
      if (!latestPrintJobForRef(options.db, 'refund', String(refund.id)) || latestPrintJobForRef(options.db, 'refund', ref)) return;
      queue.enqueueDocument('refund', refundSlipDocument(refundSlipData(sale, refund, context)), { ref });
    },
    printOtherCounterRefundSlip: (refund, context, at) => {
      queue?.enqueueDocument('refund', refundSlipDocument(otherCounterRefundSlipData(refund, context, at)), { ref: String(refund.id) });
    },
    printOtherCounterRefundOutcome: (refund, context, at) => {
      // As printRefundOutcome: one confirming slip, only after a first one (the same refs, 'refund' jobs).
      if (!queue || refund.state !== 'succeeded') return;
      const ref = `${refund.id}:succeeded`;
      if (!latestPrintJobForRef(options.db, 'refund', String(refund.id)) || latestPrintJobForRef(options.db, 'refund', ref)) return;
      queue.enqueueDocument('refund', refundSlipDocument(otherCounterRefundSlipData(refund, context, at)), { ref });
    },
    printTestPage: (context, at) => {
      if (!queue) return false;
      queue.enqueueDocument(
        'test',
        testPageDocument({ lang: context.lang, ...(context.timeZone !== undefined ? { timeZone: context.timeZone } : {}), sandbox: context.sandbox, storeName: context.storeName, at, paperWidthMm: options.paperWidthMm === 58 ? 58 : 80 }),
      );
      return true;
    },
    openDrawer: (reason) => {
      queue?.openDrawer(reason);
    },
    stop: () => queue?.stop() ?? Promise.resolve(),
  };
}

/** A paid sale as the receipt shows it: only paid tenders, WeChat ones with their transaction id. */
function receiptData(sale: SaleView, context: ReceiptContext): Parameters<typeof saleReceiptDocument>[0] {
  const items =
    sale.lines.length > 0
      ? sale.lines.map((l) => ({ name: l.name, quantity: l.quantity, unitPrice: l.unitFen, amount: l.amountFen }))
      : // An amount rung up without items is described "收银小票 N" when it is made: printed as Goods in English.
        [{ name: sale.description && !/^收银小票 \d+$/.test(sale.description) ? sale.description : context.lang === 'en' ? 'Goods' : '商品', quantity: 1, unitPrice: sale.totalFen, amount: sale.totalFen }];
  const tenders: SaleTender[] = sale.tenders
    .filter((t) => t.state === 'paid')
    .map((t) =>
      t.kind === 'cash'
        ? { method: 'cash', amount: t.amountFen, tendered: t.tenderedFen ?? t.amountFen, change: t.changeFen ?? fen(0) }
        : { method: 'wechat', amount: t.amountFen, ...(t.attempt?.transactionId ? { transactionId: t.attempt.transactionId } : {}) },
    );
  return {
    lang: context.lang,
    ...(context.timeZone !== undefined ? { timeZone: context.timeZone } : {}),
    sandbox: context.sandbox,
    storeName: context.storeName,
    ...(context.storeAddress ? { storeAddress: context.storeAddress } : {}),
    ...(context.receiptFooter ? { footer: context.receiptFooter } : {}),
    terminalId: sale.terminalId,
    cashierName: context.cashierName(sale.cashierId),
    receiptNo: String(sale.receiptNo),
    soldAt: sale.paidAt ?? sale.createdAt,
    items,
    subtotal: sale.totalFen,
    total: sale.totalFen,
    tenders,
  };
}

/** A refund slip worded by the refund's real state: done, sent to WeChat and waiting, or requested offline. */
function refundSlipData(sale: SaleView, refund: RefundView, context: ReceiptContext): RefundSlipData {
  return {
    lang: context.lang,
    ...(context.timeZone !== undefined ? { timeZone: context.timeZone } : {}),
    sandbox: context.sandbox,
    storeName: context.storeName,
    storeAddress: context.storeAddress,
    terminalId: sale.terminalId,
    cashierName: context.cashierName(sale.cashierId),
    refundNo: refund.refundNo,
    originalReceiptNo: String(sale.receiptNo),
    requestedAt: refund.requestedAt,
    amount: refund.amountFen,
    method: refund.kind,
    state: refund.state === 'succeeded' ? 'done' : refund.requestedOffline ? 'offline' : 'pending',
    ...(refund.reason ? { reason: refund.reason } : {}),
  };
}

/**
 * Another counter's sale refunded here: the slip is this counter's (its terminal, its cashier), the original receipt
 * is named with its own counter (A01-123), and it is worded by the refund's state like any WeChat refund slip.
 */
function otherCounterRefundSlipData(refund: OtherCounterRefundView, context: ReceiptContext, at: { terminalId: string; cashierId: string }): RefundSlipData {
  return {
    lang: context.lang,
    ...(context.timeZone !== undefined ? { timeZone: context.timeZone } : {}),
    sandbox: context.sandbox,
    storeName: context.storeName,
    storeAddress: context.storeAddress,
    terminalId: at.terminalId,
    cashierName: context.cashierName(at.cashierId),
    refundNo: refund.outRefundNo,
    originalReceiptNo: `${refund.originTerminalId}-${refund.originReceiptNo}`,
    requestedAt: refund.requestedAt,
    amount: refund.amountFen,
    method: 'wechat',
    state: refund.state === 'succeeded' ? 'done' : refund.requestedOffline ? 'offline' : 'pending',
  };
}
