import type { Database } from 'better-sqlite3';
import { beijingParts, type Clock } from '../../shared/clock';
import { fen, formatYuan } from '../../shared/money';
import type { RiskAlertKind, RiskAlertView, RiskDecision } from '../../shared/security';
import { acknowledgeRiskAlert, findOpenRiskAlert, getRiskAlert, insertRiskAlert, listRiskAlerts, updateRiskAlertCount, type RiskAlertRow } from '../db/risk-alerts';
import { countRiskEvents, insertRiskEvent, pruneRiskEvents } from '../db/risk-events';
import { getUser } from '../db/users';
import type { Localized } from '../../shared/i18n';
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type Actor, type AuditLog } from './audit-log';
import { TERMINAL_SCOPE } from './pin-guard';
import { requireApproval, type ApprovalGate, type ApprovalRecord } from './approvals';
import { SecurityError, securityError } from './errors';
import { alertWindows, lockMs, type SecuritySettings } from './security-settings';

export interface RiskDeps {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  approvals: ApprovalGate;
  settings: () => SecuritySettings;
  /** Told about every new alert (the composition root pushes it to the manager's screen). */
  onAlert?: (alert: RiskAlertView) => void;
}

const ALLOW: RiskDecision = { kind: 'allow' };
const DAY_MS = 24 * 60 * 60 * 1000;

/** Start of the Beijing calendar day containing `now`, in epoch ms. */
export function beijingDayStart(now: number): number {
  const p = beijingParts(now);
  return now - ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 - (now % 1000);
}

function overLimit(code: 'SALE_OVER_LIMIT' | 'REFUND_OVER_LIMIT' | 'CASH_DRAWER_CAP', limit: number, actual: number): RiskDecision {
  const l = formatYuan(fen(limit));
  const a = formatYuan(fen(actual));
  const reasons = {
    SALE_OVER_LIMIT: { zh: `单笔销售 ${a} 超过上限 ${l}，需要店长授权`, en: `The sale of ${a} is above the ${l} limit: manager approval needed` },
    REFUND_OVER_LIMIT: { zh: `退款 ${a} 超过单笔上限 ${l}，需要店长授权`, en: `The refund of ${a} is above the ${l} limit: manager approval needed` },
    CASH_DRAWER_CAP: {
      zh: `钱箱现金 ${a} 已超过 ${l}，请先投库（取出现金），或由店长授权继续`,
      en: `Cash in the drawer (${a}) is above ${l}: make a cash drop first, or a manager may approve going on`,
    },
  };
  return { kind: 'needs-override', code, reason: reasons[code], limit, actual };
}

/**
 * Money limits with a manager override, and an alert feed for the manager's screen. `check*` say whether
 * something may go ahead; `enforce` turns a needs-override decision into a refusal unless a manager approved a
 * 'limit-override' (which is then audit-logged with the limit and the amount). Limits come from settings; 0 is
 * “no limit”. Services record failed scans and refunds so bursts raise an alert.
 */
export class RiskService {
  constructor(private readonly deps: RiskDeps) {}

  checkSale(totalFen: number): RiskDecision {
    const { maxSaleFen } = this.deps.settings().limits;
    return maxSaleFen > 0 && totalFen > maxSaleFen ? overLimit('SALE_OVER_LIMIT', maxSaleFen, totalFen) : ALLOW;
  }

  /** Amount first, then how many refunds this cashier already started today (Beijing day). */
  checkRefund(amountFen: number, cashierId: string): RiskDecision {
    const { maxRefundFen, maxRefundsPerCashierPerDay } = this.deps.settings().limits;
    if (maxRefundFen > 0 && amountFen > maxRefundFen) return overLimit('REFUND_OVER_LIMIT', maxRefundFen, amountFen);
    if (maxRefundsPerCashierPerDay > 0) {
      const now = this.deps.clock.now();
      const today = countRiskEvents(this.deps.db, 'refund', cashierId, beijingDayStart(now), now + 1);
      if (today >= maxRefundsPerCashierPerDay) {
        return {
          kind: 'needs-override',
          code: 'REFUNDS_PER_DAY',
          reason: {
            zh: `今天已退款 ${today} 次，达到每人每日 ${maxRefundsPerCashierPerDay} 次上限，需要店长授权`,
            en: `${today} refunds today reach the limit of ${maxRefundsPerCashierPerDay} per cashier per day: manager approval needed`,
          },
          limit: maxRefundsPerCashierPerDay,
          actual: today + 1,
        };
      }
    }
    return ALLOW;
  }

  /** Asked after cash comes in: above the cap the cashier is prompted for a cash drop. */
  checkCashInDrawer(cashFen: number): RiskDecision {
    const { cashDrawerCapFen } = this.deps.settings().limits;
    return cashDrawerCapFen > 0 && cashFen > cashDrawerCapFen ? overLimit('CASH_DRAWER_CAP', cashDrawerCapFen, cashFen) : ALLOW;
  }

  /**
   * Lets an allowed decision through; a needs-override one only with a manager's 'limit-override' approval,
   * audit-logged. Returns the approval used, or null when none was needed.
   */
  enforce(decision: RiskDecision, approvalToken: string | undefined, actor: Actor, subject: string | null = null): ApprovalRecord | null {
    if (decision.kind === 'allow') return null;
    if (!approvalToken) throw new SecurityError('LIMIT_EXCEEDED', decision.reason);
    const approval = requireApproval(this.deps.approvals, approvalToken, 'limit-override', { subject });
    this.deps.audit.append(actor, AUDIT_ACTIONS.limitOverride, {
      code: decision.code,
      limit: decision.limit,
      actual: decision.actual,
      subject,
      approvedBy: approval.managerId,
    });
    return approval;
  }

  /** A scan that did not lead to a payment (unreadable, refused, wrong code). Bursts raise an alert. */
  recordFailedScan(actorId: string): RiskAlertView | null {
    const { failedScansMs } = alertWindows(this.deps.settings());
    return this.record('failed-scan', 'failed-scans', actorId, null, this.deps.settings().alerts.failedScans, failedScansMs);
  }

  /** Call when a refund is started (counts towards the daily limit and the refund-burst alert). */
  recordRefund(actorId: string, amountFen: number): RiskAlertView | null {
    const { refundsMs } = alertWindows(this.deps.settings());
    return this.record('refund', 'refund-burst', actorId, amountFen, this.deps.settings().alerts.refunds, refundsMs);
  }

  /**
   * PIN guessing: the terminal lock engaged ('terminal') or a person was locked by name (their id). One alert
   * per burst: while one is open and no older than a day, a new lock only raises its count.
   */
  recordPinLock(actorId: string, failures: number): RiskAlertView | null {
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    const windowMs = lockMs(this.deps.settings());
    const alert = db.transaction(() => {
      const open = findOpenRiskAlert(db, 'pin-guessing', actorId, now - DAY_MS);
      if (open) {
        updateRiskAlertCount(db, open.id, open.count + failures);
        return null;
      }
      const id = insertRiskAlert(db, { kind: 'pin-guessing', actorId, count: failures, windowMs, at: now });
      audit.append(SYSTEM_ACTOR, AUDIT_ACTIONS.alertRaised, { alertId: id, kind: 'pin-guessing', actorId, count: failures, windowMs });
      return getRiskAlert(db, id) ?? null;
    })();
    if (!alert) return null;
    const view = this.view(alert);
    this.deps.onAlert?.(view);
    return view;
  }

  listAlerts(openOnly: boolean, limit = 50): RiskAlertView[] {
    return listRiskAlerts(this.deps.db, openOnly, limit).map((row) => this.view(row));
  }

  acknowledge(alertId: number, approvalToken: string | undefined, actor: Actor): RiskAlertView {
    const approval = requireApproval(this.deps.approvals, approvalToken, 'alert-acknowledge', { subject: `alert:${alertId}` });
    const { db, clock, audit } = this.deps;
    const row = db.transaction(() => {
      if (!acknowledgeRiskAlert(db, alertId, approval.managerId, clock.now())) {
        throw securityError('NOT_FOUND', '没有这条未处理的警报', 'No such open alert');
      }
      audit.append(actor, AUDIT_ACTIONS.alertAcknowledged, { alertId, approvedBy: approval.managerId });
      return getRiskAlert(db, alertId);
    })();
    if (!row) throw securityError('NOT_FOUND', '没有这条警报', 'No such alert');
    return this.view(row);
  }

  /**
   * A day's WeChat bill could not be read (or fetched by its deadline): one alert per day (actor `bill:<date>`),
   * raised again only if the last one was acknowledged. `problem` says what, in both languages.
   */
  raiseBillProblem(billDate: string, problem: { zh: string; en: string }): RiskAlertView | null {
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    const actorId = `bill:${billDate}`;
    const alert = db.transaction(() => {
      if (findOpenRiskAlert(db, 'bill-unreadable', actorId, 0)) return null;
      const id = insertRiskAlert(db, { kind: 'bill-unreadable', actorId, count: 1, windowMs: 1, at: now });
      audit.append(SYSTEM_ACTOR, AUDIT_ACTIONS.alertRaised, { alertId: id, kind: 'bill-unreadable', billDate, problem: problem.en });
      return getRiskAlert(db, id) ?? null;
    })();
    if (!alert) return null;
    const view = { ...this.view(alert), message: { zh: `${billDate} ${problem.zh}`, en: `${billDate}: ${problem.en}` } };
    this.deps.onAlert?.(view);
    return view;
  }

  /** An alert as the manager reads it: people by name (李收银), not by id (demo-cashier). */
  private view(row: RiskAlertRow): RiskAlertView {
    return toAlertView(row, (id) => getUser(this.deps.db, id)?.name ?? id);
  }

  /** Daily housekeeping: counters older than two days are no longer needed. */
  prune(): number {
    return pruneRiskEvents(this.deps.db, this.deps.clock.now() - 2 * DAY_MS);
  }

  private record(
    eventKind: 'failed-scan' | 'refund',
    alertKind: RiskAlertKind,
    actorId: string,
    amountFen: number | null,
    threshold: number,
    windowMs: number,
  ): RiskAlertView | null {
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    const alert = db.transaction(() => {
      insertRiskEvent(db, eventKind, actorId, amountFen, now);
      const count = countRiskEvents(db, eventKind, actorId, now - windowMs, now + 1);
      if (count < threshold) return null;
      // One alert per burst: while it is open and recent, it just counts up.
      const open = findOpenRiskAlert(db, alertKind, actorId, now - windowMs);
      if (open) {
        updateRiskAlertCount(db, open.id, count);
        return null;
      }
      const id = insertRiskAlert(db, { kind: alertKind, actorId, count, windowMs, at: now });
      audit.append(SYSTEM_ACTOR, AUDIT_ACTIONS.alertRaised, { alertId: id, kind: alertKind, actorId, count, windowMs });
      return getRiskAlert(db, id) ?? null;
    })();
    if (!alert) return null;
    const view = this.view(alert);
    this.deps.onAlert?.(view);
    return view;
  }
}

function toAlertView(row: RiskAlertRow, nameOf: (id: string) => string): RiskAlertView {
  const minutes = Math.round(row.window_ms / 60_000);
  const who = row.actor_id === TERMINAL_SCOPE || row.actor_id.startsWith('bill:') ? row.actor_id : nameOf(row.actor_id);
  const billDate = row.actor_id.replace(/^bill:/, '');
  const messages: Record<RiskAlertKind, Localized> = {
    'bill-unreadable': { zh: `${billDate} 的微信账单无法对账（账单格式无法识别或未能下载），详见“对账”`, en: `WeChat's bill of ${billDate} could not be reconciled (unreadable or not downloaded): see Reconciliation` },
    'failed-scans': { zh: `${minutes} 分钟内 ${row.count} 次扫码失败（员工 ${who}）`, en: `${row.count} failed scans within ${minutes} min (staff ${who})` },
    'refund-burst': { zh: `${minutes} 分钟内 ${row.count} 次退款（员工 ${who}）`, en: `${row.count} refunds within ${minutes} min (staff ${who})` },
    'pin-guessing':
      row.actor_id === TERMINAL_SCOPE
        ? { zh: `本终端 PIN 错误 ${row.count} 次，PIN 登录已锁定（可能有人在猜 PIN）`, en: `${row.count} wrong PINs at this terminal: PIN entry locked (someone may be guessing PINs)` }
        : { zh: `员工 ${who} 的 PIN 错误 ${row.count} 次，已锁定（可能有人在猜 PIN）`, en: `${row.count} wrong PINs for staff ${who}: locked (someone may be guessing PINs)` },
  };
  const message = messages[row.kind];
  return {
    id: row.id,
    at: row.at,
    kind: row.kind,
    actorId: row.actor_id,
    actorName: row.actor_id === TERMINAL_SCOPE ? { zh: '本终端', en: 'this terminal' } : row.actor_id.startsWith('bill:') ? { zh: '系统', en: 'system' } : { zh: who, en: who },
    count: row.count,
    windowMs: row.window_ms,
    message,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by === null ? null : nameOf(row.acknowledged_by),
  };
}
