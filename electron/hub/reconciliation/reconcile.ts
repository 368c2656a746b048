import type { ReconMismatchClass as MismatchClass } from '../../../shared/hub-admin-api';
import { beijingDayStart } from '../../wechat/bills/beijing-day';
import { MONEY_TAKEN_STATES, paymentDisagreements, refundDisagreements, type Disagreement } from '../../wechat/bills/bill-match';
import { billLinesOf } from '../db/bill-days';
import type { HubDb } from '../db/database';
import {
  attemptsByOutTradeNo, billedNumbers, paidAttemptsBetween, refundsByOutRefundNo, saleOwners, terminalsOfStores,
  wechatRefundsBetween, type LocalAttempt, type SaleOwner,
} from '../db/recon-local';
import { replaceOpenMismatches, type NewReconMismatch } from '../db/recon-mismatches';
import type { HubMerchant } from '../merchants/directory';

const DAY_MS = 24 * 3_600_000;

export type ReconCounts = Record<MismatchClass, number>;

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
export async function reconcileMerchantDay(db: HubDb, merchant: HubMerchant, billDate: string, now: number): Promise<ReconCounts> {
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
  const counts: ReconCounts = { 'only-in-wechat': 0, 'only-local': 0, 'amount-differs': 0, 'state-differs': 0 };
  const record = (d: Disagreement, owner: Owner): void => {
    counts[d.class] += 1;
    found.push({ ...d, ...owner, mchid: merchant.mchid, bill_date: billDate, detected_at: now });
  };

  for (const line of lines) {
    const attempt = attempts.get(line.out_trade_no);
    if (line.kind === 'payment') {
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
  await replaceOpenMismatches(db, merchant.mchid, billDate, found);
  return counts;
}
