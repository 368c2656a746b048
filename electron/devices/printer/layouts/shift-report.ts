import type { ReceiptBlock, ReceiptDocument, ReceiptLang } from '../../../../shared/receipt';
import { formatSlipDateTime, LABELS, sandboxBanner, storeHeader } from './common';

/** One label/value line; values arrive formatted (money through formatYuan, counts as text). */
export interface ShiftReportRow {
  label: string;
  value: string;
  bold?: boolean;
  /** The row's figures as numbers, for exports a spreadsheet sums (the CSV); printing uses `value`. */
  count?: number;
  amountFen?: number;
}

export interface ShiftReportSection {
  /** Printed as a heading above the rows; omit for an untitled group. */
  title?: string;
  rows: ShiftReportRow[];
}

/**
 * A shift (X/Z) report. The layout is generic: the shifts module decides the sections (sales by tender,
 * refunds, no-sale drawer openings, cash count...), this only prints them.
 */
export interface ShiftReportData {
  lang: ReceiptLang;
  /** The store's time zone (settings.timeZone); Asia/Shanghai when absent. */
  timeZone?: string;
  sandbox: boolean;
  /** e.g. "交班报表 (Z)" / "X report". */
  title: string;
  storeName: string;
  terminalId: string;
  cashierName?: string;
  openedAt: number;
  /** Omitted for an X report of a shift still open. */
  closedAt?: number;
  printedAt: number;
  sections: ShiftReportSection[];
}

export function shiftReportDocument(report: ShiftReportData): ReceiptDocument {
  const l = LABELS[report.lang];
  const blocks: ReceiptBlock[] = [
    ...(report.sandbox ? sandboxBanner(report.lang) : []),
    ...storeHeader(report.storeName),
    { type: 'text', text: report.title, align: 'center', bold: true },
    { type: 'rule', style: 'double' },
    { type: 'row', left: l.terminal, right: report.terminalId },
  ];
  if (report.cashierName) blocks.push({ type: 'row', left: l.cashier, right: report.cashierName });
  blocks.push({ type: 'row', left: l.shiftFrom, right: formatSlipDateTime(report.openedAt, report.timeZone) });
  if (report.closedAt !== undefined) blocks.push({ type: 'row', left: l.shiftTo, right: formatSlipDateTime(report.closedAt, report.timeZone) });
  for (const section of report.sections) {
    blocks.push({ type: 'rule' });
    if (section.title) blocks.push({ type: 'text', text: section.title, bold: true });
    for (const row of section.rows) blocks.push({ type: 'row', left: row.label, right: row.value, bold: row.bold ?? false });
  }
  blocks.push(
    { type: 'rule', style: 'double' },
    { type: 'row', left: l.printedAt, right: formatSlipDateTime(report.printedAt, report.timeZone) },
  );
  if (report.sandbox) blocks.push(...sandboxBanner(report.lang));
  return { version: 1, lang: report.lang, blocks };
}
