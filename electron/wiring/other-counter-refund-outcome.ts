import type { Database } from 'better-sqlite3';
import type { Localized } from '../../shared/i18n';
import { formatYuan } from '../../shared/money';
import type { OtherCounterRefundView } from '../../shared/payments';
import { findAuditEntry } from '../db/audit-log';
import type { PaymentService } from '../payments/service';
import type { Printing, ReceiptContext } from './printing';

/** The audit action the refund handler writes (other-counter-refund-handlers.ts); it names who made the refund. */
const OTHER_COUNTER_REFUND_ACTION = 'refund.other-counter';

/**
 * What follows a refund of another counter's sale once WeChat settles it, as for the store's own refunds (issue 18
 * item 4): when it succeeds, the confirming slip (退款成功) after the first one that said 退款处理中, and a notice
 * at the counter; when WeChat refuses it, a notice saying so (nothing was refunded, no slip claims otherwise).
 * The confirming slip names the cashier who made the refund (from its audit entry; the approving manager when
 * that entry cannot be found).
 */
export function followOtherCounterRefunds(deps: {
  db: Database;
  payments: PaymentService;
  printing: Printing;
  /** The counter's notice (Counter.announce). */
  announce: (message: Localized) => void;
  receiptContext: () => ReceiptContext;
  terminalId: () => string;
}): void {
  deps.payments.on('otherCounterRefund.updated', (refund: OtherCounterRefundView) => {
    const receipt = `${refund.originTerminalId}-${refund.originReceiptNo}`;
    const amount = formatYuan(refund.amountFen);
    if (refund.state === 'succeeded') {
      const cashierId = findAuditEntry(deps.db, OTHER_COUNTER_REFUND_ACTION, 'outRefundNo', refund.outRefundNo)?.actor_id ?? refund.approvedBy;
      deps.printing.printOtherCounterRefundOutcome(refund, deps.receiptContext(), { terminalId: deps.terminalId(), cashierId });
      deps.announce({
        zh: `小票 ${receipt} 的微信退款 ${amount} 已成功，退款成功单已打印`,
        en: `The WeChat refund of ${amount} for receipt ${receipt} succeeded; its confirmation slip was printed`,
      });
    } else if (refund.state === 'failed') {
      deps.announce({
        zh: `小票 ${receipt} 的微信退款 ${amount} 失败：${refund.failure?.zh ?? '微信拒绝了退款'}`,
        en: `The WeChat refund of ${amount} for receipt ${receipt} failed: ${refund.failure?.en ?? 'WeChat refused it'}`,
      });
    }
  });
}
