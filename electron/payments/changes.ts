import type { SaleView } from '../../shared/payments';

/**
 * What one transaction changed, collected while it runs and published after it commits (events never describe
 * a state that could still roll back).
 */
export class ChangeSet {
  readonly sales = new Set<number>();
  readonly attempts = new Set<number>();
  readonly refunds = new Set<number>();
  readonly paidSales = new Set<number>();
  /** Payment alerts raised or resolved (see payment-alerts.ts). */
  readonly alerts = new Set<number>();
  openDrawer = false;
  /**
   * Outbox jobs a person is waiting for (a scanned code, a QR to show): claimed inside this transaction and sent
   * as soon as it commits, instead of a second commit and a timer hop later (see OutboxWorker.claimWithin).
   */
  readonly sendNow = new Set<number>();
  /**
   * Each changed sale's view as the windows are sent it: built once after the commit while publishing (or set in
   * the transaction by a writer that wrote every row of a new sale, recordCashSale), and reused for `sale.paid`
   * and the caller's answer (three reads of the same rows before). Never published unless the transaction commits.
   */
  readonly saleViews = new Map<number, SaleView>();

  merge(other: ChangeSet): void {
    other.sales.forEach((id) => this.sales.add(id));
    other.attempts.forEach((id) => this.attempts.add(id));
    other.refunds.forEach((id) => this.refunds.add(id));
    other.paidSales.forEach((id) => this.paidSales.add(id));
    other.alerts.forEach((id) => this.alerts.add(id));
    other.sendNow.forEach((id) => this.sendNow.add(id));
    this.openDrawer ||= other.openDrawer;
  }
}
