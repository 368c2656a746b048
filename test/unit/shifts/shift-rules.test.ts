import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import { ShiftService } from '../../../electron/shifts/service';
import { FakeWechat } from '../../helpers/fake-wechat-client';
import { openShiftsDb, withSecurity } from './fixture';

function setUp(): { shifts: ShiftService; approve: (action: Parameters<ReturnType<typeof withSecurity>['approve']>[0]) => string } {
  const db = openShiftsDb();
  const clock = new ManualClock(Date.UTC(2025, 2, 14, 2, 0, 0));
  const staff = withSecurity(db, clock);
  const shifts = new ShiftService({
    db, clock, logger: new MemoryLogger(), terminalId: 'T1', client: new FakeWechat(clock).client(),
    worker: { registerHandler: () => {}, wake: () => {} }, audit: staff.security.audit, approvals: staff.security.approvals,
  });
  return { shifts, approve: (action) => staff.approve(action) };
}

const cashier = { id: 'c1', name: '李收银' };

describe('shift rules', () => {
  it('allows one open shift per terminal', () => {
    const { shifts } = setUp();
    shifts.openShift({ cashierId: 'c1', cashierName: '李收银', openingFloatFen: 10_000 });
    expect(() => shifts.openShift({ cashierId: 'c2', cashierName: '张', openingFloatFen: 0 })).toThrow(expect.objectContaining({ code: 'SHIFT_OPEN' }));
  });

  it('hides the expected cash until the blind count is in, and takes the count only once', () => {
    const { shifts } = setUp();
    const shift = shifts.openShift({ ...{ cashierId: 'c1', cashierName: '李收银' }, openingFloatFen: 10_000 });
    shifts.moveCash({ shiftId: shift.id, kind: 'in', amountFen: 500, reason: '补零钱', actor: cashier });
    expect(shifts.getShift(shift.id)).toMatchObject({ expectedCashFen: null, differenceFen: null });
    const counted = shifts.submitCount({ shiftId: shift.id, actor: cashier, counts: [{ denominationFen: 10000, count: 1 }, { denominationFen: 100, count: 5 }] });
    expect(counted).toMatchObject({ expectedFen: 10_500, countedFen: 10_500, differenceFen: 0, needsCountersign: false });
    expect(() => shifts.submitCount({ shiftId: shift.id, actor: cashier, counts: [] })).toThrow(expect.objectContaining({ code: 'ALREADY_COUNTED' }));
  });

  it('closes a small difference without a countersignature and numbers Z reports per terminal', () => {
    const { shifts } = setUp();
    for (const expected of [1, 2]) {
      const shift = shifts.openShift({ cashierId: 'c1', cashierName: '李收银', openingFloatFen: 1000 });
      shifts.submitCount({ shiftId: shift.id, actor: cashier, counts: [{ denominationFen: 500, count: 1 }, { denominationFen: 100, count: 4 }] });
      const z = shifts.closeShift({ shiftId: shift.id, actor: cashier });
      expect(z.report).toMatchObject({ zNo: expected, cash: { differenceFen: -100 }, countersignedBy: null });
    }
  });

  it('refuses a count with an unknown note or a negative number, and movements without a reason', () => {
    const { shifts } = setUp();
    const shift = shifts.openShift({ cashierId: 'c1', cashierName: '李收银', openingFloatFen: 0 });
    expect(() => shifts.submitCount({ shiftId: shift.id, actor: cashier, counts: [{ denominationFen: 300 as 100, count: 1 }] })).toThrow(expect.objectContaining({ code: 'INVALID_COUNT' }));
    expect(() => shifts.submitCount({ shiftId: shift.id, actor: cashier, counts: [{ denominationFen: 100, count: -1 }] })).toThrow(expect.objectContaining({ code: 'INVALID_COUNT' }));
    expect(() => shifts.moveCash({ shiftId: shift.id, kind: 'out', amountFen: 100, reason: ' ', actor: cashier })).toThrow(expect.objectContaining({ code: 'REASON_REQUIRED' }));
  });

  it('needs a manager approval for a no-sale opening', () => {
    const { shifts, approve } = setUp();
    const shift = shifts.openShift({ cashierId: 'c1', cashierName: '李收银', openingFloatFen: 0 });
    expect(() => shifts.noSale({ shiftId: shift.id, actor: cashier })).toThrow(expect.objectContaining({ code: 'APPROVAL_REQUIRED' }));
    expect(shifts.noSale({ shiftId: shift.id, actor: cashier, approval: approve('no-sale-drawer') })).toMatchObject({ kind: 'no-sale', approvedBy: '王店长' });
    expect(shifts.xReport(shift.id).noSales).toBe(1);
  });
});
