import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import { fen } from '../../../shared/money';
import type { RefundClearanceAnswer, RefundClearanceRequest } from '../../../shared/hub-settlement-api';
import type { ProfitSharingClient } from '../../wechat/profit-sharing/types';
import type { HubDb } from '../db/database';
import {
  insertRefund, insertReturn, ordersOfTransaction, paymentByOutTradeNo, refundsOfTrade, returnOrderNo, returnsOf, updateReturn,
  type SettlementReturnRow,
} from '../db/settlement';
import { HubHttpError } from '../http/io';

/**
 * Refunds of split orders (分账回退 before 退款). WeChat refunds only money still with the merchant, so before a
 * refund of an order whose parts went to receivers, the hub returns from each receiver its share of the refund.
 *
 * Decision: a hub operation the refund path waits on (`clearRefund`: the admin API's refund clearance, for a
 * head-office refund, and the counter's refund path before it sends a refund of a profit-sharing store's order),
 * not a reaction to the refund fact: by the time a fact says "refunded" WeChat would already have refused it.
 *
 * How much: each receiver gives back its part in the refunded proportion, cumulatively over the order's refunds
 * after the split was planned: target(after this refund) = ceil(part × refunded ÷ base), at most the part; this
 * refund's return is the target less what was returned before. Rounding up (in the merchant's favour) makes sure
 * the merchant always holds enough for the refund: with every return done, money with the merchant = base − parts +
 * returns − refunds ≥ 0. A refund of the whole order returns every part whole.
 *
 * Crash safety: the returns are written (state sent) in one transaction with the refund's row, then sent; their
 * out_return_no is made from the refund number and the receiver, so a repeat of the clearance, or the settlement
 * run's next tick (`sendPendingReturns`), sends the same return again, which WeChat treats as the same.
 */
export async function clearRefund(
  db: HubDb, clientFor: (mchid: string) => ProfitSharingClient | null, clock: Clock, log: Logger,
  req: RefundClearanceRequest, requestedBy: string, mayTouchStore: (storeId: string | null) => boolean,
): Promise<RefundClearanceAnswer> {
  const planned = await db.transaction().execute(async (trx) => {
    const payment = await paymentByOutTradeNo(trx, req.outTradeNo);
    if (payment && !mayTouchStore(payment.store_id)) throw new HubHttpError(404, 'NOT_FOUND', '没有这笔订单 / No such order');
    const now = clock.now();
    const refund = await insertRefund(trx, { out_refund_no: req.outRefundNo, out_trade_no: req.outTradeNo, refund_fen: req.refundFen, in_base: 0, requested_by: requestedBy, created_at: now });
    if (refund.out_trade_no !== req.outTradeNo || refund.refund_fen !== req.refundFen) {
      throw new HubHttpError(409, 'CONFLICT', '这个退款单号已用于另一笔退款 / This refund number was used for another refund');
    }
    // Not planned yet: nothing went to receivers; the day's plan will count this refund out of the split's base.
    if (!payment) return null;
    const orders = await ordersOfTransaction(trx, payment.transaction_id);
    if (orders.some((o) => o.state === 'planned' || o.state === 'sent')) {
      throw new HubHttpError(409, 'CONFLICT', '这笔订单正在分账，请稍后再退款 / This order is being split: try the refund again in a minute');
    }
    const after = (await refundsOfTrade(trx, req.outTradeNo)).filter((r) => r.in_base === 0).reduce((s, r) => s + r.refund_fen, 0);
    if (after > payment.base_fen) throw new HubHttpError(409, 'CONFLICT', '退款总额超过订单可分账金额 / Refunds exceed the order');
    const earlier = await returnsOf(trx, { transactionId: payment.transaction_id });
    for (const o of orders) {
      if (o.state !== 'done' && o.state !== 'returned') continue;
      const target = Math.min(o.amount_fen, Math.ceil((o.amount_fen * after) / payment.base_fen));
      const given = earlier.filter((r) => r.account === o.account && r.state !== 'failed').reduce((s, r) => s + r.amount_fen, 0);
      const need = target - given;
      if (need <= 0) continue;
      await insertReturn(trx, {
        out_return_no: returnOrderNo(req.outRefundNo, o.account), out_refund_no: req.outRefundNo, transaction_id: o.transaction_id,
        account: o.account, out_order_no: o.out_order_no, amount_fen: need, state: 'sent', fail_reason: null, created_at: now, updated_at: now,
      });
    }
    return payment;
  });
  if (planned) {
    for (const r of await returnsOf(db, { outRefundNo: req.outRefundNo, state: 'sent' })) await sendReturn(db, clientFor(planned.mchid), clock, log, r);
  }
  const returns = await returnsOf(db, { outRefundNo: req.outRefundNo });
  return {
    clear: returns.every((r) => r.state === 'done'),
    returns: returns.map((r) => ({ account: r.account, amountFen: r.amount_fen, state: r.state, failReason: r.fail_reason })),
  };
}

/** Sends one return (again): done → the part's returned amount grows in the same transaction. */
async function sendReturn(db: HubDb, client: ProfitSharingClient | null, clock: Clock, log: Logger, r: SettlementReturnRow): Promise<void> {
  if (!client) return;
  const outcome = await client.returnSplit({
    outOrderNo: r.out_order_no, outReturnNo: r.out_return_no, returnMchid: r.account, amountFen: fen(r.amount_fen), description: '退款前分账回退',
  });
  const now = clock.now();
  if (outcome.kind === 'unknown' || (outcome.kind === 'success' && outcome.value.result === 'PROCESSING')) return;
  if (outcome.kind === 'failure' || outcome.value.result === 'FAILED') {
    const reason = outcome.kind === 'failure' ? `${outcome.code}: ${outcome.reason.zh}${outcome.detail ? ` (${outcome.detail.slice(0, 200)})` : ''}` : (outcome.value.failReason ?? 'FAILED');
    await updateReturn(db, r.out_return_no, 'sent', { state: 'failed', fail_reason: reason, updated_at: now });
    log.warn('hub: split return refused', { outReturnNo: r.out_return_no, reason: reason.slice(0, 60) });
    return;
  }
  await db.transaction().execute(async (trx) => {
    if (!(await updateReturn(trx, r.out_return_no, 'sent', { state: 'done', updated_at: now }))) return;
    const row = await trx.selectFrom('hub_settlement_orders').select(['amount_fen', 'returned_fen']).where('transaction_id', '=', r.transaction_id)
      .where('account', '=', r.account).executeTakeFirstOrThrow();
    const returned = row.returned_fen + r.amount_fen;
    await trx.updateTable('hub_settlement_orders').set({ returned_fen: returned, state: returned >= row.amount_fen ? 'returned' : 'done', updated_at: now })
      .where('transaction_id', '=', r.transaction_id).where('account', '=', r.account).execute();
  });
}

/** Returns written but not confirmed (a crash, no answer): sent again with the same out_return_no. */
export async function sendPendingReturns(db: HubDb, clientFor: (mchid: string) => ProfitSharingClient | null, clock: Clock, log: Logger): Promise<void> {
  for (const r of await returnsOf(db, { state: 'sent' })) {
    const mchid = (await db.selectFrom('hub_settlement_orders').select('mchid').where('transaction_id', '=', r.transaction_id).where('account', '=', r.account).executeTakeFirst())?.mchid;
    if (mchid) await sendReturn(db, clientFor(mchid), clock, log, r);
  }
}
