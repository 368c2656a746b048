import { formatBeijingRfc3339 } from '../../shared/clock';
import { fen, formatYuan, type Fen } from '../../shared/money';
import type { ReceiptLang } from '../../shared/receipt';
import { pendingStateWords, TENDER_LABELS, type ShiftReport } from '../../shared/shifts';
import type { ShiftReportRow, ShiftReportSection } from '../devices/printer/layouts/shift-report';
import { REPORT_WORDS } from './report-words';

/**
 * The report as titled sections of label/value rows: the one model printed on the ESC/POS printer, laid out in
 * the PDF and written to the CSV, so the three always say the same.
 */

const money = (amount: Fen): string => formatYuan(amount);
/** MM-DD HH:mm in Beijing time (the store's). */
const formatBeijingTime = (ms: number): string => formatBeijingRfc3339(ms).slice(5, 16).replace('T', ' ');
const signed = (amount: Fen): string => (amount > 0 ? `+${formatYuan(amount)}` : formatYuan(amount));

function countAndAmount(label: string, count: number, amount: Fen, lang: ReceiptLang): ShiftReportRow {
  const w = REPORT_WORDS[lang];
  return { label, value: `${count}${lang === 'zh' ? w.count : ` ${w.count}`} ${money(amount)}`, count, amountFen: amount };
}

export function reportSections(report: ShiftReport, lang: ReceiptLang): ShiftReportSection[] {
  const w = REPORT_WORDS[lang];
  const tender = (kind: keyof typeof TENDER_LABELS): string => TENDER_LABELS[kind][lang];
  const sections: ShiftReportSection[] = [];
  if (report.kind === 'Z' && report.zNo !== null) sections.push({ rows: [{ label: w.zNo, value: String(report.zNo), bold: true }] });
  sections.push({
    title: w.sales,
    rows: [
      ...report.sales.byTender.map((t) => countAndAmount(tender(t.kind), t.count, t.amountFen, lang)),
      { ...countAndAmount(w.salesTotal, report.sales.count, report.sales.amountFen, lang), bold: true },
    ],
  });
  sections.push({
    title: w.refunds,
    rows: [
      ...report.refunds.byTender.map((t) => countAndAmount(tender(t.kind), t.count, t.amountFen, lang)),
      { ...countAndAmount(w.refundsTotal, report.refunds.count, report.refunds.amountFen, lang), bold: true },
    ],
  });
  const cashierRows = (list: ShiftReport['voids']): ShiftReportRow[] =>
    list.length === 0 ? [{ label: w.none, value: '0' }] : list.map((c) => countAndAmount(c.cashierName ?? c.cashierId, c.count, c.amountFen, lang));
  sections.push({ title: w.voids, rows: cashierRows(report.voids) });
  sections.push({ title: w.superseded, rows: cashierRows(report.superseded) });
  sections.push({
    title: w.drawer,
    rows: [
      { label: w.noSales, value: String(report.noSales), count: report.noSales },
      countAndAmount(w.cashIn, report.cashIn.count, report.cashIn.amountFen, lang),
      countAndAmount(w.cashOut, report.cashOut.count, report.cashOut.amountFen, lang),
    ],
  });
  sections.push(cashSection(report, lang));
  sections.push(pendingSection(report, lang));
  const alerts = report.paymentAlerts ?? [];
  if (alerts.length > 0) {
    sections.push({
      title: `${w.paymentAlerts} (${alerts.length})`,
      rows: alerts.map((a) => ({ label: `#${a.receiptNo} ${formatBeijingTime(a.paidAt)}`, value: money(a.amountFen), amountFen: a.amountFen, bold: true })),
    });
  }
  sections.push(checkSection(report, lang));
  return sections;
}

function cashSection(report: ShiftReport, lang: ReceiptLang): ShiftReportSection {
  const w = REPORT_WORDS[lang];
  const c = report.cash;
  const amount = (label: string, value: Fen, bold = false): ShiftReportRow => ({ label, value: money(value), amountFen: value, ...(bold ? { bold } : {}) });
  const rows: ShiftReportRow[] = [
    amount(w.float, c.openingFloatFen),
    amount(w.cashSales, c.cashSalesFen),
    amount(w.cashRefunds, fen(0 - c.cashRefundsFen)),
    amount(w.cashIn, c.cashInFen),
    amount(w.cashOut, fen(0 - c.cashOutFen)),
    amount(w.expected, c.expectedFen, true),
    c.countedFen === null ? { label: w.counted, value: w.notCounted, bold: true } : amount(w.counted, c.countedFen, true),
  ];
  if (c.differenceFen !== null) rows.push({ label: w.difference, value: signed(c.differenceFen), amountFen: c.differenceFen, bold: true });
  if (report.countersignedBy) rows.push({ label: w.countersigned, value: report.countersignedByName ?? report.countersignedBy });
  for (const d of c.denominations ?? []) {
    if (d.count > 0) rows.push({ label: `${w.denominations} ${money(fen(d.denominationFen))}`, value: `x${d.count}` });
  }
  return { title: w.cash, rows };
}

function pendingSection(report: ShiftReport, lang: ReceiptLang): ShiftReportSection {
  const w = REPORT_WORDS[lang];
  if (report.pending.length === 0) return { title: w.pending, rows: [{ label: w.pendingNone, value: '0' }] };
  return {
    title: `${w.pending} (${report.pending.length})`,
    rows: report.pending.map((p) => ({ label: `#${p.originTerminalId ? `${p.originTerminalId}-` : ''}${p.receiptNo} ${p.ref}`, value: `${money(p.amountFen)} ${pendingStateWords(p)[lang]}` })),
  };
}

function checkSection(report: ShiftReport, lang: ReceiptLang): ShiftReportSection {
  const w = REPORT_WORDS[lang];
  const check = report.wechatCheck;
  if (!check) return { title: w.check, rows: [{ label: w.check, value: w.checkNone }] };
  const rows: ShiftReportRow[] = [
    countAndAmount(w.matched, check.matchedCount, check.matchedFen, lang),
    countAndAmount(w.matchedRefunds, check.matchedRefundCount, check.matchedRefundFen, lang),
    { label: w.mismatches, value: String(check.mismatches.length), bold: check.mismatches.length > 0 },
  ];
  for (const m of check.mismatches) {
    const wechat = m.wechatFen === null ? (m.wechatState ?? '-') : `${money(m.wechatFen)} ${m.wechatState ?? ''}`.trim();
    rows.push({ label: m.ref, value: `${w.local} ${money(m.localFen)} / ${w.wechat} ${wechat}` });
  }
  if (check.unchecked > 0) rows.push({ label: w.unchecked, value: String(check.unchecked), bold: true });
  return { title: w.check, rows };
}
