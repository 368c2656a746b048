import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

export interface SaleLineRow {
  sale_id: number;
  line_no: number;
  name: string;
  unit_fen: number;
  quantity: number;
  amount_fen: number;
}

export function insertSaleLine(db: Database, line: SaleLineRow): void {
  cachedStatement(db,
    'INSERT INTO sale_lines (sale_id, line_no, name, unit_fen, quantity, amount_fen) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(line.sale_id, line.line_no, line.name, line.unit_fen, line.quantity, line.amount_fen);
}

export function listSaleLines(db: Database, saleId: number): SaleLineRow[] {
  return cachedStatement(db, 'SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no').all(saleId) as SaleLineRow[];
}
