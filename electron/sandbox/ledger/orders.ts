import type { Database } from '../../db/open';
import type { WalletKind } from '../wallets';

export type LedgerTradeType = 'MICROPAY' | 'NATIVE';
export type LedgerTradeState = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'REVOKED' | 'PAYERROR';
export type LedgerOrigin = 'api' | 'planted';

/** One order as the sandbox's WeChat Pay side stores it. Amounts are integer fen. */
export interface OrderRow {
  outTradeNo: string;
  transactionId: string;
  tradeType: LedgerTradeType;
  state: LedgerTradeState;
  totalFee: number;
  body: string;
  attach: string | null;
  deviceInfo: string | null;
  /** What identifies "the same request again": amount, trade type and (for micropay) the payment code's hash. */
  fingerprint: string;
  wallet: WalletKind | null;
  openid: string | null;
  bankType: string | null;
  codeUrl: string | null;
  prepayId: string | null;
  createdAt: number;
  timeExpire: number | null;
  /** A pending payment (password entry, a customer's delayed scan) completes at this instant. */
  paysAt: number | null;
  /** The payer cancels the password entry at this instant (PAYERROR). */
  failsAt: number | null;
  paidAt: number | null;
  /** When the order was closed or revoked. */
  closedAt: number | null;
  origin: LedgerOrigin;
}

interface RawOrder {
  out_trade_no: string;
  transaction_id: string;
  trade_type: LedgerTradeType;
  state: LedgerTradeState;
  total_fee: number;
  body: string;
  attach: string | null;
  device_info: string | null;
  fingerprint: string;
  wallet: WalletKind | null;
  openid: string | null;
  bank_type: string | null;
  code_url: string | null;
  prepay_id: string | null;
  created_at: number;
  time_expire: number | null;
  pays_at: number | null;
  fails_at: number | null;
  paid_at: number | null;
  closed_at: number | null;
  origin: LedgerOrigin;
}

function fromRaw(r: RawOrder): OrderRow {
  return {
    outTradeNo: r.out_trade_no,
    transactionId: r.transaction_id,
    tradeType: r.trade_type,
    state: r.state,
    totalFee: r.total_fee,
    body: r.body,
    attach: r.attach,
    deviceInfo: r.device_info,
    fingerprint: r.fingerprint,
    wallet: r.wallet,
    openid: r.openid,
    bankType: r.bank_type,
    codeUrl: r.code_url,
    prepayId: r.prepay_id,
    createdAt: r.created_at,
    timeExpire: r.time_expire,
    paysAt: r.pays_at,
    failsAt: r.fails_at,
    paidAt: r.paid_at,
    closedAt: r.closed_at,
    origin: r.origin,
  };
}

function toParams(o: OrderRow): Record<string, string | number | null> {
  return {
    out_trade_no: o.outTradeNo,
    transaction_id: o.transactionId,
    trade_type: o.tradeType,
    state: o.state,
    total_fee: o.totalFee,
    body: o.body,
    attach: o.attach,
    device_info: o.deviceInfo,
    fingerprint: o.fingerprint,
    wallet: o.wallet,
    openid: o.openid,
    bank_type: o.bankType,
    code_url: o.codeUrl,
    prepay_id: o.prepayId,
    created_at: o.createdAt,
    time_expire: o.timeExpire,
    pays_at: o.paysAt,
    fails_at: o.failsAt,
    paid_at: o.paidAt,
    closed_at: o.closedAt,
    origin: o.origin,
  };
}

const COLUMNS = Object.keys(toParams({} as OrderRow));

export function insertOrder(db: Database, order: OrderRow): void {
  db.prepare(
    `INSERT INTO sandbox_orders (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
  ).run(toParams(order));
}

/** Writes every mutable column back; the primary key never changes. */
export function updateOrder(db: Database, order: OrderRow): void {
  const sets = COLUMNS.filter((c) => c !== 'out_trade_no')
    .map((c) => `${c} = @${c}`)
    .join(', ');
  db.prepare(`UPDATE sandbox_orders SET ${sets} WHERE out_trade_no = @out_trade_no`).run(toParams(order));
}

/**
 * Testing aid only (planting.ts removeOrder): the live service never forgets an order. Its used payment codes go
 * with it (they name the order); its refunds must be gone first.
 */
export function deleteOrder(db: Database, outTradeNo: string): boolean {
  db.prepare('DELETE FROM sandbox_auth_codes WHERE out_trade_no = ?').run(outTradeNo);
  return db.prepare('DELETE FROM sandbox_orders WHERE out_trade_no = ?').run(outTradeNo).changes === 1;
}

export function getOrder(db: Database, outTradeNo: string): OrderRow | null {
  const raw = db.prepare('SELECT * FROM sandbox_orders WHERE out_trade_no = ?').get(outTradeNo) as RawOrder | undefined;
  return raw ? fromRaw(raw) : null;
}

export function getOrderByTransactionId(db: Database, transactionId: string): OrderRow | null {
  const raw = db.prepare('SELECT * FROM sandbox_orders WHERE transaction_id = ?').get(transactionId) as
    | RawOrder
    | undefined;
  return raw ? fromRaw(raw) : null;
}

export function getOrderByCodeUrl(db: Database, codeUrl: string): OrderRow | null {
  const raw = db.prepare('SELECT * FROM sandbox_orders WHERE code_url = ?').get(codeUrl) as RawOrder | undefined;
  return raw ? fromRaw(raw) : null;
}

export function listOrders(db: Database): OrderRow[] {
  const rows = db.prepare('SELECT * FROM sandbox_orders ORDER BY created_at, rowid').all() as RawOrder[];
  return rows.map(fromRaw);
}

/** Orders paid inside [from, to): the candidates for one day's bill. */
export function listOrdersPaidBetween(db: Database, from: number, to: number): OrderRow[] {
  const rows = db
    .prepare('SELECT * FROM sandbox_orders WHERE paid_at >= ? AND paid_at < ? ORDER BY paid_at, rowid')
    .all(from, to) as RawOrder[];
  return rows.map(fromRaw);
}

/** Orders whose state may still move with time: the ones to settle before a bill is built. */
export function listPendingOrders(db: Database): OrderRow[] {
  const rows = db.prepare("SELECT * FROM sandbox_orders WHERE state IN ('NOTPAY', 'USERPAYING')").all() as RawOrder[];
  return rows.map(fromRaw);
}
