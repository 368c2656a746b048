import type { Database } from 'better-sqlite3';
import { fen } from '../../shared/money';
import type { PaymentAlertView } from '../../shared/payments';
import { getPaymentAlert, resolvePaymentAlert, type PaymentAlertRow } from '../db/payment-alerts';
import { getSale } from '../db/sales';
import { mustGetAttempt } from './attempt-lifecycle';
import type { ChangeSet } from './changes';
import type { PaymentContext } from './context';
import { refuse } from './errors';
import { recordAttemptRefund } from './refunds';

export function paymentAlertView(db: Database, row: PaymentAlertRow): PaymentAlertView {
  const sale = getSale(db, row.sale_id);
  const attempt = mustGetAttempt(db, row.attempt_id);
  const counterSale = row.counter_sale_id === null ? undefined : getSale(db, row.counter_sale_id);
  return {
    id: row.id,
    saleId: row.sale_id,
    terminalId: sale?.terminal_id ?? '',
    receiptNo: sale?.receipt_no ?? 0,
    attemptId: row.attempt_id,
    mode: attempt.mode,
    amountFen: fen(row.amount_fen),
    paidAt: row.paid_at,
    counterReceiptNo: counterSale?.receipt_no ?? null,
    state: row.state,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
  };
}

function mustOpenAlert(db: Database, id: number): PaymentAlertRow {
  const row = getPaymentAlert(db, id);
  if (!row) throw refuse('NOT_FOUND', '找不到该收款提醒', 'Payment alert not found');
  if (row.state !== 'open') throw refuse('ALERT_RESOLVED', '该收款提醒已处理', 'This payment alert was already resolved');
  return row;
}

/** "It was this basket": the payment stays, the alert is closed by the person who said so. */
export function recordAlertKept(ctx: PaymentContext, id: number, by: string, now: number, changes: ChangeSet): void {
  mustOpenAlert(ctx.db, id);
  resolvePaymentAlert(ctx.db, id, 'kept', by, now);
  changes.alerts.add(id);
}

/**
 * "The basket was paid another way": the whole payment goes back to the payer (what is left of it, if part was
 * refunded already), in the same transaction that closes the alert. The caller checked the manager's approval.
 */
export function recordAlertRefunded(ctx: PaymentContext, id: number, approvedBy: string, by: string, now: number, changes: ChangeSet): number | null {
  const row = mustOpenAlert(ctx.db, id);
  const attempt = mustGetAttempt(ctx.db, row.attempt_id);
  const refundId = recordAttemptRefund(ctx, attempt, approvedBy, 'paid twice: the basket was paid another way', now, changes);
  resolvePaymentAlert(ctx.db, id, 'refunded', by, now);
  changes.alerts.add(id);
  changes.sales.add(row.sale_id);
  return refundId;
}
