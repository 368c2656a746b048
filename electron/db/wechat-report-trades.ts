import type { Database } from 'better-sqlite3';

export interface ReportTradeRow {
  id: number;
  out_trade_no: string;
  begin_time: number;
  end_time: number;
  state: 'OK' | 'FAIL' | 'CANCLE';
  err_msg: string | null;
  outbox_id: number | null;
  reported_at: number | null;
}

/** One finished micropay order for the 交易保障 batch report; a second finish of the same order is ignored. */
export function insertReportTrade(
  db: Database,
  t: { outTradeNo: string; beginTime: number; endTime: number; state: ReportTradeRow['state']; errMsg: string | null },
): boolean {
  const result = db
    .prepare(
      `INSERT INTO wechat_report_trades (out_trade_no, begin_time, end_time, state, err_msg) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(out_trade_no) DO NOTHING`,
    )
    .run(t.outTradeNo, t.beginTime, t.endTime, t.state, t.errMsg);
  return result.changes === 1;
}

/** Gives up to `limit` unassigned trades to a batch; returns the batch's trades (already assigned ones first). */
export function assignReportTrades(db: Database, outboxId: number, limit: number): ReportTradeRow[] {
  db.prepare(
    `UPDATE wechat_report_trades SET outbox_id = ?
     WHERE id IN (SELECT id FROM wechat_report_trades WHERE outbox_id IS NULL AND reported_at IS NULL ORDER BY id LIMIT ?)`,
  ).run(outboxId, limit);
  return db.prepare('SELECT * FROM wechat_report_trades WHERE outbox_id = ? ORDER BY id').all(outboxId) as ReportTradeRow[];
}

export function markReportTradesSent(db: Database, outboxId: number, now: number): void {
  db.prepare('UPDATE wechat_report_trades SET reported_at = ? WHERE outbox_id = ?').run(now, outboxId);
}


export function countUnreportedTrades(db: Database): number {
  return (
    db.prepare('SELECT COUNT(*) AS n FROM wechat_report_trades WHERE reported_at IS NULL AND outbox_id IS NULL').get() as {
      n: number;
    }
  ).n;
}

export function listReportTrades(db: Database): ReportTradeRow[] {
  return db.prepare('SELECT * FROM wechat_report_trades ORDER BY id').all() as ReportTradeRow[];
}

export function earliestUnassignedTradeId(db: Database): number | null {
  const row = db
    .prepare('SELECT MIN(id) AS id FROM wechat_report_trades WHERE outbox_id IS NULL AND reported_at IS NULL')
    .get() as { id: number | null };
  return row.id;
}
