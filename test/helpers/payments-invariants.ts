/**
 * The money invariants every payments test ends with: the local database and WeChat's ledger (the sandbox's, or
 * the fake's) tell the same story, and nobody was charged twice for one sale.
 */
import type { Database } from '../../electron/db/open';
import { listAllRefunds } from '../../electron/db/refunds';
import { getSale } from '../../electron/db/sales';
import { getTender } from '../../electron/db/tenders';
import { countStoredAuthCodes, listAllAttempts } from '../../electron/db/wechat-attempts';
import { isFinalAttemptState } from '../../shared/payments';

export interface LedgerOrder {
  outTradeNo: string;
  tradeType: 'MICROPAY' | 'NATIVE';
  tradeState: string;
  totalFen: number;
}

export interface LedgerRefund {
  outRefundNo: string;
  outTradeNo: string;
  refundFen: number;
  status: string;
}

const MONEY_TAKEN = new Set(['SUCCESS', 'REFUND']);

/** Returns every violation found (empty = the books agree). Call after the outbox has drained. */
export function ledgerViolations(db: Database, orders: readonly LedgerOrder[], refunds: readonly LedgerRefund[]): string[] {
  const problems: string[] = [];
  const attempts = listAllAttempts(db);
  const byNo = new Map(attempts.map((a) => [a.out_trade_no, a]));
  const successfulRefunds = (outTradeNo: string): number =>
    refunds.filter((r) => r.outTradeNo === outTradeNo && r.status === 'SUCCESS').reduce((s, r) => s + r.refundFen, 0);
  const keptBySale = new Map<number, number>();

  for (const o of orders) {
    const a = byNo.get(o.outTradeNo);
    if (!a) {
      problems.push(`${o.outTradeNo}: order in the ledger the POS never made`);
      continue;
    }
    if (o.tradeType === 'MICROPAY' && !['SUCCESS', 'REFUND', 'CLOSED', 'REVOKED'].includes(o.tradeState)) {
      problems.push(`${o.outTradeNo}: micropay order left ${o.tradeState}`);
    }
    if (o.tradeType === 'NATIVE' && !['SUCCESS', 'REFUND', 'CLOSED'].includes(o.tradeState)) {
      problems.push(`${o.outTradeNo}: native order left ${o.tradeState}`);
    }
    if (!MONEY_TAKEN.has(o.tradeState)) continue;
    const kept = o.totalFen - successfulRefunds(o.outTradeNo);
    keptBySale.set(a.sale_id, (keptBySale.get(a.sale_id) ?? 0) + kept);
    const tender = getTender(db, a.tender_id);
    if (a.state !== 'paid' || tender?.state !== 'paid') {
      if (kept !== 0) problems.push(`${o.outTradeNo}: paid ${o.totalFen} in the ledger, local ${a.state}, ${kept} never returned`);
    } else if (o.totalFen !== a.amount_fen) {
      problems.push(`${o.outTradeNo}: ledger amount ${o.totalFen} differs from local ${a.amount_fen}`);
    }
  }

  const ledgerNos = new Set(orders.map((o) => o.outTradeNo));
  for (const a of attempts) {
    if (!isFinalAttemptState(a.state)) problems.push(`${a.out_trade_no}: local attempt still ${a.state}`);
    if (a.state === 'needs-attention') problems.push(`${a.out_trade_no}: needs a manager (${a.failure_code ?? ''})`);
    if (a.state === 'paid') {
      const o = orders.find((x) => x.outTradeNo === a.out_trade_no);
      if (!ledgerNos.has(a.out_trade_no) || !o || !MONEY_TAKEN.has(o.tradeState)) {
        problems.push(`${a.out_trade_no}: paid locally but ${o ? o.tradeState : 'absent'} in the ledger`);
      }
    }
  }

  for (const r of listAllRefunds(db).filter((x) => x.kind === 'wechat')) {
    const remote = refunds.find((x) => x.outRefundNo === r.out_refund_no);
    if (r.state === 'succeeded' && (remote?.status !== 'SUCCESS' || remote.refundFen !== r.amount_fen)) {
      problems.push(`refund ${r.out_refund_no ?? r.id}: succeeded locally, ${remote ? remote.status : 'absent'} in the ledger`);
    }
    if (r.state === 'queued' || r.state === 'processing') problems.push(`refund ${r.out_refund_no ?? r.id}: still ${r.state}`);
    if (remote?.status === 'SUCCESS' && r.state !== 'succeeded') problems.push(`refund ${r.out_refund_no ?? r.id}: SUCCESS in the ledger, ${r.state} locally`);
  }

  for (const [saleId, kept] of keptBySale) {
    const sale = getSale(db, saleId);
    if (!sale) continue;
    const localWechat = attempts
      .filter((a) => a.sale_id === saleId && a.state === 'paid')
      .reduce((s, a) => s + a.amount_fen, 0);
    const localRefunded = listAllRefunds(db)
      .filter((r) => r.sale_id === saleId && r.kind === 'wechat' && r.state === 'succeeded' && r.attempt_id === null)
      .reduce((s, r) => s + r.amount_fen, 0);
    if (kept !== localWechat - localRefunded) problems.push(`sale ${saleId}: WeChat kept ${kept}, local says ${localWechat - localRefunded}`);
    if (kept > sale.total_fen) problems.push(`sale ${saleId}: charged ${kept} for a total of ${sale.total_fen}`);
  }

  for (const sale of db.prepare('SELECT id, state, total_fen FROM sales').all() as { id: number; state: string; total_fen: number }[]) {
    const paid = (db.prepare("SELECT COALESCE(SUM(amount_fen),0) AS p FROM tenders WHERE sale_id = ? AND state = 'paid'").get(sale.id) as { p: number }).p;
    if (sale.state === 'paid' && paid !== sale.total_fen) problems.push(`sale ${sale.id}: paid state with tenders summing ${paid} of ${sale.total_fen}`);
    if (sale.state !== 'paid' && paid >= sale.total_fen) problems.push(`sale ${sale.id}: ${sale.state} although fully paid`);
  }

  if (countStoredAuthCodes(db) > 0) problems.push('auth codes still stored after every attempt ended');
  return problems;
}
