/**
 * THE contract between the windows and the main side. Every method a window may call (name → request schema →
 * result type, and which windows may call it) and every event the main side pushes (name → payload). The
 * Electron IPC transport, the web host's WebSocket transport, the preloads and the renderer client are generic
 * loops over these two tables: adding a call is one entry here plus one handler in electron/app.ts.
 *
 * Requests are validated with their zod schema where they enter the main side; results are typed only (the
 * main side produces them). Nothing in a result or event may carry a secret: see test/unit/api/no-secrets.test.ts.
 */
import { z } from 'zod';
import type { HubStatus } from './hub-status';
import type { CustomerDisplayState } from './display';
import { LANGUAGES, type Localized, type WindowLanguages } from './i18n';
import { itemFieldsSchema, type ItemView, type ScanFeedback } from './items';
import type { AttemptView, PaymentAlertView, RefundResult, RefundView, SaleView, SyncStatus } from './payments';
import type { OtherCounterRefundView, OtherCounterSaleLookup } from './payments';
import type { Result } from './result';
import type { ScannerState } from './scan';
import {
  DENOMINATIONS_FEN,
  type BillProblemView,
  type BillView,
  type CashMovementView,
  type CountResult,
  type PendingItem,
  type ReconciliationMismatchView,
  type ShiftReport,
  type ShiftView,
  type WechatCheckResult,
} from './shifts';
import {
  securityRequests,
  type ApprovalGrant,
  type AuditChainReport,
  type AuditEntryView,
  type BackupView,
  type RiskAlertView,
  type SecretsStatus,
  type SetupState,
  type TerminalPinLockView,
  type UserSummary,
} from './security';

export type WindowRole = 'cashier' | 'display' | 'manager';

/**
 * Who must be signed in at the calling window for a call to run (checked by electron/host/dispatch.ts, the one
 * place, before the handler):
 * - 'signed-in' (the default): someone is signed in over this window's connection. In the manager window that
 *   someone must be a manager or the owner: a cashier's PIN opens nothing there.
 * - 'open': nobody needs to be signed in. Only what a window must do or show before anyone signs in: sign in,
 *   say who is signed in, the app's name and language, the network strip, the counter's state, first-run setup.
 * Approvals are bound to the window that obtained them: an `approvalToken` granted over one connection is refused
 * over any other (also checked by the dispatcher).
 */
export type MethodAccess = 'open' | 'signed-in';

interface MethodSpec<Req extends z.ZodType, Res> {
  request: Req;
  /** Phantom: carries the result type only. */
  result: Res;
  /** The windows allowed to call it. The customer display is receive-only and appears in none. */
  windows: readonly WindowRole[];
  access: MethodAccess;
}

function method<Res>() {
  return <Req extends z.ZodType>(request: Req, windows: readonly WindowRole[] = ['cashier', 'manager'], access: MethodAccess = 'signed-in') =>
    ({ request, result: undefined as unknown as Res, windows, access }) satisfies MethodSpec<Req, Res>;
}

const fenSchema = z.number().int().safe();
const empty = z.object({}).strict();
const idSchema = z.number().int().positive();
const shiftIdSchema = z.string().min(1).max(64);
const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 yyyy-MM-dd');
const pinSchema = z.string().regex(/^\d{4,8}$/, 'PIN 为 4–8 位数字 / PIN is 4–8 digits');
const saleLineSchema = z
  .object({ name: z.string().trim().min(1).max(64), quantity: z.number().int().min(1).max(9999), unitFen: fenSchema.min(0).max(100_000_000) })
  .strict();

/** Who is signed in at this window. */
export interface SessionUser {
  id: string;
  name: string;
  role: 'cashier' | 'manager' | 'owner';
}

/** What the counter is doing right now: the sale being paid (if any) and the last thing to tell the cashier. */
export interface CounterState {
  cashier: SessionUser | null;
  activeSale: SaleView | null;
  /** Set while a scan or a device needs the cashier's attention, e.g. an Alipay code. */
  notice: { message: Localized; at: number } | null;
  /** The sale whose receipt QR was just scanned (for a refund or a reprint), and when: each scan opens it again. */
  scannedReceipt: { sale: SaleView; at: number } | null;
  /** Payments recorded for a sale the counter was not showing, not resolved yet: the cashier keeps or refunds each. */
  paymentAlerts: PaymentAlertView[];
}

/** What a scanner last read, as the settings' test scan shows it: never a full payment code. */
export interface LastScan {
  source: 'serial' | 'wedge';
  kind: string;
  /** The code as it may be shown: a payment code masked, a product barcode or receipt in full. */
  shown: string;
  at: number;
}

export interface PrinterStatusView {
  configured: boolean;
  /** Null when printing works. */
  problem: string | null;
  message: Localized | null;
  pendingJobs: number;
}

export interface AppInfo {
  version: string;
  storeName: string;
  terminalId: string;
  /** True while the app talks to the embedded WeChat Pay sandbox: every screen and receipt says 沙箱. */
  sandbox: boolean;
  /** Each window's language (issue 18): a window shows its own (`languages[role]`), printed slips `receipt`. */
  languages: WindowLanguages;
  /** The store's time zone (IANA name): every window shows times in it, whatever the machine's zone. */
  timeZone: string;
  /** Set when the settings file was unreadable and defaults are in use (the broken file was kept). */
  settingsProblem: string | null;
  /** Speak "微信收款 12.50 元" after each payment (settings: voice.enabled). */
  voiceAnnouncements: boolean;
  /** Damage or tampering found in the store's data: shown in words on the cashier's and manager's screens. */
  dataProblems: DataProblem[];
}

/**
 * Something wrong with the store's data that must never pass silently (electron/security/README.md, "Damage and
 * tampering"). While the database is damaged or missing the app answers no call but these: the screens say what
 * happened and how to put the newest good backup back.
 */
export interface DataProblem {
  kind: 'database-damaged' | 'database-missing' | 'disk-full' | 'audit-broken';
  /** What happened and what to do, in both languages. */
  message: Localized;
  /** For a damaged or missing database: the newest backup that passed its check and the command restoring it. */
  restore: { file: string; at: number; command: string } | null;
}

export const apiMethods = {
  // Open: every window shows the store's name and 沙箱 before anyone signs in, and F12 switches the language there.
  // app.setLanguage switches the calling window only (the cashier window's choice is remembered for the person).
  'app.getInfo': method<AppInfo>()(empty, ['cashier', 'manager', 'display'], 'open'),
  'app.setLanguage': method<AppInfo>()(z.object({ language: z.enum(LANGUAGES) }).strict(), undefined, 'open'),
  /** The cashier's sale being built, mirrored on the customer display before any payment starts. Signed in. */
  'cart.preview': method<{ totalFen: number }>()(
    z
      .object({
        lines: z
          .array(
            z.object({ name: z.string().min(1).max(64), quantity: z.number().int().min(1).max(9999), unitFen: fenSchema.min(0) }).strict(),
          )
          .max(500),
        /** A plain amount typed on the numpad, used when there are no lines. */
        amountFen: fenSchema.min(0).max(100_000_000).optional(),
      })
      .strict(),
    ['cashier'],
  ),

  // ---- Signing in (the PIN is checked on the main side; five wrong PINs lock the user) ----
  /** With userId the person picked their name; without, the PIN alone identifies them (PINs are unique). Open. */
  'auth.signIn': method<SessionUser>()(securityRequests.signIn, undefined, 'open'),
  'auth.signOut': method<null>()(securityRequests.signOut, undefined, 'open'),
  'auth.current': method<UserSummary | null>()(empty, undefined, 'open'),
  /** Staff ids and names: the manager window's staff, shift and reconciliation tabs only, a manager signed in. */
  'auth.listUsers': method<UserSummary[]>()(empty, ['manager']),
  'auth.changeOwnPin': method<UserSummary>()(securityRequests.changeOwnPin),
  /** First run of a live install: nobody can work until the owner exists. Open (nobody can sign in yet). */
  'setup.getState': method<SetupState>()(empty, undefined, 'open'),
  /** Needs the one-time setup code shown only where the app runs (console line or a dialog of the main process). */
  'setup.createOwner': method<UserSummary>()(securityRequests.createOwner, ['manager'], 'open'),
  /** Shows the setup code again where the app runs (never to the window): the console, or Electron's dialog. */
  'setup.showCode': method<{ shown: boolean }>()(empty, ['manager'], 'open'),
  /** A manager's PIN becomes a short-lived, single-use token for one gated action, usable only by this window. */
  'approval.request': method<ApprovalGrant>()(securityRequests.approve),

  // ---- People, audit, risk, secrets, backups (manager window) ----
  'users.create': method<UserSummary>()(securityRequests.createUser, ['manager']),
  'users.resetPin': method<UserSummary>()(securityRequests.resetPin, ['manager']),
  'users.setActive': method<UserSummary>()(securityRequests.setUserActive, ['manager']),
  'users.unlock': method<UserSummary>()(securityRequests.unlockUser),
  /** The terminal's PIN lock (wrong PINs typed here, by anyone); a manager clears it with 'user-manage'. */
  'users.terminalLock': method<TerminalPinLockView>()(empty, ['manager']),
  'users.clearTerminalLock': method<TerminalPinLockView>()(securityRequests.clearTerminalLock, ['manager']),
  'audit.list': method<AuditEntryView[]>()(securityRequests.listAudit, ['manager']),
  'audit.verify': method<AuditChainReport>()(empty, ['manager']),
  'risk.listAlerts': method<RiskAlertView[]>()(z.object({ openOnly: z.boolean().optional() }).strict(), ['manager']),
  'risk.acknowledgeAlert': method<RiskAlertView>()(securityRequests.acknowledgeAlert, ['manager']),
  /** Masked summaries only: a secret is never read back in full. */
  'secrets.describe': method<SecretsStatus>()(empty, ['manager']),
  'secrets.replace': method<SecretsStatus>()(securityRequests.replaceSecret, ['manager']),
  'secrets.clear': method<SecretsStatus>()(securityRequests.clearSecret, ['manager']),
  'backup.list': method<BackupView[]>()(empty, ['manager']),
  'backup.now': method<BackupView>()(empty, ['manager']),

  // ---- Settings (no secrets in them) and the WeChat connection check ----
  /** The whole settings object (store, terminal, WeChat mode and ids, scanner, printer, voice, security limits). */
  'settings.get': method<Record<string, unknown>>()(empty, ['manager']),
  /**
   * Replaces the settings with a manager's approval token ('settings-change'); validated against the full
   * schema on the main side, audit-logged field by field. WeChat, scanner and printer changes apply at restart.
   */
  'settings.update': method<Record<string, unknown>>()(
    z.object({ settings: z.record(z.string(), z.unknown()), approvalToken: z.string().min(16).max(128) }).strict(),
    ['manager'],
  ),
  /** Prints a test page (store name, time, 58/80 mm ruler, Chinese text, a QR) on the configured printer. */
  'devices.testPrint': method<{ queued: boolean; message: Localized }>()(empty, ['manager']),
  /** The last code either scanner read, classified; payment codes masked. For the settings' test scan. */
  'devices.lastScan': method<{ scan: LastScan | null; scanner: ScannerState }>()(empty, ['manager']),
  /** A real signed call (a query of an order that cannot exist) explained in words. */
  'wechat.testConnection': method<{ ok: boolean; verdict: string; message: Localized; code?: string; apiVersion: 'v2' | 'v3' }>()(empty, ['manager']),

  // ---- The counter: the sale being built and paid ----
  /** Open: the PIN screen already knows whether a sale is waiting on the counter (the display shows it too). */
  'counter.getState': method<CounterState>()(empty, ['cashier'], 'open'),
  /** Turns the cart (lines, or the amount typed) into a sale with a receipt number, ready for tenders. */
  'sale.checkout': method<SaleView>()(
    z
      .object({
        lines: z.array(saleLineSchema).max(500),
        amountFen: fenSchema.min(1).max(100_000_000).optional(),
        /** A manager's PIN, needed only when the sale is above the largest-sale limit. */
        overridePin: pinSchema.optional(),
      })
      .strict(),
    ['cashier'],
  ),
  /** Voids the active sale while nothing is paid; a paid sale is undone only by a refund. */
  'sale.void': method<SaleView>()(z.object({ saleId: idSchema, reason: z.string().max(100).optional() }).strict(), ['cashier']),
  /** Clears the finished sale from the counter (after payment) so the next one can start. */
  'sale.finish': method<null>()(z.object({ saleId: idSchema }).strict(), ['cashier']),
  'sale.get': method<SaleView>()(z.object({ saleId: idSchema }).strict()),
  'sale.findByReceipt': method<SaleView | null>()(z.object({ receiptNo: z.number().int().positive() }).strict()),
  'sale.listRecent': method<SaleView[]>()(
    z.object({ from: z.number().int().optional(), to: z.number().int().optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
  ),

  // ---- Tenders ----
  /** A payment code typed or scanned (serial scans arrive on the main side directly). */
  'payment.submitCode': method<AttemptView>()(
    z.object({ saleId: idSchema, code: z.string().min(1).max(64), amountFen: fenSchema.min(1).optional() }).strict(),
    ['cashier'],
  ),
  'payment.startQr': method<AttemptView>()(z.object({ saleId: idSchema, amountFen: fenSchema.min(1).optional() }).strict(), ['cashier']),
  'payment.cancelQr': method<AttemptView>()(z.object({ attemptId: idSchema }).strict(), ['cashier']),
  'payment.cash': method<{ sale: SaleView; changeFen: number }>()(
    z.object({ saleId: idSchema, tenderedFen: fenSchema.min(0).max(100_000_000), amountFen: fenSchema.min(1).optional() }).strict(),
    ['cashier'],
  ),
  /** The cart paid in full in cash with no checkout before: sale and cash in one commit. The sale stays on the counter, paid. */
  'payment.cashSale': method<{ sale: SaleView; changeFen: number }>()(
    z
      .object({
        lines: z.array(saleLineSchema).max(500),
        amountFen: fenSchema.min(1).max(100_000_000).optional(),
        tenderedFen: fenSchema.min(1).max(100_000_000),
        overridePin: pinSchema.optional(),
      })
      .strict(),
    ['cashier'],
  ),
  /** The cashier gives up waiting on an unresolved WeChat attempt and takes another tender. */
  'payment.supersede': method<AttemptView>()(z.object({ attemptId: idSchema }).strict(), ['cashier']),
  'attempts.listForReview': method<AttemptView[]>()(empty),

  // ---- Scans from a keyboard-wedge scanner (routed exactly like serial scans) ----
  'scanner.submitWedgeScan': method<null>()(z.object({ code: z.string().min(1).max(512) }).strict(), ['cashier']),

  // ---- Refunds (manager PIN) ----
  'refund.request': method<RefundResult>()(
    z.object({ saleId: idSchema, amountFen: fenSchema.min(1), managerPin: pinSchema, reason: z.string().max(100).optional() }).strict(),
  ),
  'refund.list': method<RefundView[]>()(z.object({ saleId: idSchema }).strict()),
  /** A sale made at another counter of this store, at the hub: by the receipt's terminal and number, or its QR. */
  'otherCounterSale.lookup': method<OtherCounterSaleLookup>()(
    z.union([
      z.object({ terminalId: z.string().trim().min(1).max(6), receiptNo: z.number().int().min(1).max(999_999_999) }).strict(),
      z.object({ receiptQr: z.string().min(1).max(200) }).strict(),
    ]),
  ),
  /** A WeChat refund of one tender of another counter's sale (looked up again at the hub; manager PIN). */
  'otherCounterSale.refund': method<OtherCounterRefundView>()(
    z.object({
      terminalId: z.string().trim().min(1).max(6), receiptNo: z.number().int().min(1).max(999_999_999),
      outTradeNo: z.string().min(1).max(32), amountFen: fenSchema.min(1), managerPin: pinSchema, reason: z.string().max(100).optional(),
    }).strict(),
  ),

  // ---- Payments on a sale the counter was not showing (paid twice?) ----
  'paymentAlert.list': method<PaymentAlertView[]>()(z.object({ openOnly: z.boolean().optional() }).strict(), ['cashier', 'manager']),
  /** "It was this basket": the payment stays. */
  'paymentAlert.keep': method<PaymentAlertView>()(z.object({ alertId: idSchema }).strict(), ['cashier', 'manager']),
  /** "The basket was paid another way": the whole payment is refunded, with a manager's PIN as for any refund. */
  'paymentAlert.refund': method<PaymentAlertView>()(z.object({ alertId: idSchema, managerPin: pinSchema }).strict(), ['cashier', 'manager']),

  // ---- Printing and the drawer ----
  'print.reprintReceipt': method<null>()(z.object({ saleId: idSchema }).strict()),
  'drawer.open': method<null>()(z.object({ managerPin: pinSchema }).strict()),

  /** Open: the status strip shows the network and the queue before anyone signs in. */
  'sync.getStatus': method<SyncStatus>()(empty, undefined, 'open'),

  // ---- The hub (总部): enrolment and the facts link (electron/hub-link/) ----
  'hub.status': method<HubStatus>()(empty, ['manager']),
  /** Enrols this counter with a hub using a pairing code made there (a manager or the owner; audit-logged). */
  'hub.enrol': method<HubStatus>()(
    z.object({ hubUrl: z.string().trim().min(8).max(300), pairingCode: z.string().trim().min(1).max(40), counterName: z.string().trim().min(1).max(40) }).strict(),
    ['manager'],
  ),

  // ---- The store's item list (quick items and product barcodes) ----
  'items.list': method<ItemView[]>()(z.object({ includeInactive: z.boolean().optional() }).strict()),
  /** Adds (no id) or changes an item, with a manager's approval token ('items-change'); audit-logged. */
  'items.save': method<ItemView>()(
    z.object({ id: idSchema.optional(), item: itemFieldsSchema, approvalToken: z.string().min(16).max(128) }).strict(),
    ['manager'],
  ),

  // ---- Shifts and X/Z reports ----
  'shift.open': method<ShiftView>()(z.object({ openingFloatFen: fenSchema.min(0).max(10_000_000) }).strict(), ['cashier']),
  'shift.current': method<ShiftView | null>()(empty),
  'shift.get': method<ShiftView>()(z.object({ shiftId: shiftIdSchema }).strict(), ['manager']),
  'shift.list': method<ShiftView[]>()(
    z
      .object({
        from: z.number().int(),
        to: z.number().int(),
        cashierId: z.string().max(64).optional(),
        terminalId: z.string().max(32).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    ['manager'],
  ),
  'shift.cashMove': method<CashMovementView>()(
    // managerPin: a cash-out above the limit or the drawer's expected cash needs it (answered CASH_OUT_APPROVAL without).
    z.object({ shiftId: shiftIdSchema, kind: z.enum(['in', 'out']), amountFen: fenSchema.min(1).max(10_000_000), reason: z.string().trim().min(1).max(100), managerPin: pinSchema.optional() }).strict(),
    ['cashier'],
  ),
  /** Opens the drawer without a sale: counted on the shift report, needs a manager's PIN. */
  'shift.noSale': method<CashMovementView>()(z.object({ shiftId: shiftIdSchema, managerPin: pinSchema, reason: z.string().max(100).optional() }).strict(), ['cashier']),
  'shift.movements': method<CashMovementView[]>()(z.object({ shiftId: shiftIdSchema }).strict()),
  /** WeChat attempts of the shift not resolved yet: closing waits for them (or a manager's approval). */
  'shift.pending': method<PendingItem[]>()(z.object({ shiftId: shiftIdSchema }).strict()),
  'shift.check': method<{ runId: string }>()(z.object({ shiftId: shiftIdSchema }).strict()),
  'shift.checkResult': method<{ running: boolean; result: WechatCheckResult | null }>()(z.object({ shiftId: shiftIdSchema }).strict()),
  /**
   * The blind count: the cashier counts by denomination before the expected amount is shown. The manager window
   * may enter it too, for a shift its cashier left without counting (the manager then closes it).
   */
  'shift.count': method<CountResult>()(
    z
      .object({
        shiftId: shiftIdSchema,
        counts: z
          .array(
            z
              .object({
                denominationFen: z.number().int().refine((d) => (DENOMINATIONS_FEN as readonly number[]).includes(d), '未知面额 / unknown denomination'),
                count: z.number().int().min(0).max(100_000),
              })
              .strict(),
          )
          .max(DENOMINATIONS_FEN.length),
      })
      .strict(),
    ['cashier', 'manager'],
  ),
  'shift.close': method<{ report: ShiftReport; sha256: string }>()(
    z.object({ shiftId: shiftIdSchema, managerPin: pinSchema.optional() }).strict(),
    ['cashier', 'manager'],
  ),
  'shift.xReport': method<ShiftReport>()(z.object({ shiftId: shiftIdSchema }).strict()),
  'shift.zReport': method<{ report: ShiftReport; sha256: string; intact: boolean }>()(z.object({ shiftId: shiftIdSchema }).strict()),
  'shift.print': method<{ jobId: number; copy: boolean }>()(z.object({ shiftId: shiftIdSchema, kind: z.enum(['X', 'Z']) }).strict()),
  'shift.exportCsv': method<{ fileName: string; text: string }>()(z.object({ shiftId: shiftIdSchema, kind: z.enum(['X', 'Z']) }).strict(), ['manager']),
  'shift.exportPdf': method<{ fileName: string; base64: string }>()(z.object({ shiftId: shiftIdSchema, kind: z.enum(['X', 'Z']) }).strict(), ['manager']),

  // ---- Reconciliation with WeChat's daily bill ----
  'reconciliation.bills': method<BillView[]>()(z.object({ limit: z.number().int().min(1).max(100).optional() }).strict(), ['manager']),
  'reconciliation.mismatches': method<ReconciliationMismatchView[]>()(
    z.object({ billDate: dateSchema.optional(), openOnly: z.boolean().optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    ['manager'],
  ),
  'reconciliation.resolve': method<ReconciliationMismatchView>()(
    z.object({ id: idSchema, note: z.string().trim().min(1).max(500), managerPin: pinSchema }).strict(),
    ['manager'],
  ),
  'reconciliation.problems': method<BillProblemView[]>()(z.object({ limit: z.number().int().min(1).max(100).optional() }).strict(), ['manager']),
  'reconciliation.redownload': method<null>()(z.object({ billDate: dateSchema, managerPin: pinSchema }).strict(), ['manager']),
} as const;

/** Events the main side pushes, and which windows receive each. */
export interface ApiEvents {
  'app.info': AppInfo;
  'display.state': CustomerDisplayState;
  'counter.state': CounterState;
  'sale.updated': SaleView;
  'attempt.updated': AttemptView;
  'refund.updated': RefundView;
  'sync.status': SyncStatus;
  'scanner.state': ScannerState;
  'printer.state': PrinterStatusView;
  'risk.alert': RiskAlertView;
  'payment.alert': PaymentAlertView;
  'shift.updated': ShiftView;
  'reconciliation.updated': { billDate: string };
  'items.updated': ItemView[];
  'scanner.scanned': ScanFeedback;
  'hub.status': HubStatus;
}

export const apiEventAudience: { [E in keyof ApiEvents]: readonly WindowRole[] } = {
  'app.info': ['cashier', 'manager', 'display'],
  'display.state': ['cashier', 'display'],
  'counter.state': ['cashier'],
  'sale.updated': ['cashier', 'manager'],
  'attempt.updated': ['cashier', 'manager'],
  'refund.updated': ['cashier', 'manager'],
  'sync.status': ['cashier', 'manager'],
  'scanner.state': ['cashier', 'manager'],
  'printer.state': ['cashier', 'manager'],
  'risk.alert': ['manager'],
  'payment.alert': ['cashier', 'manager'],
  'shift.updated': ['cashier', 'manager'],
  'reconciliation.updated': ['manager'],
  'items.updated': ['cashier', 'manager'],
  'scanner.scanned': ['cashier'],
  'hub.status': ['manager'],
};

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
export type EventName = keyof ApiEvents;
export type MethodRequest<M extends MethodName> = z.input<ApiMethods[M]['request']>;
export type ParsedRequest<M extends MethodName> = z.output<ApiMethods[M]['request']>;
export type MethodResult<M extends MethodName> = ApiMethods[M]['result'];

export const METHOD_NAMES = Object.keys(apiMethods) as MethodName[];
export const EVENT_NAMES = Object.keys(apiEventAudience) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(apiMethods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(apiEventAudience, name);
}

/** What a window sees: one typed call and one typed subscription, whichever transport carries them. */
export interface PosApi {
  call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<Result<MethodResult<M>>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** IPC channel names are derived, never written by hand. */
export const ipcInvokeChannel = (m: MethodName): string => `pos:call:${m}`;
export const IPC_EVENT_CHANNEL = 'pos:event';

/** Largest request a transport accepts, in bytes of JSON. */
export const MAX_REQUEST_BYTES = 64 * 1024;
