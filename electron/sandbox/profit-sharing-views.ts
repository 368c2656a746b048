import { formatBeijingCompact } from '../../shared/clock';
import { fen, fenToYuanString } from '../../shared/money';
import type { Database } from '../db/open';
import { beijingDayStart } from './bills';
import { listPsLines, listPsOrders, listPsReturns } from './ledger/profit-sharing';

/**
 * What tests and the sandbox page see of profit sharing: each receiver's balance (money split to it and finished,
 * less what it returned), each merchant's unfrozen money, and the profit-sharing bill (分账账单) of a day.
 */

export interface ReceiverBalance {
  account: string;
  /** Received from finished splits, in fen. */
  receivedFen: number;
  returnedFen: number;
  balanceFen: number;
}

export function receiverBalances(db: Database, now: number): ReceiverBalance[] {
  const byAccount = new Map<string, ReceiverBalance>();
  const entry = (account: string): ReceiverBalance => {
    let e = byAccount.get(account);
    if (!e) {
      e = { account, receivedFen: 0, returnedFen: 0, balanceFen: 0 };
      byAccount.set(account, e);
    }
    return e;
  };
  for (const order of listPsOrders(db)) {
    if (order.finishesAt > now) continue;
    for (const line of listPsLines(db, order.ownerMchid, order.outOrderNo)) if (!line.toSelf) entry(line.account).receivedFen += line.amount;
  }
  for (const r of listPsReturns(db)) entry(r.returnMchid).returnedFen += r.amount;
  for (const e of byAccount.values()) e.balanceFen = e.receivedFen - e.returnedFen;
  return [...byAccount.values()].sort((a, b) => a.account.localeCompare(b.account));
}

const DAY = 24 * 3_600_000;
const yuan = (amount: number): string => fenToYuanString(fen(amount));
const HEADER = ['分账发起时间', '分账方', '分账接收方类型', '分账接收方', '微信订单号', '微信分账/回退单号', '商户分账/回退单号', '业务类型', '处理状态', '分账/回退金额(元)', '描述'];
const billTime = (ms: number): string => {
  const c = formatBeijingCompact(ms);
  return `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)} ${c.slice(8, 10)}:${c.slice(10, 12)}:${c.slice(12, 14)}`;
};
const clean = (text: string): string => text.replace(/,/g, '，').replace(/[\r\n]/g, ' ');

export type PsBillOutcome = { kind: 'bill'; csv: string } | { kind: 'no-bill' } | { kind: 'creating' } | { kind: 'invalid-date' };

/**
 * The profit-sharing bill of one Beijing day for one merchant (the sub-merchant when given): one row per split line
 * (分账), per unfreeze line (解冻), per return (回退). Column layout (unconfirmed: the live file's exact columns were
 * not found in public documentation) follows the trade bill's conventions: BOM, backtick-prefixed fields, \r\n,
 * a summary of counts and amounts. Ready from 10:00 the next day like the trade bill.
 */
export function buildProfitSharingBill(db: Database, now: number, ownerMchid: string | null, day: string): PsBillOutcome {
  const start = beijingDayStart(day);
  if (start === null || start > now) return { kind: 'invalid-date' };
  if (now < start + DAY + 10 * 3_600_000) return { kind: 'creating' };
  const rows: { at: number; fields: string[]; fen: number; kind: string }[] = [];
  const inDay = (at: number): boolean => at >= start && at < start + DAY;
  const orders = listPsOrders(db).filter((o) => (ownerMchid === null || o.ownerMchid === ownerMchid) && inDay(o.createdAt));
  for (const o of orders) {
    for (const l of listPsLines(db, o.ownerMchid, o.outOrderNo)) {
      const kind = l.toSelf ? '解冻给分账方' : '分账';
      const fields = [billTime(o.createdAt), o.ownerMchid, l.type, l.account, o.transactionId, l.detailId, o.outOrderNo, kind, 'SUCCESS', yuan(l.amount), clean(l.description)];
      rows.push({ at: o.createdAt, fields, fen: l.amount, kind });
    }
  }
  const all = listPsOrders(db);
  for (const r of listPsReturns(db)) {
    if ((ownerMchid !== null && r.ownerMchid !== ownerMchid) || !inDay(r.createdAt)) continue;
    const tx = all.find((o) => o.ownerMchid === r.ownerMchid && o.outOrderNo === r.outOrderNo)?.transactionId ?? '';
    const fields = [billTime(r.createdAt), r.ownerMchid, 'MERCHANT_ID', r.returnMchid, tx, r.returnId, r.outReturnNo, '回退', 'SUCCESS', yuan(r.amount), clean(r.description)];
    rows.push({ at: r.createdAt, fields, fen: r.amount, kind: '回退' });
  }
  if (rows.length === 0) return { kind: 'no-bill' };
  rows.sort((a, b) => a.at - b.at);
  const total = (kind: string): number => rows.filter((r) => r.kind === kind).reduce((s, r) => s + r.fen, 0);
  const backticked = (fields: string[]): string => fields.map((f) => `\`${f}`).join(',');
  const summaryHeader = ['总笔数', '分账总金额(元)', '解冻总金额(元)', '回退总金额(元)'];
  const summary = [String(rows.length), yuan(total('分账')), yuan(total('解冻给分账方')), yuan(total('回退'))];
  const lines = [HEADER.join(','), ...rows.map((r) => backticked(r.fields)), summaryHeader.join(','), backticked(summary)];
  return { kind: 'bill', csv: `\uFEFF${lines.join('\r\n')}\r\n` };
}
