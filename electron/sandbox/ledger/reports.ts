import type { Database } from '../../db/open';

/** One payitil/report call (交易保障), kept so tests can see what the POS reported. */
export interface ReportRow {
  id: number;
  receivedAt: number;
  interfaceUrl: string;
  fields: Record<string, string>;
  /** The batch form's `trades` array, parsed; null for the per-call form. */
  trades: unknown[] | null;
}

interface RawReport {
  id: number;
  received_at: number;
  interface_url: string;
  fields_json: string;
  trades_json: string | null;
}

export function insertReport(
  db: Database,
  r: { receivedAt: number; interfaceUrl: string; fields: Record<string, string>; trades: unknown[] | null },
): void {
  db.prepare('INSERT INTO sandbox_reports (received_at, interface_url, fields_json, trades_json) VALUES (?, ?, ?, ?)').run(
    r.receivedAt,
    r.interfaceUrl,
    JSON.stringify(r.fields),
    r.trades === null ? null : JSON.stringify(r.trades),
  );
}

export function listReports(db: Database): ReportRow[] {
  const rows = db.prepare('SELECT * FROM sandbox_reports ORDER BY id').all() as RawReport[];
  return rows.map((r) => ({
    id: r.id,
    receivedAt: r.received_at,
    interfaceUrl: r.interface_url,
    fields: JSON.parse(r.fields_json) as Record<string, string>,
    trades: r.trades_json === null ? null : (JSON.parse(r.trades_json) as unknown[]),
  }));
}
