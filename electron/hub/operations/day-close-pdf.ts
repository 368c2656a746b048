import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { DayCloseView, DayTotals } from '../../../shared/hub-admin-api';
import { fen, formatYuan } from '../../../shared/money';

/** Debian's fonts-wqy-microhei (CI installs it): PDF's standard fonts have no Chinese. */
export const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

const y = (amount: number): string => formatYuan(fen(amount));
const TENDER: Record<string, string> = { cash: '现金 Cash', 'wechat-code': '微信付款码 WeChat code', 'wechat-qr': '微信扫码 WeChat QR' };

/**
 * The day close (日结) as a printable A4 PDF, both languages on each label: the store's totals, then each counter's
 * with its Z reports, then what is still open or unresolved. Streams into `out` (the HTTP response).
 */
export function writeDayClosePdf(view: DayCloseView, out: NodeJS.WritableStream, fontPath = CJK_FONT): void {
  if (!existsSync(fontPath)) throw new Error(`the CJK font ${fontPath} is missing (Debian: apt-get install fonts-wqy-microhei)`);
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `日结 Day close ${view.storeName} ${view.date}` } });
  doc.pipe(out);
  doc.registerFont('cjk', fontPath, 'WenQuanYiMicroHei');
  doc.font('cjk');
  doc.fontSize(18).text(`日结 Day close — ${view.storeName}`);
  doc.fontSize(11).text(`${view.date}`);
  doc.moveDown();
  totalsBlock(doc, '门店合计 Store total', view.totals);
  for (const counter of view.counters) {
    doc.moveDown();
    totalsBlock(doc, `收银台 Counter ${counter.counterName} (${counter.terminalId})`, counter.totals);
    for (const z of counter.zReports) {
      doc.fontSize(9).text(`  Z${z.zNo}  ${z.cashierName}  ${y(z.totals.salesFen)}  现金差额 Difference ${y(z.totals.cashDifferenceFen)}${z.verified ? '' : '  ⚠ 校验不符 SHA-256 mismatch'}`);
    }
  }
  if (view.openShifts.length > 0 || view.unresolved.length > 0) {
    doc.moveDown().fontSize(12).text('待处理 To resolve');
    for (const s of view.openShifts) doc.fontSize(9).text(`  未交班 Open shift: ${s.terminalId} ${s.cashierName}`);
    for (const u of view.unresolved) doc.fontSize(9).text(`  ${u.kind} ${u.terminalId} ${u.state} ${u.amountFen === null ? '' : y(u.amountFen)} ${u.detail}`);
  }
  doc.end();
}

function totalsBlock(doc: PDFKit.PDFDocument, title: string, t: DayTotals): void {
  doc.fontSize(12).text(title);
  doc.fontSize(10);
  doc.text(`  销售笔数 Sales: ${t.saleCount}    销售额 Amount: ${y(t.salesFen)}`);
  for (const tender of t.byTender) doc.text(`  ${TENDER[tender.kind] ?? tender.kind}: ${tender.count} / ${y(tender.amountFen)}`);
  doc.text(`  退款 Refunds: ${t.refundCount} / ${y(t.refundsFen)}`);
  doc.text(`  应有现金 Cash expected: ${y(t.cashExpectedFen)}    实点 Counted: ${y(t.cashCountedFen)}    差额 Difference: ${y(t.cashDifferenceFen)}`);
}
