import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { DEFAULT_STORE_TIME_ZONE, type Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import { fen, formatYuan, type Fen } from '../../shared/money';
import type { PaperWidth, ReceiptLang } from '../../shared/receipt';
import type { Result } from '../../shared/result';
import {
  countTotalFen,
  type CashMovementView,
  type CountResult,
  type DenominationCount,
  type PendingItem,
  type ShiftReport,
  type ShiftView,
  type WechatCheckResult,
} from '../../shared/shifts';
import { latestPrintJobForRef, type PrintJobKind } from '../db/print-jobs';
import { takeNextSequence } from '../db/sequences';
import {
  getOpenShift,
  getShift,
  insertCashMovement,
  insertShift,
  listCashMovements,
  listShifts,
  markShiftClosed,
  recordBlindCount,
  type ShiftRow,
} from '../db/shifts';
import { latestCheckRun } from '../db/shift-checks';
import { findAuditEntry } from '../db/audit-log';
import { getZReportForShift, insertZReport } from '../db/z-reports';
import { requireApproval, type ApprovalGate } from '../security/approvals';
import { hashAuditRow, type Actor } from '../security/audit-log';
import type { AuditChainReport } from '../../shared/security';
import type { OperationHandler } from '../sync/types';
import type { WechatPayClient } from '../wechat/types';
import type { ReceiptDocument } from '../../shared/receipt';
import { shiftRefusal } from './errors';
import type { PdfRenderer } from './pdf';
import { computeReport, countersignerName, expectedCash, pendingItems, sealReport, verifySealed } from './report';
import { reportCsv, reportDocument, reportHtml, type ReportContext } from './report-export';
import { cashMovementView, shiftView } from './views';
import { latestCheckResult, queueShiftCheck, wechatCheckHandler } from './wechat-check';

export interface ShiftSettings {
  /** A |difference| above this needs a manager's countersignature. */
  differenceThresholdFen: number;
  /** No-sale drawer openings need a manager's approval ('no-sale-drawer'). */
  noSaleNeedsApproval: boolean;
  /** A cash-out above this needs a manager's approval ('cash-out'); 0: no amount limit (the drawer rule still holds). */
  maxCashOutFen: number;
  storeName: string;
  /** Printed reports: the receipt language. */
  lang: ReceiptLang;
  /** CSV and PDF exports, read in the manager window: its language (defaults to `lang`). */
  exportLang?: ReceiptLang;
  sandbox: boolean;
  paper: PaperWidth;
  /** The store's time zone: the times on reports and exports. */
  timeZone: string;
}

export const DEFAULT_SHIFT_SETTINGS: ShiftSettings = {
  differenceThresholdFen: 1000,
  noSaleNeedsApproval: true,
  maxCashOutFen: 50_000,
  storeName: '',
  lang: 'zh',
  sandbox: false,
  paper: 80,
  timeZone: DEFAULT_STORE_TIME_ZONE,
};

/** The part of the print queue the shifts feature uses. */
export interface ShiftPrinter {
  enqueueDocument(kind: Exclude<PrintJobKind, 'drawer' | 'raw'>, doc: ReceiptDocument, options?: { ref?: string }): Result<{ jobId: number }>;
  openDrawer(reason: string): Result<{ jobId: number }>;
}

export interface AuditSink {
  append(actor: Actor, action: string, details?: Record<string, string | number | boolean | null>): number;
}

export interface OutboxRegistry {
  registerHandler(handler: OperationHandler): void;
  wake(): void;
}

export interface ShiftServiceDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  terminalId: string;
  client: WechatPayClient;
  worker: OutboxRegistry;
  audit: AuditSink;
  approvals: ApprovalGate;
  printer?: ShiftPrinter;
  pdf?: PdfRenderer;
  settings?: () => Partial<ShiftSettings>;
  newId?: () => string;
  /** Called when a pre-close check finished (the app pushes an event). */
  onCheckFinished?: (shiftId: string) => void;
  /** Called after a shift was opened, counted or closed (the app pushes 'shift.updated' to the windows). */
  onShiftChanged?: (shift: ShiftView) => void;
  /** The whole audit chain, verified after every Z report (tampering is looked for, not only when asked). */
  auditChain?: { verify(): AuditChainReport };
  /** Told when that check finds the chain broken (the app shows it on the cashier's and manager's screens). */
  onAuditBroken?: (report: AuditChainReport) => void;
}

export interface CloseRequest {
  shiftId: string;
  actor: Actor;
  /** 'shift-close-difference' approval token, needed when |difference| is above the threshold. */
  differenceApproval?: string | null;
  /** 'shift-close-pending' approval token, needed while WeChat payments of the shift are unresolved. */
  pendingApproval?: string | null;
}

export interface StoredZReport {
  report: ShiftReport;
  sha256: string;
  /**
   * The stored JSON still hashes to the stored hash, AND that hash is the one the 'shift.closed' audit entry
   * recorded at close (an entry that itself still hashes right): a Z rewritten with a recomputed checksum is
   * not intact.
   */
  intact: boolean;
}

/** The audit entry written when the shift closed: printed on the Z so the chain is anchored on paper. */
export interface ZAuditAnchor {
  seq: number;
  hash: string;
}

const SHIFT_ACTIONS = {
  opened: 'shift.opened',
  cashIn: 'shift.cash-in',
  cashOut: 'shift.cash-out',
  cashOutRefused: 'shift.cash-out-refused',
  noSale: 'shift.no-sale',
  counted: 'shift.counted',
  closed: 'shift.closed',
  zPrinted: 'shift.z-printed',
} as const;

/** A 'cash-out' approval is for one amount on one shift: it cannot be reused for a bigger one. */
export const cashOutSubject = (shiftId: string, amountFen: number): string => `cash-out:${shiftId}:${amountFen}`;

/**
 * Says that a manager is needed without saying which rule asked for it: naming the drawer's expected cash would
 * undo the blind count at closing.
 */
function cashOutNeedsManager(amountFen: number, limitFen: number): ReturnType<typeof shiftRefusal> {
  const amount = formatYuan(fen(amountFen));
  const limit = limitFen > 0 ? formatYuan(fen(limitFen)) : null;
  return shiftRefusal(
    'CASH_OUT_APPROVAL',
    `取出 ${amount} 需要店长授权（${limit ? `超过单笔上限 ${limit}，或` : ''}超过钱箱应有现金），请店长输入 PIN`,
    `Taking out ${amount} needs a manager's approval (${limit ? `above the ${limit} limit, or ` : ''}more than the drawer should hold): manager PIN, please`,
  );
}

export class ShiftService {
  constructor(private readonly deps: ShiftServiceDeps) {
    deps.worker.registerHandler(wechatCheckHandler({ client: deps.client, onFinished: deps.onCheckFinished }));
  }

  settings(): ShiftSettings {
    return { ...DEFAULT_SHIFT_SETTINGS, ...this.deps.settings?.() };
  }

  openShift(input: { cashierId: string; cashierName: string; openingFloatFen: number }): ShiftView {
    const { db, clock, terminalId } = this.deps;
    if (!Number.isSafeInteger(input.openingFloatFen) || input.openingFloatFen < 0) {
      throw shiftRefusal('INVALID_AMOUNT', '备用金金额无效', 'Invalid opening float');
    }
    const id = this.deps.newId?.() ?? randomUUID();
    const now = clock.now();
    db.transaction(() => {
      if (getOpenShift(db, terminalId)) throw shiftRefusal('SHIFT_OPEN', '本终端已有未交班的班次', 'This terminal already has an open shift');
      insertShift(db, { id, terminalId, cashierId: input.cashierId, cashierName: input.cashierName, openingFloatFen: input.openingFloatFen, openedAt: now });
      this.deps.audit.append({ id: input.cashierId, name: input.cashierName }, SHIFT_ACTIONS.opened, { shiftId: id, terminalId, floatFen: input.openingFloatFen });
    })();
    return this.changed(id);
  }

  currentShift(): ShiftView | null {
    const row = getOpenShift(this.deps.db, this.deps.terminalId);
    return row ? shiftView(row) : null;
  }

  getShift(id: string): ShiftView {
    return shiftView(this.mustShift(id));
  }

  listShifts(filter: { from: number; to: number; terminalId?: string; cashierId?: string; limit?: number }): ShiftView[] {
    return listShifts(this.deps.db, { ...filter, limit: Math.min(filter.limit ?? 200, 1000) }).map(shiftView);
  }

  listCashMovements(shiftId: string): CashMovementView[] {
    return listCashMovements(this.deps.db, shiftId).map(cashMovementView);
  }

  /**
   * Whether taking `amountFen` out of this shift's drawer needs a manager: above the configured amount, or more
   * than the drawer should hold (expected cash would go negative). Cash in never does.
   */
  cashOutNeedsApproval(shiftId: string, amountFen: number): boolean {
    const shift = this.mustOpen(shiftId);
    const limit = this.settings().maxCashOutFen;
    return (limit > 0 && amountFen > limit) || amountFen > expectedCash(this.deps.db, shift, this.deps.clock.now());
  }

  /**
   * Cash put into or taken out of the drawer (change float top-up, a bank drop...), with a reason. A cash-out that
   * needs a manager (see cashOutNeedsApproval) takes a 'cash-out' approval for exactly this shift and amount; without
   * one nothing is written and the drawer stays shut (the refusal is audit-logged, so probing is visible). The
   * drawer opens only after the movement committed.
   */
  moveCash(input: { shiftId: string; kind: 'in' | 'out'; amountFen: number; reason: string; actor: Actor; approval?: string | null }): CashMovementView {
    const reason = input.reason.trim();
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) throw shiftRefusal('INVALID_AMOUNT', '金额必须大于零', 'The amount must be more than zero');
    if (!reason) throw shiftRefusal('REASON_REQUIRED', '请填写原因', 'A reason is required');
    const needsApproval = input.kind === 'out' && this.cashOutNeedsApproval(input.shiftId, input.amountFen);
    if (needsApproval && !input.approval) {
      this.deps.audit.append(input.actor, SHIFT_ACTIONS.cashOutRefused, { shiftId: input.shiftId, amountFen: input.amountFen, reason });
      throw cashOutNeedsManager(input.amountFen, this.settings().maxCashOutFen);
    }
    const id = this.deps.db.transaction(() => {
      this.mustOpen(input.shiftId);
      const approval = needsApproval
        ? requireApproval(this.deps.approvals, input.approval, 'cash-out', { subject: cashOutSubject(input.shiftId, input.amountFen) })
        : null;
      const movementId = insertCashMovement(this.deps.db, {
        shift_id: input.shiftId, kind: input.kind, amount_fen: input.amountFen, reason, actor_id: input.actor.id,
        actor_name: input.actor.name, approved_by: approval?.managerName ?? null, at: this.deps.clock.now(),
      });
      this.deps.audit.append(input.actor, input.kind === 'in' ? SHIFT_ACTIONS.cashIn : SHIFT_ACTIONS.cashOut, {
        shiftId: input.shiftId, amountFen: input.amountFen, reason, ...(approval ? { approvedBy: approval.managerId } : {}),
      });
      return movementId;
    })();
    this.openDrawer(`cash-${input.kind}`);
    return this.movement(input.shiftId, id);
  }

  /** Opens the drawer without a sale; counted on the report. */
  noSale(input: { shiftId: string; actor: Actor; reason?: string; approval?: string | null }): CashMovementView {
    const id = this.deps.db.transaction(() => {
      this.mustOpen(input.shiftId);
      const approval = this.settings().noSaleNeedsApproval ? requireApproval(this.deps.approvals, input.approval, 'no-sale-drawer') : null;
      const movementId = insertCashMovement(this.deps.db, {
        shift_id: input.shiftId, kind: 'no-sale', amount_fen: 0, reason: input.reason?.trim() ?? '', actor_id: input.actor.id,
        actor_name: input.actor.name, approved_by: approval?.managerName ?? null, at: this.deps.clock.now(),
      });
      this.deps.audit.append(input.actor, SHIFT_ACTIONS.noSale, { shiftId: input.shiftId, approvedBy: approval?.managerId ?? null });
      return movementId;
    })();
    this.openDrawer('no-sale');
    return this.movement(input.shiftId, id);
  }

  pending(shiftId: string): PendingItem[] {
    return pendingItems(this.deps.db, this.mustShift(shiftId), this.deps.clock.now());
  }

  /** Queries WeChat for every payment and refund of the shift (through the outbox); the result lands on the report. */
  requestWechatCheck(shiftId: string): { runId: string } {
    const runId = randomUUID();
    this.deps.db.transaction(() => {
      this.mustShift(shiftId);
      queueShiftCheck(this.deps.db, shiftId, runId, this.deps.clock.now());
    })();
    this.deps.worker.wake();
    return { runId };
  }

  wechatCheck(shiftId: string): { running: boolean; result: WechatCheckResult | null } {
    const latest = latestCheckRun(this.deps.db, shiftId);
    return { running: latest?.state === 'queued', result: latestCheckResult(this.deps.db, shiftId) };
  }

  /** The blind count: stored once, before the cashier sees the expected amount; the answer then shows both. */
  submitCount(input: { shiftId: string; counts: DenominationCount[]; actor: Actor }): CountResult {
    const { db, clock } = this.deps;
    let countedFen: number;
    try {
      countedFen = countTotalFen(input.counts);
    } catch (error) {
      throw shiftRefusal('INVALID_COUNT', '清点数量无效', `Invalid count: ${error instanceof Error ? error.message : String(error)}`);
    }
    const now = clock.now();
    db.transaction(() => {
      const shift = this.mustOpen(input.shiftId);
      const expectedFen = expectedCash(db, shift, now);
      if (!recordBlindCount(db, shift.id, { countJson: JSON.stringify(input.counts), countedFen, expectedFen, at: now })) {
        throw shiftRefusal('ALREADY_COUNTED', '本班次已清点', 'This shift has been counted already');
      }
      this.deps.audit.append(input.actor, SHIFT_ACTIONS.counted, { shiftId: shift.id, countedFen, expectedFen, differenceFen: countedFen - expectedFen });
    })();
    this.changed(input.shiftId);
    const shift = this.mustShift(input.shiftId);
    const expectedFen = fen(shift.expected_cash_fen ?? 0);
    const differenceFen = fen(countedFen - expectedFen);
    return {
      shift: shiftView(shift),
      expectedFen,
      countedFen: fen(countedFen),
      differenceFen,
      needsCountersign: Math.abs(differenceFen) > this.settings().differenceThresholdFen,
      pending: pendingItems(db, shift, now),
    };
  }

  /**
   * Closes the shift and writes its Z report (numbered per terminal, sealed by SHA-256) in one transaction.
   * Refused while WeChat payments are unresolved unless a manager approved closing anyway (the report lists
   * them as pending), and for a difference above the threshold unless a manager countersigned.
   */
  closeShift(request: CloseRequest): StoredZReport {
    const { db, clock, terminalId } = this.deps;
    const now = clock.now();
    db.transaction(() => {
      const shift = this.mustOpen(request.shiftId);
      if (shift.counted_at === null || shift.counted_fen === null) throw shiftRefusal('COUNT_FIRST', '请先清点现金', 'Count the cash first');
      const subject = `shift:${shift.id}`;
      const pending = pendingItems(db, shift, now);
      if (pending.length > 0) {
        if (!request.pendingApproval) {
          throw shiftRefusal('SHIFT_PENDING', `还有 ${pending.length} 笔微信交易未决，请等待或由店长授权交班`, `${pending.length} WeChat payments are unresolved: wait, or a manager approves closing`);
        }
        requireApproval(this.deps.approvals, request.pendingApproval, 'shift-close-pending', { subject });
      }
      const expectedFen = expectedCash(db, shift, now);
      const differenceFen = shift.counted_fen - expectedFen;
      let countersignedBy: string | null = null;
      if (Math.abs(differenceFen) > this.settings().differenceThresholdFen) {
        const approval = requireApproval(this.deps.approvals, request.differenceApproval, 'shift-close-difference', { subject });
        countersignedBy = approval.managerName;
      }
      const zNo = takeNextSequence(db, `z-report:${terminalId}`);
      const closed = markShiftClosed(db, shift.id, {
        expectedFen, differenceFen, countersignedBy, closedWithPending: pending.length > 0, closedBy: request.actor.id, closedAt: now, zNo,
      });
      if (!closed) throw shiftRefusal('SHIFT_CLOSED', '班次已交班', 'The shift is closed already');
      const report = computeReport(db, this.mustShift(shift.id), 'Z', now, zNo);
      const sealed = sealReport(report);
      insertZReport(db, { shift_id: shift.id, terminal_id: terminalId, z_no: zNo, report_json: sealed.json, sha256: sealed.sha256, created_at: now });
      this.deps.audit.append(request.actor, SHIFT_ACTIONS.closed, {
        shiftId: shift.id, zNo, expectedFen, countedFen: shift.counted_fen, differenceFen, countersignedBy, pending: pending.length, sha256: sealed.sha256,
      });
    })();
    this.changed(request.shiftId);
    this.checkAuditChain();
    return this.zReport(request.shiftId);
  }

  /** The X report: the shift's figures now (open or closed). */
  /** The cash the drawer should hold now (for the drawer cap after each cash payment: not the whole X report). */
  expectedCash(shiftId: string): Fen {
    return expectedCash(this.deps.db, this.mustShift(shiftId), this.deps.clock.now());
  }

  xReport(shiftId: string): ShiftReport {
    return computeReport(this.deps.db, this.mustShift(shiftId), 'X', this.deps.clock.now(), null);
  }

  /** The stored Z report, exactly as written at close. */
  zReport(shiftId: string): StoredZReport {
    const row = getZReportForShift(this.deps.db, shiftId);
    if (!row) throw shiftRefusal('NO_Z_REPORT', '该班次尚未交班，没有 Z 报表', 'The shift is not closed: no Z report');
    const recorded = this.closeEntry(shiftId);
    const matchesAudit = recorded !== null && recorded.sha256 === row.sha256;
    const stored = JSON.parse(row.report_json) as ShiftReport;
    // Z reports written before names were kept name the countersigning manager by id: their name is looked up.
    const report = stored.countersignedByName === undefined ? { ...stored, ...countersignerName(this.deps.db, stored.countersignedBy) } : stored;
    return { report, sha256: row.sha256, intact: verifySealed(row.report_json, row.sha256) && matchesAudit };
  }

  /** The 'shift.closed' audit entry of a shift: its place in the chain and the checksum it recorded; null when missing or altered. */
  private closeEntry(shiftId: string): (ZAuditAnchor & { sha256: string | null }) | null {
    const entry = findAuditEntry(this.deps.db, SHIFT_ACTIONS.closed, 'shiftId', shiftId);
    if (!entry || hashAuditRow(entry) !== entry.hash) return null;
    const details = JSON.parse(entry.details) as { sha256?: unknown };
    return { seq: entry.seq, hash: entry.hash, sha256: typeof details.sha256 === 'string' ? details.sha256 : null };
  }

  /** Verifies the whole audit chain; a broken one is logged and told (it is not a reason to refuse the close). */
  private checkAuditChain(): void {
    const report = this.deps.auditChain?.verify();
    if (!report || report.ok) return;
    this.deps.logger.error('audit chain broken (checked at Z report)', { brokenAtSeq: report.brokenAtSeq, problem: report.problem });
    this.deps.onAuditBroken?.(report);
  }

  /** Prints the X report, or the Z report (the first print is the original, every later one is marked 重打/COPY). */
  printReport(shiftId: string, kind: 'X' | 'Z', actor: Actor): { jobId: number; copy: boolean } {
    const printer = this.deps.printer;
    if (!printer) throw shiftRefusal('NO_PRINTER', '未配置打印机', 'No printer configured');
    const rendered = this.rendered(shiftId, kind);
    const copy = kind === 'Z' && this.zPrintedBefore(shiftId);
    const doc = reportDocument(rendered.report, { ...rendered.ctx, copy });
    const queued = printer.enqueueDocument('shift', doc, { ref: `${kind}:${shiftId}` });
    if (!queued.ok) throw shiftRefusal(queued.error.code, queued.error.message, queued.error.message);
    if (kind === 'Z') this.deps.audit.append(actor, SHIFT_ACTIONS.zPrinted, { shiftId, copy, jobId: queued.value.jobId });
    return { jobId: queued.value.jobId, copy };
  }

  exportCsv(shiftId: string, kind: 'X' | 'Z', copy = false): string {
    const r = this.rendered(shiftId, kind);
    return reportCsv(r.report, { ...r.ctx, lang: this.settings().exportLang ?? r.ctx.lang, copy });
  }

  async exportPdf(shiftId: string, kind: 'X' | 'Z', copy = false): Promise<Buffer> {
    if (!this.deps.pdf) throw shiftRefusal('NO_PDF', '无法导出 PDF', 'PDF export is not available');
    const r = this.rendered(shiftId, kind);
    return this.deps.pdf.htmlToPdf(reportHtml(r.report, { ...r.ctx, lang: this.settings().exportLang ?? r.ctx.lang, copy }));
  }

  private rendered(shiftId: string, kind: 'X' | 'Z'): { report: ShiftReport; ctx: ReportContext } {
    const s = this.settings();
    const base = { lang: s.lang, storeName: s.storeName, sandbox: s.sandbox, timeZone: s.timeZone, printedAt: this.deps.clock.now(), copy: false };
    if (kind === 'X') return { report: this.xReport(shiftId), ctx: base };
    const stored = this.zReport(shiftId);
    const anchor = this.closeEntry(shiftId);
    return { report: stored.report, ctx: { ...base, sha256: stored.sha256, ...(anchor ? { auditAnchor: { seq: anchor.seq, hash: anchor.hash } } : {}) } };
  }

  /** The shift as it is now, told to whoever listens (after the transaction committed). */
  private changed(shiftId: string): ShiftView {
    const shift = this.getShift(shiftId);
    this.deps.onShiftChanged?.(shift);
    return shift;
  }

  private zPrintedBefore(shiftId: string): boolean {
    return latestPrintJobForRef(this.deps.db, 'shift', `Z:${shiftId}`) !== undefined;
  }

  private openDrawer(reason: string): void {
    const opened = this.deps.printer?.openDrawer(reason);
    if (opened && !opened.ok) this.deps.logger.warn('opening the drawer failed', { reason, error: opened.error.code });
  }

  private movement(shiftId: string, id: number): CashMovementView {
    const row = listCashMovements(this.deps.db, shiftId).find((m) => m.id === id);
    if (!row) throw new Error(`cash movement ${id} vanished`);
    return cashMovementView(row);
  }

  private mustShift(id: string): ShiftRow {
    const row = getShift(this.deps.db, id);
    if (!row) throw shiftRefusal('NOT_FOUND', '找不到该班次', 'Shift not found');
    return row;
  }

  private mustOpen(id: string): ShiftRow {
    const row = this.mustShift(id);
    if (row.state !== 'open') throw shiftRefusal('SHIFT_CLOSED', '班次已交班', 'The shift is closed');
    return row;
  }
}
