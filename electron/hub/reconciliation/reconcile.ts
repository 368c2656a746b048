import type { ReconMismatchClass as MismatchClass } from '../../../shared/hub-admin-api';
import { beijingDayStart } from '../../wechat/bills/beijing-day';
import { MONEY_TAKEN_STATES, paymentDisagreements, refundDisagreements, type Disagreement } from '../../wechat/bills/bill-match';
import { billLinesOf } from '../db/bill-days';
import type { HubDb } from '../db/database';
import {
  attemptsByOutTradeNo, billedNumbers, notifiedPaymentsBetween, paidAttemptsBetween, refundsByOutRefundNo, saleOwners, terminalsOfStores,
  wechatRefundsBetween, type LocalAttempt, type SaleOwner,
} from '../db/recon-local';
import { insertHubAudit } from '../db/hub-audit';
import { applyMismatches, HUB_ITSELF, type NewReconMismatch, type ReconMismatchRow } from '../db/recon-mismatches';
import type { HubMerchant } from '../merchants/directory';

const DAY_MS = 24 * 3_600_000;

export type ReconCounts = Record<MismatchClass, number>;

/** The note on an open mismatch a reconciliation no longer finds (resolved by the hub itself, audit-logged). */
export const GONE_NOTES = {
  /** The day reconciled again because counters' facts (or WeChat's notifications) of it arrived after its reconciliation. */
  lateFacts: '迟到的收银台记录已解释 / explained by late facts',
  /** The day's bill stored again (a new download). */
  billAgain: '重新对账后不再存在 / no longer found when the day was reconciled again',
} as const;

/** Who a disagreement belongs to, as far as the hub can tell. */
interface Owner {
  store_id: string | null;
  terminal_id: string | null;
  sale_id: number | null;
  receipt_no: number | null;
  shift_id: string | null;
  cashier_id: string | null;
}

const NOBODY: Owner = { store_id: null, terminal_id: null, sale_id: null, receipt_no: null, shift_id: null, cashier_id: null };

/**
 * Reconciles one merchant's stored trade bill of a day against every counter's facts at the hub (the merchant's
 * stores only), with the counter's rules (wechat/bills/bill-match.ts): each payment and refund line against the
 * attempt / refund a counter reported, then the counters' paid attempts and sent refunds of the day that no
 * stored bill of the merchant lists (only local). Each disagreement names its store, counter, sale, shift and
 * cashier; an order no counter reported is named by its number (out_trade_no starts with the terminal id, see
 * electron/payments/trade-no.ts), else by the merchant's store when it has only one. Runs in the caller's
 * transaction; replaces the day's open mismatches and keeps resolved ones.
 */
export async function reconcileMerchantDay(
  db: HubDb, merchant: HubMerchant, billDate: string, now: number, goneNote: string = GONE_NOTES.billAgain,
): Promise<{ counts: ReconCounts; gone: ReconMismatchRow[] }> {
  const start = beijingDayStart(billDate);
  if (start === null) throw new Error(`not a day: ${billDate}`);
  const stores = merchant.storeIds;
  const lines = await billLinesOf(db, merchant.mchid, billDate);
  const attempts = new Map<string, LocalAttempt>();
  for (const a of await attemptsByOutTradeNo(db, stores, [...new Set(lines.map((l) => l.out_trade_no))])) attempts.set(a.out_trade_no, a);
  const refundNos = lines.flatMap((l) => (l.kind === 'refund' && l.out_refund_no ? [l.out_refund_no] : []));
  const refunds = new Map((await refundsByOutRefundNo(db, stores, refundNos)).map((r) => [r.out_refund_no ?? '', r]));

  const paidLocally = await paidAttemptsBetween(db, stores, MONEY_TAKEN_STATES, start, start + DAY_MS);
  const billedPayments = await billedNumbers(db, merchant.mchid, 'out_trade_no', paidLocally.map((a) => a.out_trade_no));
  const sentRefunds = await wechatRefundsBetween(db, stores, start, start + DAY_MS);
  const billedRefunds = await billedNumbers(db, merchant.mchid, 'out_refund_no', sentRefunds.map((r) => r.out_refund_no ?? ''));
  for (const a of paidLocally) attempts.set(a.out_trade_no, a);
  // Notified as paid, and no counter reported the order at all (in any state): "notification never confirmed".
  const notified = await notifiedPaymentsBetween(db, merchant.mchid, start, start + DAY_MS);
  for (const a of await attemptsByOutTradeNo(db, stores, notified.map((n) => n.out_trade_no).filter((no) => !attempts.has(no)))) attempts.set(a.out_trade_no, a);
  const unconfirmed = notified.filter((n) => !attempts.has(n.out_trade_no));
  const unconfirmedNos = new Set(unconfirmed.map((n) => n.out_trade_no));
  const owners = await saleOwners(db, [...attempts.values()]);
  const terminals = await terminalsOfStores(db, stores);

  const ownerOfAttempt = (a: LocalAttempt): Owner => {
    const sale: SaleOwner | undefined = owners.get(`${a.terminal_id}/${a.sale_id}`);
    return {
      store_id: a.store_id, terminal_id: a.terminal_id, sale_id: a.sale_id, receipt_no: sale?.receipt_no ?? null,
      shift_id: sale?.shift_id ?? null, cashier_id: sale?.cashier_id ?? null,
    };
  };
  const ownerOfNumber = (outTradeNo: string): Owner => {
    const attempt = attempts.get(outTradeNo);
    if (attempt) return ownerOfAttempt(attempt);
    // <terminal><install id: 8 lowercase/digits><yyMMdd><P|R><sequence>: the longest terminal id that fits wins.
    const terminal = terminals
      .filter((t) => outTradeNo.startsWith(t.terminal_id) && /^[0-9a-z]{8}\d{6}[PR]\d{6,}$/.test(outTradeNo.slice(t.terminal_id.length)))
      .sort((a, b) => b.terminal_id.length - a.terminal_id.length)[0];
    if (terminal) return { ...NOBODY, store_id: terminal.store_id, terminal_id: terminal.terminal_id };
    return stores.length === 1 ? { ...NOBODY, store_id: stores[0] ?? null } : NOBODY;
  };

  const found: NewReconMismatch[] = [];
  const counts: ReconCounts = { 'only-in-wechat': 0, 'only-local': 0, 'amount-differs': 0, 'state-differs': 0, 'notification-unconfirmed': 0 };
  const record = (d: Omit<Disagreement, 'class'> & { class: MismatchClass }, owner: Owner): void => {
    counts[d.class] += 1;
    found.push({ ...d, ...owner, mchid: merchant.mchid, bill_date: billDate, detected_at: now });
  };

  for (const line of lines) {
    const attempt = attempts.get(line.out_trade_no);
    if (line.kind === 'payment') {
      // Reported once, as the notification no counter confirmed (below), not also as "only in WeChat".
      if (!attempt && unconfirmedNos.has(line.out_trade_no)) continue;
      const ds = paymentDisagreements({
        out_trade_no: line.out_trade_no, trade_state: line.trade_state, order_fen: line.order_fen,
        local_fen: attempt?.amount_fen ?? null, local_state: attempt?.state ?? null,
      });
      for (const d of ds) record(d, ownerOfNumber(line.out_trade_no));
      continue;
    }
    const local = refunds.get(line.out_refund_no ?? '');
    const ds = refundDisagreements({
      out_trade_no: line.out_trade_no, out_refund_no: line.out_refund_no ?? '', refund_fen: line.refund_fen,
      refund_status: line.refund_status, local_refund_fen: local?.amount_fen ?? null, local_refund_state: local?.state ?? null,
      order_state: attempt?.state ?? null,
    });
    // A refund made at another counter than the sale's is that counter's record: name the sale's owner when known.
    const owner = attempt ? ownerOfAttempt(attempt) : local ? { ...NOBODY, store_id: local.store_id, terminal_id: local.terminal_id } : ownerOfNumber(line.out_trade_no);
    for (const d of ds) record(d, owner);
  }
  for (const a of paidLocally) {
    if (billedPayments.has(a.out_trade_no)) continue;
    record({ class: 'only-local', out_trade_no: a.out_trade_no, out_refund_no: '', local_fen: a.amount_fen, wechat_fen: null, local_state: a.state, wechat_state: null }, ownerOfAttempt(a));
  }
  for (const r of sentRefunds) {
    if (billedRefunds.has(r.out_refund_no ?? '')) continue;
    const attempt = r.out_trade_no ? attempts.get(r.out_trade_no) : undefined;
    const owner = attempt ? ownerOfAttempt(attempt) : { ...NOBODY, store_id: r.store_id, terminal_id: r.terminal_id };
    record({ class: 'only-local', out_trade_no: r.out_trade_no ?? '', out_refund_no: r.out_refund_no ?? '', local_fen: r.amount_fen, wechat_fen: null, local_state: r.state, wechat_state: null }, owner);
  }
  for (const n of unconfirmed) {
    record({ class: 'notification-unconfirmed', out_trade_no: n.out_trade_no, out_refund_no: '', local_fen: null, wechat_fen: n.amount_fen, local_state: null, wechat_state: n.state }, ownerOfNumber(n.out_trade_no));
  }
  const { gone } = await applyMismatches(db, merchant.mchid, billDate, found, now, goneNote);
  for (const row of gone) {
    await insertHubAudit(db, {
      at: now, user_id: HUB_ITSELF, user_name: '总部自动对账 / hub reconciliation', address: 'hub', action: 'reconciliation.auto-resolve',
      target: row.mismatch_id, revision: null,
      detail: JSON.stringify({ mchid: row.mchid, billDate: row.bill_date, class: row.class, outTradeNo: row.out_trade_no, outRefundNo: row.out_refund_no || null, storeId: row.store_id, terminalId: row.terminal_id, note: goneNote }),
    });
  }
  return { counts, gone };
}
