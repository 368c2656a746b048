import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import { fen } from '../../../shared/money';
import { insertOtherCounterRefund } from '../../../electron/db/refunds';
import { reportSections } from '../../../electron/shifts/report-sections';
import { ShiftService } from '../../../electron/shifts/service';
import { FakeWechat } from '../../helpers/fake-wechat-client';
import { openShiftsDb, withSecurity } from './fixture';

const cashier = { id: 'c1', name: '李收银' };

describe('refunds still in flight at shift close', () => {
  it("lists a refund of another counter's receipt still processing at WeChat at the close and on the Z report, and closing then takes a manager's approval", () => {
    const db = openShiftsDb();
    const clock = new ManualClock(Date.UTC(2025, 2, 14, 2, 0, 0));
    const staff = withSecurity(db, clock);
    const shifts = new ShiftService({
      db, clock, logger: new MemoryLogger(), terminalId: 'B02', client: new FakeWechat(clock).client(),
      worker: { registerHandler: () => {}, wake: () => {} }, audit: staff.security.audit, approvals: staff.security.approvals,
    });
    const shift = shifts.openShift({ cashierId: cashier.id, cashierName: cashier.name, openingFloatFen: 10_000 });
    clock.advance(60_000);
    const refund = (outRefundNo: string, amountFen: number, originOutTradeNo: string): number =>
      insertOtherCounterRefund(db, {
        originTerminalId: 'A01', originReceiptNo: 7, originOutTradeNo, originTotalFen: 5_000, originTenderKind: 'wechat-code',
        outRefundNo, amountFen, approvedBy: staff.managerId, reason: null, requestedAt: clock.now(), requestedOffline: false,
      });
    const inFlight = refund('B02R000001', 1_200, 'A01P1');
    db.prepare("UPDATE refunds SET state = 'processing' WHERE id = ?").run(inFlight);
    // Settled ones are not in flight: neither the succeeded nor the failed one is listed.
    db.prepare("UPDATE refunds SET state = 'succeeded' WHERE id = ?").run(refund('B02R000002', 300, 'A01P2'));
    db.prepare("UPDATE refunds SET state = 'failed' WHERE id = ?").run(refund('B02R000003', 400, 'A01P3'));
    staff.security.audit.append(cashier, 'refund.other-counter', { outRefundNo: 'B02R000001', amountFen: 1_200 });

    const expected = { kind: 'refund', id: inFlight, saleId: null, receiptNo: 7, originTerminalId: 'A01', ref: 'B02R000001', amountFen: fen(1_200), state: 'processing', cashierId: cashier.id };
    expect(shifts.pending(shift.id)).toEqual([expect.objectContaining(expected)]);

    clock.advance(60_000);
    shifts.submitCount({ shiftId: shift.id, actor: cashier, counts: [{ denominationFen: 10_000, count: 1 }] });
    expect(() => shifts.closeShift({ shiftId: shift.id, actor: cashier })).toThrow(expect.objectContaining({ code: 'SHIFT_PENDING' }));
    const z = shifts.closeShift({ shiftId: shift.id, actor: cashier, pendingApproval: staff.approve('shift-close-pending', `shift:${shift.id}`) });
    expect(z.report.pending).toEqual([expect.objectContaining(expected)]);
    expect(shifts.getShift(shift.id).closedWithPending).toBe(true);
    const printed = reportSections(z.report, 'zh').flatMap((section) => [section.title, ...section.rows.map((row) => `${row.label} ${row.value}`)]);
    expect(printed).toContain('未决交易 (1)');
    expect(printed).toContain('#A01-7 B02R000001 ￥12.00 退款处理中');
  });
});
