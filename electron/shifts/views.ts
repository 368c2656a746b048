import { fen } from '../../shared/money';
import type { BillView, CashMovementView, ReconciliationMismatchView, ShiftView } from '../../shared/shifts';
import type { BillRow } from '../db/bills';
import type { MismatchRow } from '../db/reconciliation-mismatches';
import type { CashMovementRow, ShiftRow } from '../db/shifts';

const fenOrNull = (v: number | null): ReturnType<typeof fen> | null => (v === null ? null : fen(v));

/** The difference is shown only after the blind count is in. */
export function shiftView(row: ShiftRow): ShiftView {
  const counted = row.counted_at !== null;
  return {
    id: row.id,
    terminalId: row.terminal_id,
    cashierId: row.cashier_id,
    cashierName: row.cashier_name,
    state: row.state,
    openingFloatFen: fen(row.opening_float_fen),
    openedAt: row.opened_at,
    countedFen: fenOrNull(row.counted_fen),
    countedAt: row.counted_at,
    expectedCashFen: counted ? fenOrNull(row.expected_cash_fen) : null,
    differenceFen: counted ? fenOrNull(row.difference_fen) : null,
    countersignedBy: row.countersigned_by,
    closedWithPending: row.closed_with_pending === 1,
    closedAt: row.closed_at,
    zNo: row.z_no,
  };
}

export function cashMovementView(row: CashMovementRow): CashMovementView {
  return {
    id: row.id,
    shiftId: row.shift_id,
    kind: row.kind,
    amountFen: fen(row.amount_fen),
    reason: row.reason,
    actorId: row.actor_id,
    actorName: row.actor_name,
    approvedBy: row.approved_by,
    at: row.at,
  };
}

export function mismatchView(row: MismatchRow): ReconciliationMismatchView {
  return {
    id: row.id,
    billDate: row.bill_date,
    class: row.class,
    outTradeNo: row.out_trade_no,
    outRefundNo: row.out_refund_no === '' ? null : row.out_refund_no,
    localFen: fenOrNull(row.local_fen),
    wechatFen: fenOrNull(row.wechat_fen),
    localState: row.local_state,
    wechatState: row.wechat_state,
    saleId: row.sale_id,
    receiptNo: row.receipt_no,
    shiftId: row.shift_id,
    cashierId: row.cashier_id,
    detectedAt: row.detected_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    note: row.note,
  };
}

export function billView(row: BillRow, openMismatches: number): BillView {
  return {
    billDate: row.bill_date,
    state: row.state,
    lineCount: row.line_count,
    downloadedAt: row.downloaded_at,
    reconciledAt: row.reconciled_at,
    openMismatches,
  };
}
