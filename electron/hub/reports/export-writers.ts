import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { STORE_UTC_OFFSET_MS } from '../projections/rollups';
import type { Cell, ExportColumn, ExportSource } from './export-sources';

/**
 * Writes an export to a stream page by page, waiting for the stream to drain between pages, so a slow download
 * holds one page in memory, not the file. CSV: UTF-8 with a BOM (Excel on Chinese Windows reads it as UTF-8 then),
 * one value per column, numbers as plain numbers (money as yuan with two decimals), CRLF lines as RFC 4180 says.
 * XLSX: exceljs's streaming WorkbookWriter, each row committed as it is written; money cells are numbers with a
 * 0.00 format. Texts a spreadsheet would run as a formula (= + - @ first) are prefixed with ' (CSV injection).
 */
export type ExportLanguage = 'zh' | 'en';

export function localTime(ms: number): string {
  return new Date(ms + STORE_UTC_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 19);
}

const yuan = (fen: number): number => fen / 100;

function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A cell as its spreadsheet value: money in yuan, times as local time text, texts guarded. */
function valueOf(column: ExportColumn, cell: Cell): string | number | null {
  if (cell === null) return null;
  switch (column.type) {
    case 'money':
      return yuan(Number(cell));
    case 'integer':
      return Number(cell);
    case 'time':
      return localTime(Number(cell));
    case 'text':
      return safeText(String(cell));
  }
}

function csvField(column: ExportColumn, cell: Cell): string {
  const value = valueOf(column, cell);
  if (value === null) return '';
  if (typeof value === 'number') return column.type === 'money' ? value.toFixed(2) : String(value);
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

async function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

export async function writeCsv(out: Writable, source: ExportSource, language: ExportLanguage): Promise<void> {
  await writeChunk(out, `\uFEFF${source.columns.map((c) => csvField({ ...c, type: 'text' }, c[language])).join(',')}\r\n`);
  for await (const page of source.pages()) {
    await writeChunk(out, page.map((row) => `${row.map((cell, i) => csvField(source.columns[i] as ExportColumn, cell)).join(',')}\r\n`).join(''));
  }
  out.end();
}

export async function writeXlsx(out: Writable, source: ExportSource, language: ExportLanguage): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(source.title[language]);
  sheet.columns = source.columns.map((c) => ({
    header: c[language],
    width: c.type === 'time' ? 20 : c.type === 'text' ? 16 : 12,
    style: c.type === 'money' ? { numFmt: '0.00' } : {},
  }));
  for await (const page of source.pages()) {
    for (const row of page) sheet.addRow(row.map((cell, i) => valueOf(source.columns[i] as ExportColumn, cell))).commit();
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  sheet.commit();
  await workbook.commit();
}
