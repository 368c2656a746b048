import type { SessionUser } from '../../shared/api';
import type { OtherCounterRefundView } from '../../shared/payments';
import type { RiskDecision } from '../../shared/security';
import { ServiceError } from '../../shared/result';
import type { ApiHandlers, CallContext } from '../host/dispatch';
import type { HubLink } from '../hub-link/link';
import type { PaymentService } from '../payments/service';
import type { Security } from '../security/security';

type Methods = 'otherCounterSale.lookup' | 'otherCounterSale.refund';

export interface OtherCounterRefundHandlerDeps {
  hub: HubLink;
  payments: PaymentService;
  security: Security;
  signedIn(context: CallContext): SessionUser;
  managerApproval(pin: string, action: 'refund', subject: string, context: CallContext): { managerId: string };
  overrideLimit(decision: RiskDecision, pin: string | undefined, user: SessionUser): void;
  /** The refund slip, printed at this counter like any refund's (printing.ts). */
  printSlip(refund: OtherCounterRefundView, cashierId: string): void;
}

/**
 * Refunds of a sale made at another counter of this store (issue 13). The lookup's every failure is a message for
 * the cashier (offline or not enrolled: other counters' sales need the hub). The refund looks the sale up at the
 * hub again, so the amount is checked against what the hub knows now, not what the window showed a minute ago;
 * then the same gates as any refund (risk limits, the manager's PIN) and an audit entry.
 */
export function createOtherCounterRefundHandlers(deps: OtherCounterRefundHandlerDeps): Pick<ApiHandlers, Methods> {
  const { hub, payments, security } = deps;
  return {
    'otherCounterSale.lookup': async (query, context) => {
      deps.signedIn(context);
      return hub.lookupOtherCounterSale(query);
    },
    'otherCounterSale.refund': async ({ terminalId, receiptNo, outTradeNo, amountFen, managerPin, reason }, context) => {
      const user = deps.signedIn(context);
      const found = await hub.lookupOtherCounterSale({ terminalId, receiptNo });
      if (!found.ok) throw new ServiceError(found.reason.toUpperCase().replace('-', '_'), found.message.zh, found.message);
      deps.overrideLimit(security.risk.checkRefund(amountFen, user.id), managerPin, user);
      const approval = deps.managerApproval(managerPin, 'refund', `receipt:${found.sale.terminalId}:${found.sale.receiptNo}`, context);
      const refund = payments.refundOtherCounterSale({
        sale: found.sale, outTradeNo, amountFen, approvedBy: approval.managerId, ...(reason ? { reason } : {}),
      });
      security.risk.recordRefund(user.id, amountFen);
      deps.printSlip(refund, user.id);
      security.audit.append({ id: user.id, name: user.name }, 'refund.other-counter', {
        terminal: refund.originTerminalId, receipt: refund.originReceiptNo, outRefundNo: refund.outRefundNo,
        amountFen: refund.amountFen, approvedBy: approval.managerId,
      });
      return refund;
    },
  };
}
