import type { Database } from 'better-sqlite3';
import type { AttemptMode, AttemptState } from '../../shared/payments';
import { cachedStatement } from './statements';

export interface AttemptRow {
  id: number;
  tender_id: number;
  sale_id: number;
  mode: AttemptMode;
  out_trade_no: string;
  amount_fen: number;
  description: string;
  state: AttemptState;
  auth_code: string | null;
  auth_code_masked: string | null;
  superseded_at: number | null;
  cancel_requested_at: number | null;
  created_at: number;
  send_deadline_at: number | null;
  first_sent_at: number | null;
  send_count: number;
  last_answer: string | null;
  network_trouble: number;
  failure_code: string | null;
  failure_zh: string | null;
  failure_en: string | null;
  transaction_id: string | null;
  payer_masked: string | null;
  bank_type: string | null;
  paid_fen: number | null;
  success_time: number | null;
  code_url: string | null;
  expires_at: number | null;
  reverse_count: number;
  reverse_rejections: number;
  resolved_at: number | null;
  updated_at: number;
}

/** Columns a state change may set (id, tender, sale, mode, out_trade_no and amount never change). */
export type AttemptPatch = Partial<Omit<AttemptRow, 'id' | 'tender_id' | 'sale_id' | 'mode' | 'out_trade_no' | 'amount_fen' | 'updated_at'>>;

const PATCHABLE = new Set<string>([
  'description', 'state', 'auth_code', 'auth_code_masked', 'superseded_at', 'cancel_requested_at', 'created_at',
  'send_deadline_at', 'first_sent_at', 'send_count', 'last_answer', 'network_trouble', 'failure_code', 'failure_zh',
  'failure_en', 'transaction_id', 'payer_masked', 'bank_type', 'paid_fen', 'success_time', 'code_url', 'expires_at',
  'reverse_count', 'reverse_rejections', 'resolved_at',
]);

export interface NewAttemptRow {
  tenderId: number;
  saleId: number;
  mode: AttemptMode;
  outTradeNo: string;
  amountFen: number;
  description: string;
  state: AttemptState;
  authCode: string | null;
  authCodeMasked: string | null;
  createdAt: number;
  sendDeadlineAt: number | null;
  expiresAt: number | null;
}

export function insertAttempt(db: Database, a: NewAttemptRow): number {
  const result = cachedStatement(db,
      `INSERT INTO wechat_attempts (tender_id, sale_id, mode, out_trade_no, amount_fen, description, state, auth_code,
         auth_code_masked, created_at, send_deadline_at, expires_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      a.tenderId, a.saleId, a.mode, a.outTradeNo, a.amountFen, a.description, a.state, a.authCode, a.authCodeMasked,
      a.createdAt, a.sendDeadlineAt, a.expiresAt, a.createdAt,
    );
  return Number(result.lastInsertRowid);
}

export function getAttempt(db: Database, id: number): AttemptRow | undefined {
  return cachedStatement(db, 'SELECT * FROM wechat_attempts WHERE id = ?').get(id) as AttemptRow | undefined;
}

export function getAttemptByOutTradeNo(db: Database, outTradeNo: string): AttemptRow | undefined {
  return cachedStatement(db, 'SELECT * FROM wechat_attempts WHERE out_trade_no = ?').get(outTradeNo) as AttemptRow | undefined;
}

export function getAttemptByTender(db: Database, tenderId: number): AttemptRow | undefined {
  return cachedStatement(db, 'SELECT * FROM wechat_attempts WHERE tender_id = ?').get(tenderId) as AttemptRow | undefined;
}

export function listAttemptsForSale(db: Database, saleId: number): AttemptRow[] {
  return cachedStatement(db, 'SELECT * FROM wechat_attempts WHERE sale_id = ? ORDER BY id').all(saleId) as AttemptRow[];
}

export function listAllAttempts(db: Database): AttemptRow[] {
  return cachedStatement(db, 'SELECT * FROM wechat_attempts ORDER BY id').all() as AttemptRow[];
}

const UNRESOLVED = `state NOT IN ('paid', 'failed', 'reversed', 'cancelled', 'closed', 'refunded')`;

export function listNonFinalAttempts(db: Database): AttemptRow[] {
  return cachedStatement(db, `SELECT * FROM wechat_attempts WHERE ${UNRESOLVED} AND state <> 'needs-attention' ORDER BY id`).all() as AttemptRow[];
}

/** Attempts the cashier is still waiting on (not final), on one sale. */
export function listUnresolvedAttemptsForSale(db: Database, saleId: number): AttemptRow[] {
  return cachedStatement(db, `SELECT * FROM wechat_attempts WHERE sale_id = ? AND ${UNRESOLVED} AND state <> 'needs-attention' ORDER BY id`)
    .all(saleId) as AttemptRow[];
}

/** For the manager: everything not final, everything superseded and everything needing attention. */
export function listAttemptsForReview(db: Database, since: number): AttemptRow[] {
  return cachedStatement(db,
      `SELECT * FROM wechat_attempts
       WHERE ${UNRESOLVED} OR (superseded_at IS NOT NULL AND created_at >= ?)
       ORDER BY id DESC`,
    )
    .all(since) as AttemptRow[];
}

export function updateAttempt(db: Database, id: number, patch: AttemptPatch, now: number): void {
  const keys = Object.keys(patch).filter((k) => PATCHABLE.has(k));
  if (keys.length !== Object.keys(patch).length) throw new Error('attempt patch names an unknown column');
  const sets = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @updated_at'].join(', ');
  cachedStatement(db, `UPDATE wechat_attempts SET ${sets} WHERE id = @id`).run({ ...patch, updated_at: now, id });
}

/** Where an auth code could still be stored: tests assert it is gone once the attempt can no longer send. */
export function countStoredAuthCodes(db: Database): number {
  return (cachedStatement(db, 'SELECT COUNT(*) AS n FROM wechat_attempts WHERE auth_code IS NOT NULL').get() as { n: number }).n;
}
