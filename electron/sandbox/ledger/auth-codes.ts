import type { Database } from '../../db/open';

/** Payment codes are single use. Only a hash of each is kept (see ids.authCodeHash). */

export function recordAuthCodeUse(db: Database, codeHash: string, outTradeNo: string, at: number): void {
  db.prepare('INSERT INTO sandbox_auth_codes (code_hash, out_trade_no, used_at) VALUES (?, ?, ?)').run(
    codeHash,
    outTradeNo,
    at,
  );
}

/** The order a payment code was used for, or null if it was never used. */
export function authCodeUsedBy(db: Database, codeHash: string): string | null {
  const row = db.prepare('SELECT out_trade_no FROM sandbox_auth_codes WHERE code_hash = ?').get(codeHash) as
    | { out_trade_no: string }
    | undefined;
  return row?.out_trade_no ?? null;
}
