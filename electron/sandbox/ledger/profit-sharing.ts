import type { Database } from '../../db/open';

/** SQL for service-provider ownership of orders and for profit sharing (分账). Amounts are integer fen. */

export interface OrderOwner {
  /** null: the service provider's / direct merchant's own order. */
  subMchid: string | null;
  subAppid: string | null;
  profitSharing: boolean;
}

export function setOrderOwner(db: Database, outTradeNo: string, owner: OrderOwner): void {
  db.prepare(
    'INSERT OR IGNORE INTO sandbox_order_owners (out_trade_no, sub_mchid, sub_appid, profit_sharing) VALUES (?, ?, ?, ?)',
  ).run(outTradeNo, owner.subMchid, owner.subAppid, owner.profitSharing ? 1 : 0);
}

export function getOrderOwner(db: Database, outTradeNo: string): OrderOwner {
  const row = db.prepare('SELECT sub_mchid, sub_appid, profit_sharing FROM sandbox_order_owners WHERE out_trade_no = ?').get(outTradeNo) as
    | { sub_mchid: string | null; sub_appid: string | null; profit_sharing: number }
    | undefined;
  return row ? { subMchid: row.sub_mchid, subAppid: row.sub_appid, profitSharing: row.profit_sharing === 1 } : { subMchid: null, subAppid: null, profitSharing: false };
}

export interface ReceiverRow {
  ownerMchid: string;
  type: string;
  account: string;
  relationType: string;
  customRelation: string | null;
}

export function upsertReceiver(db: Database, r: ReceiverRow, at: number): void {
  db.prepare(
    `INSERT INTO sandbox_ps_receivers (owner_mchid, type, account, relation_type, custom_relation, added_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (owner_mchid, type, account) DO UPDATE SET relation_type = excluded.relation_type, custom_relation = excluded.custom_relation`,
  ).run(r.ownerMchid, r.type, r.account, r.relationType, r.customRelation, at);
}

export function deleteReceiver(db: Database, ownerMchid: string, type: string, account: string): void {
  db.prepare('DELETE FROM sandbox_ps_receivers WHERE owner_mchid = ? AND type = ? AND account = ?').run(ownerMchid, type, account);
}

export function hasReceiver(db: Database, ownerMchid: string, type: string, account: string): boolean {
  return db.prepare('SELECT 1 FROM sandbox_ps_receivers WHERE owner_mchid = ? AND type = ? AND account = ?').get(ownerMchid, type, account) !== undefined;
}

export interface PsOrderRow {
  outOrderNo: string;
  ownerMchid: string;
  orderId: string;
  transactionId: string;
  kind: 'split' | 'unfreeze';
  unfreezeUnsplit: boolean;
  createdAt: number;
  finishesAt: number;
}

export interface PsLineRow {
  line: number;
  detailId: string;
  type: string;
  account: string;
  amount: number;
  description: string;
  toSelf: boolean;
}

interface RawPsOrder {
  out_order_no: string;
  owner_mchid: string;
  order_id: string;
  transaction_id: string;
  kind: 'split' | 'unfreeze';
  unfreeze_unsplit: number;
  created_at: number;
  finishes_at: number;
}

const psOrderOf = (r: RawPsOrder): PsOrderRow => ({
  outOrderNo: r.out_order_no,
  ownerMchid: r.owner_mchid,
  orderId: r.order_id,
  transactionId: r.transaction_id,
  kind: r.kind,
  unfreezeUnsplit: r.unfreeze_unsplit === 1,
  createdAt: r.created_at,
  finishesAt: r.finishes_at,
});

export function insertPsOrder(db: Database, o: PsOrderRow, lines: readonly PsLineRow[]): void {
  db.prepare(
    `INSERT INTO sandbox_ps_orders (out_order_no, owner_mchid, order_id, transaction_id, kind, unfreeze_unsplit, created_at, finishes_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(o.outOrderNo, o.ownerMchid, o.orderId, o.transactionId, o.kind, o.unfreezeUnsplit ? 1 : 0, o.createdAt, o.finishesAt);
  const insert = db.prepare(
    `INSERT INTO sandbox_ps_lines (owner_mchid, out_order_no, line, detail_id, type, account, amount, description, to_self)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const l of lines) insert.run(o.ownerMchid, o.outOrderNo, l.line, l.detailId, l.type, l.account, l.amount, l.description, l.toSelf ? 1 : 0);
}

export function getPsOrder(db: Database, ownerMchid: string, outOrderNo: string): PsOrderRow | null {
  const row = db.prepare('SELECT * FROM sandbox_ps_orders WHERE owner_mchid = ? AND out_order_no = ?').get(ownerMchid, outOrderNo) as RawPsOrder | undefined;
  return row ? psOrderOf(row) : null;
}

export function listPsOrders(db: Database): PsOrderRow[] {
  return (db.prepare('SELECT * FROM sandbox_ps_orders ORDER BY created_at, out_order_no').all() as RawPsOrder[]).map(psOrderOf);
}

export function listPsLines(db: Database, ownerMchid: string, outOrderNo: string): PsLineRow[] {
  const rows = db
    .prepare('SELECT * FROM sandbox_ps_lines WHERE owner_mchid = ? AND out_order_no = ? ORDER BY line')
    .all(ownerMchid, outOrderNo) as { line: number; detail_id: string; type: string; account: string; amount: number; description: string; to_self: number }[];
  return rows.map((r) => ({ line: r.line, detailId: r.detail_id, type: r.type, account: r.account, amount: r.amount, description: r.description, toSelf: r.to_self === 1 }));
}

/** Every fen split off an order to receivers (the unfreeze-to-self lines are not splits). */
export function splitTotal(db: Database, transactionId: string): number {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(l.amount), 0) AS total FROM sandbox_ps_lines l
       JOIN sandbox_ps_orders o ON o.owner_mchid = l.owner_mchid AND o.out_order_no = l.out_order_no
       WHERE o.transaction_id = ? AND l.to_self = 0`,
    )
    .get(transactionId) as { total: number };
  return row.total;
}

export interface PsReturnRow {
  ownerMchid: string;
  outReturnNo: string;
  returnId: string;
  outOrderNo: string;
  returnMchid: string;
  amount: number;
  description: string;
  createdAt: number;
}

export function insertPsReturn(db: Database, r: PsReturnRow): void {
  db.prepare(
    `INSERT INTO sandbox_ps_returns (owner_mchid, out_return_no, return_id, out_order_no, return_mchid, amount, description, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.ownerMchid, r.outReturnNo, r.returnId, r.outOrderNo, r.returnMchid, r.amount, r.description, r.createdAt);
}

interface RawReturn {
  owner_mchid: string;
  out_return_no: string;
  return_id: string;
  out_order_no: string;
  return_mchid: string;
  amount: number;
  description: string;
  created_at: number;
}

const returnOf = (r: RawReturn): PsReturnRow => ({
  ownerMchid: r.owner_mchid,
  outReturnNo: r.out_return_no,
  returnId: r.return_id,
  outOrderNo: r.out_order_no,
  returnMchid: r.return_mchid,
  amount: r.amount,
  description: r.description,
  createdAt: r.created_at,
});

export function getPsReturn(db: Database, ownerMchid: string, outReturnNo: string): PsReturnRow | null {
  const row = db.prepare('SELECT * FROM sandbox_ps_returns WHERE owner_mchid = ? AND out_return_no = ?').get(ownerMchid, outReturnNo) as RawReturn | undefined;
  return row ? returnOf(row) : null;
}

export function listPsReturns(db: Database): PsReturnRow[] {
  return (db.prepare('SELECT * FROM sandbox_ps_returns ORDER BY created_at, out_return_no').all() as RawReturn[]).map(returnOf);
}

/** What was returned so far from one split order by one receiver merchant. */
export function returnedFrom(db: Database, ownerMchid: string, outOrderNo: string, returnMchid: string): number {
  const row = db
    .prepare('SELECT COALESCE(SUM(amount), 0) AS total FROM sandbox_ps_returns WHERE owner_mchid = ? AND out_order_no = ? AND return_mchid = ?')
    .get(ownerMchid, outOrderNo, returnMchid) as { total: number };
  return row.total;
}

/** Every fen returned on an order's splits. */
export function returnedTotal(db: Database, transactionId: string): number {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(r.amount), 0) AS total FROM sandbox_ps_returns r
       JOIN sandbox_ps_orders o ON o.owner_mchid = r.owner_mchid AND o.out_order_no = r.out_order_no WHERE o.transaction_id = ?`,
    )
    .get(transactionId) as { total: number };
  return row.total;
}

export interface FinishedRow {
  unfrozen: number;
  at: number;
  how: 'unfreeze' | 'split' | 'expired';
}

export function getFinished(db: Database, transactionId: string): FinishedRow | null {
  const row = db.prepare('SELECT unfrozen, at, how FROM sandbox_ps_finished WHERE transaction_id = ?').get(transactionId) as FinishedRow | undefined;
  return row ?? null;
}

export function insertFinished(db: Database, transactionId: string, f: FinishedRow): void {
  db.prepare('INSERT OR IGNORE INTO sandbox_ps_finished (transaction_id, unfrozen, at, how) VALUES (?, ?, ?, ?)').run(transactionId, f.unfrozen, f.at, f.how);
}
