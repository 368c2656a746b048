import { formatBeijingCompact } from '../../shared/clock';
import { fen, fenToYuanString } from '../../shared/money';
import { markAsCopy, type ReceiptDocument, type ReceiptLang } from '../../shared/receipt';
import { escapeHtml } from '../../shared/receipt-html';
import type { ShiftReport } from '../../shared/shifts';
import { formatSlipDateTime } from '../devices/printer/layouts/common';
import { shiftReportDocument, type ShiftReportSection } from '../devices/printer/layouts/shift-report';
import { reportSections } from './report-sections';
import { REPORT_WORDS } from './report-words';

/** What the header of every rendering needs besides the report itself. */
export interface ReportContext {
  lang: ReceiptLang;
  /** The store's time zone (settings.timeZone); Asia/Shanghai when absent. */
  timeZone?: string;
  storeName: string;
  sandbox: boolean;
  printedAt: number;
  /** A reprint or re-export of a stored Z report: marked 重打 / COPY. */
  copy: boolean;
  /** The stored Z report's SHA-256 (shown shortened so a printout can be matched to the record). */
  sha256?: string;
  /**
   * The audit chain's head as the shift closed (the 'shift.closed' entry, which records the Z's checksum): on paper
   * it anchors the chain where nobody at the PC can rewrite it. Compare with `verify-audit-cli` later: an entry
   * with this number must still have this hash.
   */
  auditAnchor?: { seq: number; hash: string };
}

function titleOf(report: ShiftReport, lang: ReceiptLang): string {
  const w = REPORT_WORDS[lang];
  return report.kind === 'Z' ? w.titleZ : w.titleX;
}

function sectionsWithSeal(report: ShiftReport, ctx: ReportContext): ShiftReportSection[] {
  const sections = reportSections(report, ctx.lang);
  if (ctx.sha256) sections.push({ rows: [{ label: REPORT_WORDS[ctx.lang].sha, value: ctx.sha256.slice(0, 16) }] });
  if (ctx.auditAnchor) {
    // 32 hex digits (128 bits) fit a 58 mm line and are far beyond forging; the entry number finds it again.
    const w = REPORT_WORDS[ctx.lang];
    sections.push({ rows: [{ label: `${w.auditHead} #${ctx.auditAnchor.seq}`, value: ctx.auditAnchor.hash.slice(0, 32) }] });
  }
  return sections;
}

/** The ESC/POS document (printed through the print queue and the shift-report layout). */
export function reportDocument(report: ShiftReport, ctx: ReportContext): ReceiptDocument {
  const doc = shiftReportDocument({
    lang: ctx.lang,
    sandbox: ctx.sandbox,
    title: titleOf(report, ctx.lang),
    storeName: ctx.storeName,
    terminalId: report.terminalId,
    cashierName: report.cashierName,
    openedAt: report.openedAt,
    ...(report.closedAt !== null ? { closedAt: report.closedAt } : {}),
    printedAt: ctx.printedAt,
    ...(ctx.timeZone !== undefined ? { timeZone: ctx.timeZone } : {}),
    sections: sectionsWithSeal(report, ctx),
  });
  return ctx.copy ? markAsCopy(doc) : doc;
}

function headerRows(report: ShiftReport, ctx: ReportContext): [string, string][] {
  const w = REPORT_WORDS[ctx.lang];
  const rows: [string, string][] = [
    [w.terminal, report.terminalId],
    [w.cashier, report.cashierName],
    [w.from, formatSlipDateTime(report.openedAt, ctx.timeZone)],
  ];
  if (report.closedAt !== null) rows.push([w.to, formatSlipDateTime(report.closedAt, ctx.timeZone)]);
  rows.push([w.generated, formatSlipDateTime(ctx.printedAt, ctx.timeZone)]);
  return rows;
}

const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * CSV: UTF-8 with a BOM (so Excel reads the Chinese), CRLF, one row per label with its section. Figures go in
 * their own columns as plain numbers (count; amount in yuan like 87.30, no ￥), so a spreadsheet can sum them; the
 * text column keeps what is not a figure (the terminal, 未清点, a checksum).
 */
export function reportCsv(report: ShiftReport, ctx: ReportContext): string {
  const w = REPORT_WORDS[ctx.lang];
  const title = ctx.copy ? `${titleOf(report, ctx.lang)} ${w.copy}` : titleOf(report, ctx.lang);
  const lines: string[][] = [[w.section, w.item, w.countColumn, w.amountColumn, w.value], ['', title, '', '', ctx.storeName]];
  for (const [label, value] of headerRows(report, ctx)) lines.push(['', label, '', '', value]);
  for (const section of sectionsWithSeal(report, ctx)) {
    for (const row of section.rows) {
      const figures = row.count !== undefined || row.amountFen !== undefined;
      const count = row.count === undefined ? '' : String(row.count);
      const amount = row.amountFen === undefined ? '' : fenToYuanString(fen(row.amountFen));
      lines.push([section.title ?? '', row.label, count, amount, figures ? '' : row.value]);
    }
  }
  return `\uFEFF${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** A4 HTML of the same sections, for the PDF export (Chromium renders it). Self-contained. */
export function reportHtml(report: ShiftReport, ctx: ReportContext): string {
  const w = REPORT_WORDS[ctx.lang];
  const title = titleOf(report, ctx.lang);
  const table = (rows: [string, string, boolean][]): string =>
    `<table>${rows.map(([l, v, b]) => `<tr${b ? ' class="b"' : ''}><td>${escapeHtml(l)}</td><td class="v">${escapeHtml(v)}</td></tr>`).join('')}</table>`;
  const parts = [
    ctx.copy ? `<p class="copy">*** ${escapeHtml(w.copy)} ***</p>` : '',
    ctx.sandbox ? `<p class="copy">*** 沙箱 SANDBOX ***</p>` : '',
    `<h1>${escapeHtml(ctx.storeName)}</h1>`,
    `<h2>${escapeHtml(title)}</h2>`,
    table(headerRows(report, ctx).map(([l, v]) => [l, v, false])),
    ...sectionsWithSeal(report, ctx).map(
      (s) => `${s.title ? `<h3>${escapeHtml(s.title)}</h3>` : ''}${table(s.rows.map((r) => [r.label, r.value, r.bold ?? false]))}`,
    ),
  ];
  const lang = ctx.lang === 'zh' ? 'zh-CN' : 'en';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; font-size: 11pt; color: #000; }
  h1 { font-size: 16pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 0 0 4mm; } h3 { font-size: 11pt; margin: 5mm 0 1mm; }
  table { width: 100%; border-collapse: collapse; } td { padding: 0.6mm 1mm; border-bottom: 0.2mm solid #ccc; }
  td.v { text-align: right; white-space: nowrap; } tr.b td { font-weight: bold; } .copy { font-weight: bold; text-align: center; }
</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}

/** A file name for exports: Z0012-T01-20250314220000.pdf */
export function reportFileName(report: ShiftReport, ext: 'pdf' | 'csv'): string {
  const stamp = formatBeijingCompact(report.closedAt ?? report.generatedAt);
  const head = report.kind === 'Z' && report.zNo !== null ? `Z${String(report.zNo).padStart(4, '0')}` : 'X';
  return `${head}-${report.terminalId}-${stamp}.${ext}`;
}
