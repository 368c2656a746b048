import type { AppInfo, SessionUser, WindowRole } from '../../shared/api';
import type { Language } from '../../shared/i18n';
import { fen } from '../../shared/money';
import { ServiceError } from '../../shared/result';
import type { CustomerDisplay } from '../display/customer-display';
import type { ApiHandlers, CallContext } from '../host/dispatch';
import type { PaymentService } from '../payments/service';
import { requireManagerPin } from '../security/approvals';
import { createSecurityHandlers } from '../security/handlers';
import { changeSettingsWithApproval } from '../security/settings-change';
import { hubOwnedSettingsChanged } from '../hub-link/reference';
import { settingsSchema } from '../settings/schema';
import { diagnoseConnection } from '../wechat/diagnose';
import { WechatConfigError } from '../wechat/factory';
import type { WechatPayClient } from '../wechat/types';
import type { RiskDecision } from '../../shared/security';
import type { ScannerState } from '../../shared/scan';
import type { Security } from '../security/security';
import type { SettingsStore } from '../settings/settings-store';
import type { Counter } from './counter';
import type { Printing, ReceiptContext } from './printing';
import { createShiftHandlers } from './shift-handlers';
import { createItemHandlers } from './item-handlers';
import { createHubHandlers } from './hub-handlers';
import { createOtherCounterRefundHandlers } from './other-counter-refund-handlers';
import type { HubLink } from '../hub-link/link';
import type { ItemService } from '../items/item-service';
import type { ReconciliationService } from '../shifts/reconciliation-service';
import type { ShiftService } from '../shifts/service';

export interface HandlerDeps {
  info(): AppInfo;
  /** The calling window's own language switch (electron/wiring/window-languages.ts). */
  chooseLanguage(window: WindowRole, language: Language): void;
  settings: SettingsStore;
  display: CustomerDisplay;
  counter: Counter;
  payments: PaymentService;
  printing: Printing;
  security: Security;
  shifts: ShiftService;
  items: ItemService;
  /** The client the connection test uses (see electron/app.ts). */
  connectionUnderTest(): WechatPayClient;
  scannerState(): ScannerState;
  reconciliation: ReconciliationService;
  receiptContext(): ReceiptContext;
  hub: HubLink;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every method of the contract, each a line or two delegating to a service. Who may do what is decided here
 * (signed-in user, manager PIN) and in the services' own gates; the dispatcher has already validated the request.
 */
export function createHandlers(deps: HandlerDeps): ApiHandlers {
  const { counter, payments, printing, security } = deps;
  const signedIn = (context: CallContext): SessionUser => {
    const user = security.auth.requireSignedIn(context.connectionId);
    return { id: user.id, name: user.name, role: user.role };
  };
  const managerApproval = (pin: string, action: Parameters<typeof requireManagerPin>[1]['action'], subject: string, context: CallContext) => {
    const actor = security.auth.current(context.connectionId);
    return requireManagerPin(security.approvals, { action, pin, subject, requestedBy: actor ? { id: actor.id, name: actor.name } : null });
  };

  /** A risk limit passes, or a manager's PIN overrides it (audit-logged by the risk service). */
  const overrideLimit = (decision: RiskDecision, pin: string | undefined, user: SessionUser): void => {
    if (decision.kind === 'allow') return;
    const token = pin ? security.approvals.approve({ action: 'limit-override', pin, requestedBy: { id: user.id, name: user.name } }).token : undefined;
    security.risk.enforce(decision, token, { id: user.id, name: user.name });
  };

  return {
    ...createSecurityHandlers(security),
    ...createShiftHandlers({ shifts: deps.shifts, reconciliation: deps.reconciliation, security }),
    ...createItemHandlers({ items: deps.items, security }),
    ...createHubHandlers({ hub: deps.hub, security }),
    ...createOtherCounterRefundHandlers({
      hub: deps.hub, payments, security, signedIn, managerApproval, overrideLimit,
      printSlip: (refund, cashierId) => printing.printOtherCounterRefundSlip(refund, deps.receiptContext(), { terminalId: deps.info().terminalId, cashierId }),
    }),
    'app.getInfo': () => deps.info(),
    'app.setLanguage': ({ language }, context) => {
      deps.chooseLanguage(context.window, language);
      return deps.info();
    },
    'cart.preview': (cart) => ({ totalFen: counter.preview(cart) }),

    'auth.signIn': ({ pin, userId }, context) => {
      const user = userId === undefined ? security.auth.signInWithPin(context.connectionId, pin) : security.auth.signIn(context.connectionId, userId, pin);
      const session: SessionUser = { id: user.id, name: user.name, role: user.role };
      if (context.window === 'cashier') counter.signIn(session, context.connectionId);
      return session;
    },
    'auth.signOut': (_request, context) => {
      security.auth.signOut(context.connectionId);
      if (context.window === 'cashier') counter.signOut();
      return null;
    },

    'counter.getState': () => counter.state(),
    'sale.checkout': ({ lines, amountFen, overridePin }, context) => {
      const user = signedIn(context);
      const total = lines.length > 0 ? lines.reduce((sum, l) => sum + l.unitFen * l.quantity, 0) : (amountFen ?? 0);
      overrideLimit(security.risk.checkSale(total), overridePin, user);
      return counter.checkout({ lines, amountFen });
    },
    'sale.void': ({ saleId, reason }, context) => {
      signedIn(context);
      const sale = payments.voidSale(saleId, reason);
      counter.finish(saleId);
      return sale;
    },
    'sale.finish': ({ saleId }, context) => {
      signedIn(context);
      counter.finish(saleId);
      return null;
    },
    'sale.get': ({ saleId }, context) => {
      signedIn(context);
      return payments.getSale(saleId);
    },
    'sale.findByReceipt': ({ receiptNo }, context) => {
      signedIn(context);
      return payments.findSaleByReceiptNo(receiptNo);
    },
    'sale.listRecent': ({ from, to, limit }, context) => {
      signedIn(context);
      const until = to ?? Date.now() + DAY_MS;
      return payments.listSales({ from: from ?? until - 7 * DAY_MS, to: until, limit: limit ?? 100 });
    },

    'payment.submitCode': ({ saleId, code, amountFen }, context) => {
      signedIn(context);
      return counter.submitCode(saleId, code, amountFen);
    },
    'payment.startQr': ({ saleId, amountFen }, context) => {
      signedIn(context);
      counter.requireTenderable(saleId);
      return payments.startNativeQr(saleId, amountFen);
    },
    'payment.cancelQr': ({ attemptId }, context) => {
      signedIn(context);
      return payments.cancelNativeQr(attemptId);
    },
    'payment.cash': ({ saleId, tenderedFen, amountFen }, context) => {
      signedIn(context);
      counter.requireTenderable(saleId);
      const result = payments.payCash(saleId, tenderedFen, amountFen);
      counter.checkCashDrawer();
      return { sale: result.sale, changeFen: result.changeFen };
    },
    'payment.cashSale': ({ lines, amountFen, tenderedFen, overridePin }, context) => {
      const user = signedIn(context);
      const total = lines.length > 0 ? lines.reduce((sum, l) => sum + l.unitFen * l.quantity, 0) : (amountFen ?? 0);
      overrideLimit(security.risk.checkSale(total), overridePin, user);
      const result = counter.cashSale({ lines, amountFen }, tenderedFen);
      return { sale: result.sale, changeFen: result.changeFen };
    },
    'payment.supersede': ({ attemptId }, context) => {
      signedIn(context);
      return payments.supersedeAttempt(attemptId);
    },
    'attempts.listForReview': (_request, context) => {
      signedIn(context);
      return payments.listAttemptsForReview();
    },

    'scanner.submitWedgeScan': async ({ code }, context) => {
      signedIn(context);
      await counter.handleScan(code, 'wedge');
      return null;
    },

    'refund.request': ({ saleId, amountFen, managerPin, reason }, context) => {
      const user = signedIn(context);
      // Above the largest refund or the day's refund count, the same manager PIN also has to override the limit.
      overrideLimit(security.risk.checkRefund(amountFen, user.id), managerPin, user);
      const approval = managerApproval(managerPin, 'refund', `sale:${saleId}`, context);
      const result = payments.requestRefund({ saleId, amountFen: fen(amountFen), approvedBy: approval.managerId, ...(reason ? { reason } : {}) });
      security.risk.recordRefund(user.id, amountFen);
      const sale = payments.getSale(saleId);
      for (const refund of result.refunds) printing.printRefundSlip(sale, refund, deps.receiptContext());
      return result;
    },
    'paymentAlert.list': ({ openOnly }, context) => {
      signedIn(context);
      return payments.listPaymentAlerts(openOnly ?? false);
    },
    'paymentAlert.keep': ({ alertId }, context) => {
      const user = signedIn(context);
      const alert = payments.keepPaymentAlert(alertId, user.id);
      security.audit.append({ id: user.id, name: user.name }, 'payment.alert-kept', { alert: alertId, sale: alert.saleId, amountFen: alert.amountFen });
      return alert;
    },
    'paymentAlert.refund': ({ alertId, managerPin }, context) => {
      const user = signedIn(context);
      const open = payments.listPaymentAlerts(true).find((a) => a.id === alertId);
      // The same gates as any refund: the risk limits (the same PIN overrides them) and the manager's approval.
      if (open) overrideLimit(security.risk.checkRefund(open.amountFen, user.id), managerPin, user);
      const approval = managerApproval(managerPin, 'refund', `sale:${open?.saleId ?? 0}`, context);
      const { alert, refund } = payments.refundPaymentAlert(alertId, approval.managerId, user.id);
      security.risk.recordRefund(user.id, alert.amountFen);
      security.audit.append({ id: user.id, name: user.name }, 'payment.alert-refunded', { alert: alertId, sale: alert.saleId, amountFen: alert.amountFen, approvedBy: approval.managerId });
      if (refund) printing.printRefundSlip(payments.getSale(alert.saleId), refund, deps.receiptContext());
      return alert;
    },
    'refund.list': ({ saleId }, context) => {
      signedIn(context);
      return payments.listRefunds(saleId);
    },

    'print.reprintReceipt': ({ saleId }, context) => {
      signedIn(context);
      const sale = payments.getSale(saleId);
      if (sale.state !== 'paid') throw new ServiceError('NOT_PAID', '只能重打已付款订单的小票 / Only paid sales have receipts');
      // A copy of the printed receipt (marked 重打/COPY), or the first one if it was never printed.
      if (!printing.reprintSaleReceipt(saleId)) printing.printSaleReceipt(sale, deps.receiptContext());
      return null;
    },
    'drawer.open': ({ managerPin }, context) => {
      const user = signedIn(context);
      const shift = deps.shifts.currentShift();
      if (shift) {
        // Counted as a no-sale on the shift's report (the shift service opens the drawer and audit-logs it).
        const approval = security.approvals.approve({ action: 'no-sale-drawer', pin: managerPin, requestedBy: { id: user.id, name: user.name } });
        deps.shifts.noSale({ shiftId: shift.id, actor: { id: user.id, name: user.name }, approval: approval.token });
        return null;
      }
      const approval = managerApproval(managerPin, 'no-sale-drawer', 'drawer', context);
      security.audit.append({ id: user.id, name: user.name }, 'drawer.no-sale', { shift: null, approvedBy: approval.managerId });
      printing.openDrawer('no-sale');
      return null;
    },
    'sync.getStatus': () => payments.syncStatus(),

    'settings.get': (_request, context) => {
      security.auth.requireSignedIn(context.connectionId, 'manager');
      // The settings screen shows the printer this run prints to (a host started with --printer overrides the
      // stored address); saving the form keeps that address, so what the manager sees is what prints.
      const stored = deps.settings.get();
      return printing.uri === stored.printer.uri ? stored : { ...stored, printer: { ...stored.printer, uri: printing.uri } };
    },
    'settings.update': ({ settings, approvalToken }, context) => {
      const user = security.auth.requireSignedIn(context.connectionId, 'manager');
      // Checked before the approval is used: a typo costs the manager a correction, not another PIN.
      const parsed = settingsSchema.safeParse(settings);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ServiceError('BAD_REQUEST', `${issue?.path.join('.') || '设置'}: ${issue?.message ?? '无效 / invalid'}`);
      }
      // An enrolled counter's store name, address, receipt footer and limits are the hub's (hub-link/reference.ts).
      const hubUrl = deps.hub.status().hubUrl;
      if (hubUrl !== null && hubOwnedSettingsChanged(deps.settings.get(), parsed.data)) {
        throw new ServiceError('HUB_MANAGED', `门店名称、地址、小票页脚和限额由总部管理，请在总部修改（${hubUrl}） / The store's name, address, receipt footer and limits are managed at the hub: change them there (${hubUrl})`);
      }
      const next = changeSettingsWithApproval(
        { settings: deps.settings, approvals: security.approvals, audit: security.audit },
        // The manager window's language is its own switch (F12), not a field of the form: a form loaded before a
        // switch must not switch it back.
        (current) => ({ ...parsed.data, managerLanguage: current.managerLanguage }),
        approvalToken,
        { id: user.id, name: user.name },
      );
      return next;
    },
    'devices.testPrint': (_request, context) => {
      security.auth.requireSignedIn(context.connectionId, 'manager');
      const queued = printing.printTestPage(deps.receiptContext(), Date.now());
      return {
        queued,
        message: queued
          ? { zh: '测试页已发送到打印机', en: 'Test page sent to the printer' }
          : { zh: '未设置打印机：请先填写打印机地址并保存，重启后生效', en: 'No printer set up: enter its address, save and restart' },
      };
    },
    'devices.lastScan': (_request, context) => {
      security.auth.requireSignedIn(context.connectionId, 'manager');
      return { scan: counter.lastScan(), scanner: deps.scannerState() };
    },
    'wechat.testConnection': async (_request, context) => {
      security.auth.requireSignedIn(context.connectionId, 'manager');
      let client: WechatPayClient;
      try {
        client = deps.connectionUnderTest();
      } catch (error) {
        // The message names the unusable field, never its value.
        if (error instanceof WechatConfigError) throw new ServiceError('BAD_CREDENTIALS', error.message);
        throw error;
      }
      const diagnosis = await diagnoseConnection(client);
      return { ok: diagnosis.ok, verdict: diagnosis.verdict, message: diagnosis.message, apiVersion: diagnosis.apiVersion, ...(diagnosis.code ? { code: diagnosis.code } : {}) };
    },
  };
}
