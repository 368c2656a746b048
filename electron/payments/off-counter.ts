import type { Database } from 'better-sqlite3';
import { getCounterSale, insertPaymentAlert } from '../db/payment-alerts';
import { getSale } from '../db/sales';
import type { AttemptRow } from '../db/wechat-attempts';
import type { ChangeSet } from './changes';

/**
 * A payment now counts for its sale (in the transaction that records it). When that sale is not the one on its
 * terminal's counter, nobody is looking at it: the customer may have paid this basket another way meanwhile
 * (the cashier rang it again after a restart, a late answer arrived). Such a payment raises an alert that a
 * person must resolve, instead of quietly completing a sale nobody sees. Superseded attempts never get here: they
 * are reversed or refunded automatically (recordOrderPaid answers 'unwanted').
 */
export function flagPaymentOffCounter(db: Database, a: Pick<AttemptRow, 'id' | 'sale_id'>, amountFen: number, now: number, changes: ChangeSet): void {
  const sale = getSale(db, a.sale_id);
  if (!sale) return;
  const counter = getCounterSale(db, sale.terminal_id);
  // A terminal without a counter (the payment service on its own: benchmarks, tools) has nobody to tell.
  if (!counter || counter.sale_id === a.sale_id) return;
  const id = insertPaymentAlert(db, { saleId: a.sale_id, attemptId: a.id, amountFen, paidAt: now, counterSaleId: counter.sale_id });
  if (id !== null) changes.alerts.add(id);
}

