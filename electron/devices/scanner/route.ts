/**
 * Where a scan goes, whichever scanner it came from. The decision is a pure function of the scan and what is on
 * the cashier's screen; `routeScan` carries it out through a small interface the composition root implements.
 * A payment code never reaches the cart or a product search.
 */
import type { Localized } from '../../../shared/i18n';
import type { Logger } from '../../../shared/log';
import type { Fen } from '../../../shared/money';
import { ServiceError } from '../../../shared/result';
import { describeScanForLog, type ClassifiedScan, type GarbageReason } from '../../../shared/scan';

export type ScanSource = 'serial' | 'wedge';

/** What the cashier's screen shows when the scan arrives. */
export interface ScanContext {
  /** A payment waiting for the customer's payment code, if any. */
  paymentInProgress: { paymentId: string } | null;
  /** The amount due on screen (cart total, or typed on the numpad); null or 0 when there is none. */
  amountOnScreenFen: Fen | null;
}

export type ScanAction =
  | { action: 'submit-payment-code'; paymentId: string; code: string }
  | { action: 'start-payment'; amountFen: Fen; code: string }
  | { action: 'tell-cashier'; reason: 'alipay-not-supported' | 'no-amount'; message: Localized }
  | { action: 'open-sale'; terminalId: string; receiptNo: string }
  | { action: 'add-product'; barcode: string }
  | { action: 'drop'; reason: GarbageReason };

export const ENTER_AMOUNT_FIRST: Localized = {
  zh: '请先输入收款金额，再扫付款码',
  en: 'Enter the amount before scanning the payment code',
};

export const SCAN_HANDLING_FAILED: Localized = { zh: '扫码处理失败，请重试', en: 'Could not handle the scan; please try again' };

/** Decides what a classified scan does on the current screen. */
export function decideScanAction(scan: ClassifiedScan, context: ScanContext): ScanAction {
  switch (scan.kind) {
    case 'wechat-pay-code':
      if (context.paymentInProgress) {
        return { action: 'submit-payment-code', paymentId: context.paymentInProgress.paymentId, code: scan.code };
      }
      if (context.amountOnScreenFen !== null && context.amountOnScreenFen > 0) {
        return { action: 'start-payment', amountFen: context.amountOnScreenFen, code: scan.code };
      }
      return { action: 'tell-cashier', reason: 'no-amount', message: ENTER_AMOUNT_FIRST };
    case 'alipay-code':
      return { action: 'tell-cashier', reason: 'alipay-not-supported', message: scan.message };
    case 'receipt':
      return { action: 'open-sale', terminalId: scan.terminalId, receiptNo: scan.receiptNo };
    case 'product':
      return { action: 'add-product', barcode: scan.barcode };
    case 'garbage':
      return { action: 'drop', reason: scan.reason };
  }
}

/** What the router needs from the app: each call may be synchronous or return a promise. */
export interface ScanRouterDeps {
  logger: Logger;
  context(): ScanContext;
  submitPaymentCode(paymentId: string, code: string): void | Promise<void>;
  startPayment(amountFen: Fen, code: string): void | Promise<void>;
  openSale(terminalId: string, receiptNo: string): void | Promise<void>;
  addProduct(barcode: string): void | Promise<void>;
  tellCashier(message: Localized): void;
}

/** What routeScan did: the action carried out, or 'failed' when carrying it out threw (logged and shown). */
export type RouteOutcome = ScanAction | { action: 'failed' };

/**
 * Decides what a classified scan does and carries it out. The caller classifies (once, with `classifyScan`) because
 * it needs the classification too (the last scan, the cashier's beep). Never throws: failures are logged and shown.
 */
export async function routeScan(scan: ClassifiedScan, source: ScanSource, deps: ScanRouterDeps): Promise<RouteOutcome> {
  const fields = { source, ...describeScanForLog(scan) };
  try {
    const action = decideScanAction(scan, deps.context());
    if (action.action === 'drop') deps.logger.warn('scan: dropped unreadable input', fields);
    else deps.logger.info(`scan: ${action.action}`, fields);
    await carryOut(action, deps);
    return action;
  } catch (error) {
    // A refusal the service put in words (no open shift, sale already being paid...) is told as it is: it is an
    // answer, not a fault. Anything else is logged as a failure and shown as "scan failed".
    if (error instanceof ServiceError && error.localized) {
      deps.logger.warn('scan: refused', { ...fields, code: error.code });
      tellQuietly(deps, error.localized);
    } else {
      deps.logger.error('scan: handling failed', { ...fields, error: error instanceof Error ? error.message : String(error) });
      tellQuietly(deps, SCAN_HANDLING_FAILED);
    }
    return { action: 'failed' };
  }
}

function tellQuietly(deps: ScanRouterDeps, message: Localized): void {
  try {
    deps.tellCashier(message);
  } catch {
    // Already failing: the log line above is what is left.
  }
}

async function carryOut(action: ScanAction, deps: ScanRouterDeps): Promise<void> {
  switch (action.action) {
    case 'submit-payment-code':
      return deps.submitPaymentCode(action.paymentId, action.code);
    case 'start-payment':
      return deps.startPayment(action.amountFen, action.code);
    case 'tell-cashier':
      return deps.tellCashier(action.message);
    case 'open-sale':
      return deps.openSale(action.terminalId, action.receiptNo);
    case 'add-product':
      return deps.addProduct(action.barcode);
    case 'drop':
      return;
  }
}
