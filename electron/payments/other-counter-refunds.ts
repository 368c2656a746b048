import { fen, formatYuan } from '../../shared/money';
import type { HubSaleView } from '../../shared/hub-protocol';
import type { OtherCounterRefundView } from '../../shared/payments';
import { enqueueOutbox } from '../db/outbox';
import { insertOtherCounterRefund, sumCommittedRefundsForOrigin, updateRefund, type RefundRow } from '../db/refunds';
import { clearanceViewOf } from './refund-clearance';
import type { ChangeSet } from './changes';
import type { PaymentContext } from './context';
import { refuse } from './errors';
import { REFUND_OPS, refundJobKey } from './refunds';
import { nextOrderNo } from './trade-no';

export interface OtherCounterRefundInput {
  /** The sale as the hub showed it just now (sales/lookup): never the window's copy. */
  sale: HubSaleView;
  /** Which WeChat tender of it to refund from. */
  outTradeNo: string;
  amountFen: number;
  approvedBy: string;
  reason?: string;
}

/**
 * Records a WeChat refund of a sale made at another counter of this store, with its outbox job, in the caller's
 * synchronous transaction. The same worker, out_refund_no rules and unknown-outcome handling as a local refund
 * (refunds.ts: the row only names the WeChat order instead of a local tender).
 *
 * Never more than the hub says is left on the tender, nor more than what this counter itself has already
 * refunded or promised from it (its own refunds may not have reached the hub yet): the larger of the two is taken
 * as already gone. WeChat refuses a refund over the order in any case.
 *
 * Cash of another counter's sale is refused: that cash is in the other counter's drawer and counted on its shift;
 * taking it from this drawer would leave this drawer short and the other over at their Z reports. The cashier is
 * told to refund it at the counter that sold it (or the manager moves cash between drawers, which is recorded).
 */
export function recordOtherCounterRefund(ctx: PaymentContext, input: OtherCounterRefundInput, now: number, changes: ChangeSet): number {
  const { db, ids } = ctx;
  const approvedBy = input.approvedBy.trim();
  if (approvedBy.length === 0) throw refuse('APPROVAL_REQUIRED', '退款需要店长授权', 'A refund needs a manager’s approval');
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    throw refuse('INVALID_AMOUNT', '退款金额必须大于零', 'The refund amount must be more than zero');
  }
  const { sale } = input;
  if (sale.terminalId === ids.terminalId) {
    throw refuse('OWN_SALE', '这是本收银台的交易，请在退款界面按小票号退款', 'This sale was made at this counter: refund it from the refund screen');
  }
  if (sale.state !== 'paid') throw refuse('SALE_NOT_PAID', '只能对已付款的销售退款', 'Only a paid sale can be refunded');
  const tender = sale.tenders.find((t) => t.outTradeNo === input.outTradeNo);
  if (!tender) throw refuse('NOT_FOUND', '该笔销售没有这笔微信支付', 'This sale has no such WeChat payment');
  if (tender.kind === 'cash') {
    throw refuse('CASH_AT_ORIGIN', `现金请到原收银台（${sale.terminalId}）退款`, `Refund cash at the counter that sold it (${sale.terminalId})`);
  }
  if (tender.state !== 'paid' || tender.outTradeNo === null) throw refuse('TENDER_NOT_PAID', '这笔微信支付未成功，不能退款', 'This WeChat payment did not succeed and cannot be refunded');
  const outTradeNo = tender.outTradeNo;
  const gone = Math.max(tender.refundedFen, sumCommittedRefundsForOrigin(db, outTradeNo));
  const available = Math.max(0, tender.amountFen - gone);
  if (input.amountFen > available) {
    const max = formatYuan(fen(available));
    throw refuse('REFUND_TOO_LARGE', `退款金额超过可退金额（最多可退 ${max}）`, `The refund is more than can be refunded (at most ${max})`);
  }
  const outRefundNo = nextOrderNo(db, ids, now, 'R');
  const refundId = insertOtherCounterRefund(db, {
    originTerminalId: sale.terminalId,
    originReceiptNo: sale.receiptNo,
    originOutTradeNo: outTradeNo,
    originTotalFen: tender.amountFen,
    originTenderKind: tender.kind,
    outRefundNo,
    amountFen: input.amountFen,
    approvedBy,
    reason: input.reason?.trim() ? input.reason.trim() : null,
    requestedAt: now,
    requestedOffline: !ctx.isOnline(),
  });
  // Another counter's order of this store may have been split like any (refund-clearance.ts): the hub clears it first.
  const needsClearance = ctx.clearance?.required() === true;
  if (needsClearance) updateRefund(db, refundId, { clearance: 'waiting' }, now);
  enqueueOutbox(db, {
    operation: needsClearance ? REFUND_OPS.clear : REFUND_OPS.send,
    payload: { refundId },
    idempotencyKey: refundJobKey(outRefundNo),
    orderKey: outTradeNo,
    saleId: null,
    nextAttemptAt: now,
    deadlineAt: null,
    createdAt: now,
  });
  changes.refunds.add(refundId);
  return refundId;
}

export function otherCounterRefundView(row: RefundRow): OtherCounterRefundView {
  if (row.origin_terminal_id === null || row.origin_receipt_no === null || row.origin_out_trade_no === null || row.out_refund_no === null) {
    throw new Error(`refund ${row.id} is not of another counter's sale`);
  }
  return {
    id: row.id,
    originTerminalId: row.origin_terminal_id,
    originReceiptNo: row.origin_receipt_no,
    outTradeNo: row.origin_out_trade_no,
    outRefundNo: row.out_refund_no,
    amountFen: fen(row.amount_fen),
    state: row.state,
    approvedBy: row.approved_by,
    requestedAt: row.requested_at,
    requestedOffline: row.requested_offline === 1,
    failure: row.failure_code !== null ? { code: row.failure_code, zh: row.failure_zh ?? '', en: row.failure_en ?? '' } : null,
    finishedAt: row.finished_at,
    clearance: clearanceViewOf(row),
  };
}
