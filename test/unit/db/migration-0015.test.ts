import { describe, expect, it } from 'vitest';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0015OtherCounterRefundTender } from '../../../electron/db/migrations/0015-other-counter-refund-tender';
import { openDatabase } from '../../../electron/db/open';
import { insertOtherCounterRefund, type NewOtherCounterRefundRow } from '../../../electron/db/refunds';
import { refundsByKind } from '../../../electron/db/shift-figures';

const otherCounterRefund = (overrides: Partial<NewOtherCounterRefundRow>): NewOtherCounterRefundRow => ({
  originTerminalId: 'A01',
  originReceiptNo: 7,
  originOutTradeNo: 'A01P000001',
  originTotalFen: 5_000,
  originTenderKind: 'wechat-code',
  outRefundNo: 'B02R000001',
  amountFen: 1_000,
  approvedBy: 'm1',
  reason: null,
  requestedAt: 1_000,
  requestedOffline: false,
  ...overrides,
});

describe('migration 0015-other-counter-refund-tender', () => {
  it('is migration 15 and takes a tender kind only for refunds of another counter’s sale', () => {
    expect(appMigrations[14]).toBe(migration0015OtherCounterRefundTender);
    const db = openDatabase(':memory:', appMigrations);
    const id = insertOtherCounterRefund(db, otherCounterRefund({ originTenderKind: 'wechat-qr' }));
    expect(db.prepare('SELECT origin_tender_kind FROM refunds WHERE id = ?').pluck().get(id)).toBe('wechat-qr');
    expect(() => db.prepare("UPDATE refunds SET origin_tender_kind = 'cash' WHERE id = ?").run(id)).toThrow(/CHECK/);
    db.close();
  });

  it("counts refunds of another counter's sale in the refunding shift's figures, by the tender they go back to", () => {
    const db = openDatabase(':memory:', appMigrations);
    insertOtherCounterRefund(db, otherCounterRefund({ outRefundNo: 'B02R1', amountFen: 1_000, originTenderKind: 'wechat-code' }));
    insertOtherCounterRefund(db, otherCounterRefund({ outRefundNo: 'B02R2', amountFen: 2_500, originTenderKind: 'wechat-qr', originOutTradeNo: 'A01P2' }));
    const failed = insertOtherCounterRefund(db, otherCounterRefund({ outRefundNo: 'B02R3', amountFen: 400, originOutTradeNo: 'A01P3' }));
    db.prepare("UPDATE refunds SET state = 'failed' WHERE id = ?").run(failed);
    // Made after the shift closed: another shift's.
    insertOtherCounterRefund(db, otherCounterRefund({ outRefundNo: 'B02R4', amountFen: 700, requestedAt: 9_000, originOutTradeNo: 'A01P4' }));
    const figures = refundsByKind(db, { shiftId: 's1', terminalId: 'B02', from: 0, to: 5_000 });
    expect([...figures].sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: 'wechat-code', n: 1, amount: 1_000 },
      { kind: 'wechat-qr', n: 1, amount: 2_500 },
    ]);
    db.close();
  });
});
