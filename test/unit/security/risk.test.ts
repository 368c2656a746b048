import { describe, expect, it } from 'vitest';
import type { SecurityError } from '../../../electron/security/errors';
import { beijingDayStart } from '../../../electron/security/risk';
import type { RiskAlertView } from '../../../shared/security';
import { makeHarness, withStaff } from './fixture';

const actor = { id: 'u-c', name: '李收银' };

describe('risk limits', () => {
  it('allows a sale up to the limit and asks for a manager above it, in both languages', () => {
    const h = makeHarness();
    h.settings.limits.maxSaleFen = 100_000;
    expect(h.security.risk.checkSale(100_000)).toEqual({ kind: 'allow' });
    expect(h.security.risk.checkSale(100_001)).toEqual({
      kind: 'needs-override',
      code: 'SALE_OVER_LIMIT',
      limit: 100_000,
      actual: 100_001,
      reason: {
        zh: '单笔销售 ￥1000.01 超过上限 ￥1000.00，需要店长授权',
        en: 'The sale of ￥1000.01 is above the ￥1000.00 limit: manager approval needed',
      },
    });
  });

  it('treats a limit of 0 as no limit', () => {
    const h = makeHarness();
    h.settings.limits.maxSaleFen = 0;
    h.settings.limits.cashDrawerCapFen = 0;
    expect(h.security.risk.checkSale(99_999_999)).toEqual({ kind: 'allow' });
    expect(h.security.risk.checkCashInDrawer(99_999_999)).toEqual({ kind: 'allow' });
  });

  it('limits the refund amount, then the refunds one cashier starts per Beijing day', () => {
    const h = makeHarness();
    h.settings.limits.maxRefundFen = 5_000;
    h.settings.limits.maxRefundsPerCashierPerDay = 2;
    h.settings.alerts.refunds = 99;
    h.clock.set(Date.UTC(2026, 4, 1, 15, 0, 0)); // 23:00 in Beijing
    expect(h.security.risk.checkRefund(5_001, 'u-c')).toMatchObject({ code: 'REFUND_OVER_LIMIT' });
    h.security.risk.recordRefund('u-c', 100);
    h.security.risk.recordRefund('u-c', 100);
    expect(h.security.risk.checkRefund(100, 'u-c')).toMatchObject({ code: 'REFUNDS_PER_DAY', limit: 2, actual: 3 });
    expect(h.security.risk.checkRefund(100, 'u-other')).toEqual({ kind: 'allow' });
    h.clock.advance(60 * 60_000); // 00:00 next Beijing day
    expect(h.security.risk.checkRefund(100, 'u-c')).toEqual({ kind: 'allow' });
  });

  it('prompts a cash drop above the drawer cap', () => {
    const h = makeHarness();
    h.settings.limits.cashDrawerCapFen = 200_000;
    expect(h.security.risk.checkCashInDrawer(200_000)).toEqual({ kind: 'allow' });
    const decision = h.security.risk.checkCashInDrawer(250_000);
    expect(decision).toMatchObject({ code: 'CASH_DRAWER_CAP' });
    expect(decision.kind === 'needs-override' ? decision.reason.zh : '').toMatch(/请先投库/);
  });

  it('refuses an over-limit action without a manager’s override and audit-logs the override', () => {
    const h = makeHarness();
    const { approve, managerId } = withStaff(h);
    h.settings.limits.maxSaleFen = 100_000;
    const decision = h.security.risk.checkSale(150_000);
    expect(() => h.security.risk.enforce(decision, undefined, actor)).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }) as SecurityError);
    expect(() => h.security.risk.enforce(decision, approve('refund', '135792'), actor)).toThrow(/授权/);
    const approval = h.security.risk.enforce(decision, approve('limit-override', '135792', 'sale:9'), actor, 'sale:9');
    expect(approval?.managerId).toBe(managerId);
    expect(h.security.audit.list(null, 1)[0]).toMatchObject({
      action: 'risk.override',
      actorId: 'u-c',
      details: { code: 'SALE_OVER_LIMIT', limit: 100_000, actual: 150_000, subject: 'sale:9', approvedBy: managerId },
    });
    expect(h.security.risk.enforce(h.security.risk.checkSale(1), undefined, actor)).toBeNull();
  });
});

describe('the alert feed', () => {
  it('raises one alert for repeated failed scans in a short window, counting up while it is open', () => {
    const alerts: RiskAlertView[] = [];
    const h = makeHarness({ onAlert: (a) => alerts.push(a) });
    const security = h.security;
    expect(security.risk.recordFailedScan('u-c')).toBeNull();
    h.clock.advance(60_000);
    expect(security.risk.recordFailedScan('u-c')).toBeNull();
    h.clock.advance(60_000);
    const alert = security.risk.recordFailedScan('u-c');
    expect(alert).toMatchObject({ kind: 'failed-scans', actorId: 'u-c', count: 3, windowMs: 5 * 60_000, acknowledgedAt: null });
    expect(alert?.message.zh).toBe('5 分钟内 3 次扫码失败（员工 u-c）');
    expect(security.risk.recordFailedScan('u-c')).toBeNull();
    expect(security.risk.listAlerts(true)).toEqual([expect.objectContaining({ count: 4 })]);
    expect(alerts).toHaveLength(1);
    expect(security.audit.list(null, 10).some((e) => e.action === 'risk.alert')).toBe(true);
  });

  it('names the cashier and the acknowledging manager by name, not by staff id', () => {
    const h = makeHarness();
    const { cashierId, managerId, approve } = withStaff(h);
    for (let i = 0; i < 3; i += 1) h.security.risk.recordFailedScan(cashierId);
    const [alert] = h.security.risk.listAlerts(true);
    expect(alert?.message).toEqual({ zh: '5 分钟内 3 次扫码失败（员工 李收银）', en: '3 failed scans within 5 min (staff 李收银)' });
    expect(alert?.actorName).toEqual({ zh: '李收银', en: '李收银' });
    const done = h.security.risk.acknowledge(alert?.id ?? 0, approve('alert-acknowledge', '135792', `alert:${alert?.id ?? 0}`), { id: managerId, name: '王店长' });
    expect(done.acknowledgedBy).toBe('王店长');
  });

  it('does not alert for failures spread out beyond the window', () => {
    const h = makeHarness();
    for (let i = 0; i < 5; i += 1) {
      expect(h.security.risk.recordFailedScan('u-c')).toBeNull();
      h.clock.advance(3 * 60_000);
    }
  });

  it('raises a refund-burst alert, and a manager acknowledges it with an approval', () => {
    const h = makeHarness();
    const { approve, managerId } = withStaff(h);
    h.security.risk.recordRefund('u-c', 100);
    h.security.risk.recordRefund('u-c', 100);
    const alert = h.security.risk.recordRefund('u-c', 100);
    expect(alert).toMatchObject({ kind: 'refund-burst', count: 3 });
    const id = alert?.id ?? 0;
    expect(() => h.security.risk.acknowledge(id, undefined, actor)).toThrow(expect.objectContaining({ code: 'APPROVAL_REQUIRED' }) as SecurityError);
    const done = h.security.risk.acknowledge(id, approve('alert-acknowledge', '135792'), { id: managerId, name: '王店长' });
    expect(done).toMatchObject({ acknowledgedBy: '王店长', acknowledgedAt: h.clock.now() });
    expect(h.security.risk.listAlerts(true)).toEqual([]);
    expect(h.security.risk.listAlerts(false)).toHaveLength(1);
  });
});

describe('beijingDayStart', () => {
  it('is midnight in Beijing (16:00 UTC the day before)', () => {
    expect(beijingDayStart(Date.UTC(2026, 4, 1, 15, 59, 59, 999))).toBe(Date.UTC(2026, 3, 30, 16, 0, 0));
    expect(beijingDayStart(Date.UTC(2026, 4, 1, 16, 0, 0))).toBe(Date.UTC(2026, 4, 1, 16, 0, 0));
  });
});
