import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import { ok } from '../../../shared/result';
import { securitySettingsSchema } from '../../../electron/security/security-settings';
import { cashOutSubject, ShiftService } from '../../../electron/shifts/service';
import { FakeWechat } from '../../helpers/fake-wechat-client';
import { openShiftsDb, withSecurity } from './fixture';

const cashier = { id: 'c1', name: '李收银' };

function setUp(settings: { maxCashOutFen?: number } = {}) {
  const db = openShiftsDb();
  const clock = new ManualClock(Date.UTC(2025, 2, 14, 2, 0, 0));
  const staff = withSecurity(db, clock);
  const drawerOpenings: string[] = [];
  const shifts = new ShiftService({
    db, clock, logger: new MemoryLogger(), terminalId: 'T1', client: new FakeWechat(clock).client(),
    worker: { registerHandler: () => {}, wake: () => {} }, audit: staff.security.audit, approvals: staff.security.approvals,
    printer: {
      enqueueDocument: () => ok({ jobId: 1 }),
      openDrawer: (reason) => {
        drawerOpenings.push(reason);
        return ok({ jobId: 2 });
      },
    },
    settings: () => settings,
  });
  // ￥493 in the drawer, as in the report: a ￥400 float and ￥93 put in.
  const shift = shifts.openShift({ cashierId: 'c1', cashierName: '李收银', openingFloatFen: 40_000 });
  shifts.moveCash({ shiftId: shift.id, kind: 'in', amountFen: 9_300, reason: '补零钱', actor: cashier });
  drawerOpenings.length = 0;
  return { db, shifts, shift, staff, drawerOpenings };
}

describe('cash out', () => {
  it('takes out a small amount the drawer holds without a manager, and opens the drawer for it', () => {
    const { shifts, shift, drawerOpenings } = setUp();
    expect(shifts.moveCash({ shiftId: shift.id, kind: 'out', amountFen: 2_000, reason: '小额支出', actor: cashier })).toMatchObject({ approvedBy: null });
    expect(drawerOpenings).toEqual(['cash-out']);
  });

  it('refuses more than the drawer should hold without a manager: nothing recorded, the drawer stays shut, expected cash never negative', () => {
    const { db, shifts, shift, drawerOpenings } = setUp({ maxCashOutFen: 0 });
    for (const amountFen of [500_000, 10_000_000]) {
      expect(() => shifts.moveCash({ shiftId: shift.id, kind: 'out', amountFen, reason: '取现', actor: cashier })).toThrow(
        expect.objectContaining({ code: 'CASH_OUT_APPROVAL' }),
      );
    }
    expect(drawerOpenings).toEqual([]);
    expect(shifts.expectedCash(shift.id)).toBe(49_300);
    const refused = db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'shift.cash-out-refused'").get() as { n: number };
    expect(refused.n).toBe(2);
  });

  it('refuses an amount above the configured limit even when the drawer holds it, and does not name the expected cash', () => {
    const { shifts, shift } = setUp({ maxCashOutFen: 10_000 });
    const attempt = () => shifts.moveCash({ shiftId: shift.id, kind: 'out', amountFen: 20_000, reason: '投库', actor: cashier });
    expect(attempt).toThrow(expect.objectContaining({ code: 'CASH_OUT_APPROVAL' }));
    expect(attempt).toThrow(/￥100\.00/);
    expect(attempt).not.toThrow(/493/);
  });

  it('takes a manager-approved cash-out once, for exactly the amount approved, and opens the drawer for that movement only', () => {
    const { shifts, shift, staff, drawerOpenings } = setUp();
    const wrongAmount = staff.approve('cash-out', cashOutSubject(shift.id, 100_000));
    expect(() => shifts.moveCash({ shiftId: shift.id, kind: 'out', amountFen: 500_000, reason: '取现', actor: cashier, approval: wrongAmount })).toThrow(
      expect.objectContaining({ code: 'APPROVAL_INVALID' }),
    );
    const noSaleToken = staff.approve('no-sale-drawer');
    expect(() => shifts.moveCash({ shiftId: shift.id, kind: 'out', amountFen: 500_000, reason: '取现', actor: cashier, approval: noSaleToken })).toThrow(
      expect.objectContaining({ code: 'APPROVAL_INVALID' }),
    );
    expect(drawerOpenings).toEqual([]);

    const token = staff.approve('cash-out', cashOutSubject(shift.id, 500_000));
    const moved = shifts.moveCash({ shiftId: shift.id, kind: 'out', amountFen: 500_000, reason: '取现', actor: cashier, approval: token });
    expect(moved).toMatchObject({ kind: 'out', amountFen: 500_000, approvedBy: '王店长' });
    expect(drawerOpenings).toEqual(['cash-out']);
    expect(() => shifts.moveCash({ shiftId: shift.id, kind: 'out', amountFen: 500_000, reason: '取现', actor: cashier, approval: token })).toThrow(
      expect.objectContaining({ code: 'APPROVAL_INVALID' }),
    );
    expect(drawerOpenings).toEqual(['cash-out']);
  });

  it('has a ￥500 default limit in the settings, and refuses a negative or fractional one', () => {
    expect(securitySettingsSchema.parse({}).limits.maxCashOutFen).toBe(50_000);
    expect(securitySettingsSchema.safeParse({ limits: { maxCashOutFen: -1 } }).success).toBe(false);
    expect(securitySettingsSchema.safeParse({ limits: { maxCashOutFen: 12.5 } }).success).toBe(false);
    expect(securitySettingsSchema.parse({ limits: { maxCashOutFen: 0 } }).limits.maxCashOutFen).toBe(0);
  });
});
