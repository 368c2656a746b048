import { describe, expect, it } from 'vitest';
import { replaceBill, type BillLineRow } from '../../../electron/db/bills';
import { insertRefund, updateRefund } from '../../../electron/db/refunds';
import { insertSale } from '../../../electron/db/sales';
import { insertTender } from '../../../electron/db/tenders';
import { insertAttempt, updateAttempt } from '../../../electron/db/wechat-attempts';
import { reconcileDay } from '../../../electron/shifts/reconcile';
import { openShiftsDb } from './fixture';

/** 2025-03-14 00:00 Beijing. */
const DAY = Date.UTC(2025, 2, 13, 16, 0, 0);

function paidAttempt(db: ReturnType<typeof openShiftsDb>, receiptNo: number, outTradeNo: string, amount: number, paidAt: number): number {
  const saleId = insertSale(db, { terminalId: 'T1', receiptNo, cashierId: 'c1', shiftId: 'S1', description: '', totalFen: amount, createdAt: paidAt });
  const tenderId = insertTender(db, { saleId, kind: 'wechat-code', amountFen: amount, state: 'paid', createdAt: paidAt });
  const id = insertAttempt(db, {
    tenderId, saleId, mode: 'micropay', outTradeNo, amountFen: amount, description: '', state: 'queued', authCode: null, authCodeMasked: null,
    createdAt: paidAt, sendDeadlineAt: null, expiresAt: null,
  });
  updateAttempt(db, id, { state: 'paid', success_time: paidAt, resolved_at: paidAt }, paidAt);
  return saleId;
}

function line(no: number, outTradeNo: string, fen: number, extra: Partial<BillLineRow> = {}): BillLineRow {
  return {
    bill_date: '2025-03-14', line_no: no, kind: 'payment', trade_time: DAY + 1000, transaction_id: `42${no}`, out_trade_no: outTradeNo,
    trade_type: 'MICROPAY', trade_state: 'SUCCESS', settle_fen: fen, order_fen: fen, out_refund_no: null, refund_id: null, refund_fen: 0,
    refund_status: null, fee_fen: 0, ...extra,
  };
}

describe('reconcileDay', () => {
  it('reports a payment and a refund the app sent but WeChat does not bill as only-local', () => {
    const db = openShiftsDb();
    paidAttempt(db, 1, 'A1', 1000, DAY + 3600_000);
    const lost = paidAttempt(db, 2, 'A2', 500, DAY + 7200_000);
    const refundId = insertRefund(db, {
      saleId: lost, tenderId: 2, attemptId: null, kind: 'wechat', outRefundNo: 'R1', amountFen: 100, state: 'queued', approvedBy: 'm',
      reason: null, requestedAt: DAY + 8000_000, requestedOffline: false,
    });
    updateRefund(db, refundId, { state: 'succeeded' }, DAY + 8000_000);
    const lines = [line(1, 'A1', 1000)];
    const counts = db.transaction(() => {
      replaceBill(db, { bill_date: '2025-03-14', state: 'bill', sha1: null, line_count: 1, summary_json: null, downloaded_at: 0, reconciled_at: 0 }, lines);
      return reconcileDay(db, '2025-03-14', DAY + 86_400_000);
    })();
    expect(counts).toMatchObject({ matchedPayments: 1, mismatches: { 'only-local': 2, 'only-in-wechat': 0, 'amount-differs': 0, 'state-differs': 0 } });
  });

  it('finds a payment paid at 23:59:59 in the next day\'s stored bill instead of calling it lost', () => {
    const db = openShiftsDb();
    paidAttempt(db, 1, 'LATE', 700, DAY + 86_400_000 - 1000);
    const nextDay = [line(1, 'LATE', 700, { bill_date: '2025-03-15' })];
    db.transaction(() => {
      replaceBill(db, { bill_date: '2025-03-15', state: 'bill', sha1: null, line_count: 1, summary_json: null, downloaded_at: 0, reconciled_at: 0 }, nextDay);
    })();
    const counts = db.transaction(() => reconcileDay(db, '2025-03-14', DAY + 86_400_000))();
    expect(counts.mismatches['only-local']).toBe(0);
  });

  it('calls a bill payment REVOKED in WeChat but paid locally a state difference', () => {
    const db = openShiftsDb();
    paidAttempt(db, 1, 'A1', 1000, DAY + 1000);
    const lines = [line(1, 'A1', 1000, { trade_state: 'REVOKED', settle_fen: 0 })];
    const counts = db.transaction(() => {
      replaceBill(db, { bill_date: '2025-03-14', state: 'bill', sha1: null, line_count: 1, summary_json: null, downloaded_at: 0, reconciled_at: 0 }, lines);
      return reconcileDay(db, '2025-03-14', DAY);
    })();
    expect(counts.mismatches['state-differs']).toBe(1);
  });
});
