import { beijingDate, type Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import { BillFormatError } from '../../wechat/bills/bill-format';
import { parseProfitSharingBill, type ProfitSharingBillLine } from '../../wechat/bills/profit-sharing-parse';
import type { ProfitSharingClient } from '../../wechat/profit-sharing/types';
import type { HubDb } from '../db/database';
import { listSettlementDays, returnsOf, updateSettlementDay } from '../db/settlement';

/**
 * Reconciles each finished settlement day against WeChat's profit-sharing bills, like the trade bill: the splits of
 * payment day D are sent on a later day, so the bills read are those of the days its requests were sent (each
 * ready from 10:00 the next day; until then the day stays `pending`). Compared: every done or returned part is on
 * its bill with its out_order_no, receiver and amount; every split line the bill lists for the day's transactions
 * is one the hub sent (nothing extra); every finished return is on the bill of its day. `matched`, or `differs`
 * with the problems in words; `no-bill` when WeChat has none for a day that split nothing.
 */
export async function checkProfitSharingBills(db: HubDb, clientFor: (mchid: string) => ProfitSharingClient | null, clock: Clock, log: Logger): Promise<void> {
  const bills = new Map<string, ProfitSharingBillLine[] | 'no-bill' | 'later'>();
  for (const day of await listSettlementDays(db, { state: 'done' })) {
    if (day.bill_state !== 'pending') continue;
    const client = clientFor(day.mchid);
    if (!client) continue;
    const orders = await db.selectFrom('hub_settlement_orders').selectAll().where('mchid', '=', day.mchid).where('bill_date', '=', day.bill_date).execute();
    const sent = orders.filter((o) => o.sent_at !== null);
    const txs = new Set(orders.map((o) => o.transaction_id));
    const returns = (await Promise.all([...txs].map((tx) => returnsOf(db, { transactionId: tx })))).flat().filter((r) => r.state === 'done');
    const billDays = new Set([...sent.map((o) => beijingDate(o.sent_at ?? 0)), ...returns.map((r) => beijingDate(r.updated_at))]);
    if (billDays.size === 0) {
      await updateSettlementDay(db, day.mchid, day.bill_date, { bill_state: 'no-bill', bill_checked_at: clock.now(), bill_problems: null });
      continue;
    }
    const lines: ProfitSharingBillLine[] = [];
    let waiting = false;
    for (const billDay of billDays) {
      const key = `${day.mchid}|${billDay}`;
      if (!bills.has(key)) {
        const outcome = await client.downloadBill(billDay);
        if (outcome.kind === 'success') {
          try {
            bills.set(key, outcome.value.kind === 'bill' ? parseProfitSharingBill(outcome.value.csv) : 'no-bill');
          } catch (error) {
            if (!(error instanceof BillFormatError)) throw error;
            log.error('hub: profit-sharing bill unreadable', { mchid: day.mchid, billDay, message: error.message });
            bills.set(key, 'later');
          }
        } else bills.set(key, 'later');
      }
      const got = bills.get(key);
      if (got === 'later') waiting = true;
      else if (Array.isArray(got)) lines.push(...got);
    }
    if (waiting) continue;
    const problems: string[] = [];
    const splitLines = lines.filter((l) => l.kind === 'split' && txs.has(l.transactionId));
    for (const o of orders) {
      if (o.state !== 'done' && o.state !== 'returned') continue;
      const line = splitLines.find((l) => l.outNo === o.out_order_no && l.receiverAccount === o.account);
      if (!line) problems.push(`${o.out_order_no} → ${o.account}: 账单中没有 / not on WeChat's bill`);
      else if (line.amountFen !== o.amount_fen) problems.push(`${o.out_order_no} → ${o.account}: 金额不符 / amount differs (hub ${o.amount_fen}, WeChat ${line.amountFen})`);
    }
    for (const l of splitLines) {
      if (!orders.some((o) => o.out_order_no === l.outNo && o.account === l.receiverAccount && (o.state === 'done' || o.state === 'returned'))) {
        problems.push(`${l.outNo} → ${l.receiverAccount}: 只在微信账单中 / only on WeChat's bill (${l.amountFen})`);
      }
    }
    for (const r of returns) {
      const line = lines.find((l) => l.kind === 'return' && l.outNo === r.out_return_no);
      if (!line || line.amountFen !== r.amount_fen) problems.push(`${r.out_return_no}: 回退与账单不符 / return not as on WeChat's bill`);
    }
    await updateSettlementDay(db, day.mchid, day.bill_date, {
      bill_state: problems.length === 0 ? 'matched' : 'differs', bill_checked_at: clock.now(), bill_problems: problems.length === 0 ? null : JSON.stringify(problems),
    });
    if (problems.length > 0) log.warn('hub: settlement differs from the profit-sharing bill', { mchid: day.mchid, billDate: day.bill_date, problems: problems.length });
  }
}
