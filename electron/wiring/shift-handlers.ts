import type { ApiHandlers, CallContext } from '../host/dispatch';
import { requireManagerPin } from '../security/approvals';
import type { Actor } from '../security/audit-log';
import { securityError } from '../security/errors';
import type { Security } from '../security/security';
import { reportFileName } from '../shifts/report-export';
import type { ReconciliationService } from '../shifts/reconciliation-service';
import { cashOutSubject, type ShiftService } from '../shifts/service';
import type { GatedAction } from '../../shared/security';

type ShiftMethods = Extract<keyof ApiHandlers, `shift.${string}` | `reconciliation.${string}`>;

/**
 * The shift and reconciliation calls. Who acts is the person signed in at the calling window; what needs a
 * manager (no-sale, closing with a difference or unresolved payments, resolving a bill difference) carries the
 * manager's PIN, checked with lockout and audit like every approval.
 */
export function createShiftHandlers(deps: { shifts: ShiftService; reconciliation: ReconciliationService; security: Security }): Pick<ApiHandlers, ShiftMethods> {
  const { shifts, reconciliation, security } = deps;
  const actor = (context: CallContext): Actor => {
    const user = security.auth.requireSignedIn(context.connectionId);
    return { id: user.id, name: user.name };
  };
  const manager = (context: CallContext): Actor => {
    const user = security.auth.requireSignedIn(context.connectionId, 'manager');
    return { id: user.id, name: user.name };
  };
  /** A single-use approval token for one action (and subject, as the service checks it), from the PIN typed with the call. */
  const approvalFrom = (pin: string, action: GatedAction, subject: string | undefined, requestedBy: Actor): string =>
    security.approvals.approve({ action, pin, subject, requestedBy }).token;

  return {
    'shift.open': ({ openingFloatFen }, context) => {
      const user = actor(context);
      return shifts.openShift({ cashierId: user.id, cashierName: user.name, openingFloatFen });
    },
    'shift.current': (_req, context) => {
      actor(context);
      return shifts.currentShift();
    },
    'shift.get': ({ shiftId }, context) => {
      manager(context);
      return shifts.getShift(shiftId);
    },
    'shift.list': (filter, context) => {
      manager(context);
      return shifts.listShifts(filter);
    },
    'shift.cashMove': ({ shiftId, kind, amountFen, reason, managerPin }, context) => {
      const by = actor(context);
      // The PIN becomes an approval only when this movement needs one, bound to this shift and amount.
      const needed = kind === 'out' && managerPin !== undefined && shifts.cashOutNeedsApproval(shiftId, amountFen);
      const approval = needed ? approvalFrom(managerPin, 'cash-out', cashOutSubject(shiftId, amountFen), by) : null;
      return shifts.moveCash({ shiftId, kind, amountFen, reason, actor: by, approval });
    },
    'shift.noSale': ({ shiftId, managerPin, reason }, context) => {
      const by = actor(context);
      // The service takes a no-sale approval for the drawer, not for one shift: no subject.
      const approval = approvalFrom(managerPin, 'no-sale-drawer', undefined, by);
      return shifts.noSale({ shiftId, actor: by, approval, ...(reason ? { reason } : {}) });
    },
    'shift.movements': ({ shiftId }, context) => {
      actor(context);
      return shifts.listCashMovements(shiftId);
    },
    'shift.pending': ({ shiftId }, context) => {
      actor(context);
      return shifts.pending(shiftId);
    },
    'shift.check': ({ shiftId }, context) => {
      actor(context);
      return shifts.requestWechatCheck(shiftId);
    },
    'shift.checkResult': ({ shiftId }, context) => {
      actor(context);
      return shifts.wechatCheck(shiftId);
    },
    'shift.count': ({ shiftId, counts }, context) =>
      shifts.submitCount({ shiftId, counts: counts.map((c) => ({ denominationFen: c.denominationFen as never, count: c.count })), actor: actor(context) }),
    'shift.close': ({ shiftId, managerPin }, context) => {
      const by = actor(context);
      // Closing from the manager window closes someone else's shift: that is a manager action, so it takes the PIN.
      if (context.window === 'manager' && !managerPin) {
        throw securityError('APPROVAL_REQUIRED', '店长交班需要输入店长 PIN', 'Closing a shift from the manager window needs the manager PIN');
      }
      // One PIN approves whatever this close needs: a difference above the threshold and/or unresolved payments.
      const subject = `shift:${shiftId}`;
      const differenceApproval = managerPin ? approvalFrom(managerPin, 'shift-close-difference', subject, by) : null;
      const pendingApproval = managerPin ? approvalFrom(managerPin, 'shift-close-pending', subject, by) : null;
      const stored = shifts.closeShift({ shiftId, actor: by, differenceApproval, pendingApproval });
      return { report: stored.report, sha256: stored.sha256 };
    },
    'shift.xReport': ({ shiftId }, context) => {
      actor(context);
      return shifts.xReport(shiftId);
    },
    'shift.zReport': ({ shiftId }, context) => {
      actor(context);
      return shifts.zReport(shiftId);
    },
    'shift.print': ({ shiftId, kind }, context) => shifts.printReport(shiftId, kind, actor(context)),
    'shift.exportCsv': ({ shiftId, kind }, context) => {
      manager(context);
      const report = kind === 'Z' ? shifts.zReport(shiftId).report : shifts.xReport(shiftId);
      return { fileName: reportFileName(report, 'csv'), text: shifts.exportCsv(shiftId, kind) };
    },
    'shift.exportPdf': async ({ shiftId, kind }, context) => {
      manager(context);
      const report = kind === 'Z' ? shifts.zReport(shiftId).report : shifts.xReport(shiftId);
      const pdf = await shifts.exportPdf(shiftId, kind);
      return { fileName: reportFileName(report, 'pdf'), base64: pdf.toString('base64') };
    },
    'reconciliation.bills': ({ limit }, context) => {
      manager(context);
      return reconciliation.listBills(limit);
    },
    'reconciliation.mismatches': (filter, context) => {
      manager(context);
      return reconciliation.listMismatches(filter);
    },
    'reconciliation.resolve': ({ id, note, managerPin }, context) => {
      const by = manager(context);
      requireManagerPin(security.approvals, { action: 'reconciliation-resolve', pin: managerPin, subject: `mismatch:${id}`, requestedBy: by });
      return reconciliation.resolve({ id, note, actor: by });
    },
    'reconciliation.problems': ({ limit }, context) => {
      manager(context);
      return reconciliation.listProblems(limit);
    },
    'reconciliation.redownload': ({ billDate, managerPin }, context) => {
      const by = manager(context);
      // Its own approval action: downloading a day again replaces its stored bill and re-matches it.
      const approval = requireManagerPin(security.approvals, { action: 'reconciliation-redownload', pin: managerPin, subject: `bill:${billDate}`, requestedBy: by });
      reconciliation.redownload(billDate, by, approval.managerId);
      return null;
    },
  };
}
