import { describe, expect, it } from 'vitest';
import { renderEscPos } from '../../../../electron/devices/escpos/render';
import { maskPaymentCodes } from '../../../../electron/devices/printer/layouts/common';
import { refundSlipDocument } from '../../../../electron/devices/printer/layouts/refund-slip';
import { saleReceiptDocument } from '../../../../electron/devices/printer/layouts/sale-receipt';
import { testPageDocument } from '../../../../electron/devices/printer/layouts/test-page';
import { classifyScan } from '../../../../shared/scan';
import { shiftReportDocument } from '../../../../electron/devices/printer/layouts/shift-report';
import { fen } from '../../../../shared/money';
import { markAsCopy, paperColumns, type PaperWidth, type ReceiptDocument } from '../../../../shared/receipt';
import { decodeEscPos, type DecodedStream } from '../../../helpers/escpos-decoder';
import { sampleRefund, sampleSale, sampleShiftReport, WECHAT_TRANSACTION_ID } from './fixtures';

function print(doc: ReceiptDocument, paper: PaperWidth): DecodedStream {
  return decodeEscPos(renderEscPos(doc, { paper }));
}

const texts = (decoded: DecodedStream): string[] => decoded.lines.map((line) => line.text.trim()).filter(Boolean);

describe('sale receipt on ESC/POS', () => {
  it.each([58, 80] as const)('keeps every line within the %i mm paper width', (paper) => {
    const decoded = print(saleReceiptDocument(sampleSale()), paper);
    const widest = Math.max(...decoded.lines.map((line) => line.columns));
    expect(widest).toBeLessThanOrEqual(paperColumns(paper));
    // Rules span the full width, so the layout really uses the paper it was given.
    expect(widest).toBe(paperColumns(paper));
  });

  it('prints the store, terminal, cashier, receipt number, Beijing time, lines, totals, tenders and change in Chinese', () => {
    const lines = texts(print(saleReceiptDocument(sampleSale()), 58));
    expect(lines.slice(0, 2)).toEqual(['好邻居便利店', '上海市浦东新区世纪大道100号']);
    expect(lines).toContainEqual(expect.stringMatching(/^终端 T01 +收银员 张三$/));
    expect(lines).toContainEqual(expect.stringMatching(/^小票号 +20240501-0007$/));
    expect(lines).toContainEqual(expect.stringMatching(/^时间 +2024-05-01 14:03:22$/));
    expect(lines).toContain('可口可乐 330ml');
    expect(lines).toContainEqual(expect.stringMatching(/^2 × ￥3\.50 +￥7\.00$/));
    expect(lines).toContainEqual(expect.stringMatching(/^3 × ￥4\.50 +￥13\.50$/));
    expect(lines).toContainEqual(expect.stringMatching(/^优惠 +-￥0\.40$/));
    expect(lines).toContainEqual(expect.stringMatching(/^合计 +￥50\.00$/));
    expect(lines).toContainEqual(expect.stringMatching(/^微信支付 +￥30\.00$/));
    expect(lines).toContain(WECHAT_TRANSACTION_ID);
    expect(lines).toContainEqual(expect.stringMatching(/^现金 +￥20\.00$/));
    expect(lines).toContainEqual(expect.stringMatching(/^实收 +￥50\.00$/));
    expect(lines).toContainEqual(expect.stringMatching(/^找零 +￥30\.00$/));
    expect(lines.at(-1)).toBe('谢谢惠顾，欢迎再次光临');
  });

  it('prints the store name bold, double size and centred', () => {
    const [title] = print(saleReceiptDocument(sampleSale()), 80).lines;
    expect(title).toMatchObject({ text: '好邻居便利店', align: 'center', bold: true });
    expect(title?.segments[0]).toMatchObject({ widthMultiplier: 2, heightMultiplier: 2 });
  });

  it('carries a QR code that identifies the sale for refunds', () => {
    const { qrs } = print(saleReceiptDocument(sampleSale()), 58);
    expect(qrs).toHaveLength(1);
    expect(qrs[0]).toMatchObject({ payload: 'POSR:T01:20240501-0007', model: 2, errorCorrection: 'M' });
    expect(classifyScan(qrs[0]!.payload)).toEqual({ kind: 'receipt', terminalId: 'T01', receiptNo: '20240501-0007' });
    expect(classifyScan('134567890123456789').kind).toBe('wechat-pay-code');
  });

  it('ends with feed-and-cut, byte for byte', () => {
    const bytes = renderEscPos(saleReceiptDocument(sampleSale()), { paper: 58 });
    expect(Array.from(bytes.subarray(-4))).toEqual([0x1d, 0x56, 0x42, 0x00]);
    expect(decodeEscPos(bytes).cuts).toHaveLength(1);
  });

  it('prints in English', () => {
    const lines = texts(print(saleReceiptDocument(sampleSale({ lang: 'en' })), 80));
    expect(lines).toContainEqual(expect.stringMatching(/^TOTAL +￥50\.00$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Change +￥30\.00$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Terminal T01 +Cashier 张三$/));
  });

  it('says 重打 on a reprint and COPY on an English one', () => {
    expect(texts(print(markAsCopy(saleReceiptDocument(sampleSale())), 58))[0]).toBe('*** 重打 ***');
    expect(texts(print(markAsCopy(saleReceiptDocument(sampleSale({ lang: 'en' }))), 58))[0]).toBe('*** COPY ***');
  });

  it('carries the 沙箱 banner at top and bottom in sandbox mode, and none otherwise', () => {
    const sandbox = texts(print(saleReceiptDocument(sampleSale({ sandbox: true })), 58));
    expect(sandbox[0]).toBe('*** 沙箱 ***');
    expect(sandbox.at(-2)).toBe('*** 沙箱 ***');
    expect(texts(print(saleReceiptDocument(sampleSale()), 58)).join('\n')).not.toContain('沙箱');
    expect(texts(print(saleReceiptDocument(sampleSale({ sandbox: true, lang: 'en' })), 58))[0]).toBe('*** SANDBOX ***');
  });

  it('says the WeChat result is pending when there is no transaction id yet', () => {
    const sale = sampleSale({ tenders: [{ method: 'wechat', amount: fen(5000) }] });
    expect(texts(print(saleReceiptDocument(sale), 58))).toContain('微信支付结果待确认');
  });

  it('never prints a payment code, even one that landed in an item name', () => {
    const sale = sampleSale({ items: [{ name: '扫错 134567890123456789', quantity: 1, unitPrice: fen(1), amount: fen(1) }] });
    const all = texts(print(saleReceiptDocument(sale), 80)).join('\n');
    expect(all).not.toContain('134567890123456789');
    expect(all).toContain('扫错 1345**********6789');
    expect(maskPaymentCodes('单号 4200002024050112345678901234')).toBe('单号 4200002024050112345678901234');
  });
});

describe('refund slip', () => {
  it('shows the refund and its success', () => {
    const lines = texts(print(refundSlipDocument(sampleRefund()), 58));
    expect(lines).toContain('退款凭证');
    expect(lines).toContainEqual(expect.stringMatching(/^原小票号 +20240501-0007$/));
    expect(lines).toContainEqual(expect.stringMatching(/^退款金额 +￥7\.00$/));
    expect(lines).toContain('退款成功');
    expect(lines).not.toContain('退款处理中');
  });

  it('says 退款处理中 (not success) for a refund requested offline', () => {
    const lines = texts(print(refundSlipDocument(sampleRefund({ state: 'offline', wechatRefundId: undefined })), 58));
    expect(lines).toContain('退款处理中');
    expect(lines).not.toContain('退款成功');
    expect(lines.join('')).toContain('离线时发起');
  });

  it('says a refund sent to WeChat while online is being processed, without claiming it was started offline', () => {
    const lines = texts(print(refundSlipDocument(sampleRefund({ state: 'pending', wechatRefundId: undefined })), 58));
    expect(lines).toContain('退款处理中');
    expect(lines.join('')).toContain('已提交微信支付，退款成功后将另打印凭证');
    expect(lines.join('')).not.toContain('离线');
  });

  it.each([58, 80] as const)('fits %i mm paper', (paper) => {
    const decoded = print(refundSlipDocument(sampleRefund({ lang: 'en', state: 'pending' })), paper);
    expect(Math.max(...decoded.lines.map((l) => l.columns))).toBeLessThanOrEqual(paperColumns(paper));
  });
});

describe('printer test page', () => {
  // 05:38:49 UTC is 13:38:49 in Beijing: the store's time, as on every receipt, whatever the PC's zone is.
  const at = Date.UTC(2025, 2, 14, 5, 38, 49);

  it('carries the 沙箱 banner in sandbox mode and prints the time as receipts do (Beijing, no UTC)', () => {
    const lines = texts(print(testPageDocument({ lang: 'zh', sandbox: true, storeName: '演示商店', at, paperWidthMm: 58 }), 58));
    expect(lines.filter((l) => l === '*** 沙箱 ***')).toHaveLength(2);
    expect(lines).toContain('2025-03-14 13:38:49');
    expect(lines.join('\n')).not.toContain('UTC');
  });

  it('has no banner with live credentials', () => {
    const lines = texts(print(testPageDocument({ lang: 'zh', sandbox: false, storeName: '演示商店', at, paperWidthMm: 80 }), 80));
    expect(lines.join('\n')).not.toContain('沙箱');
  });
});

describe('shift report', () => {
  it('prints the sections it is given as label/value rows', () => {
    const lines = texts(print(shiftReportDocument(sampleShiftReport()), 58));
    expect(lines).toContain('交班报表 (Z)');
    expect(lines).toContain('销售');
    expect(lines).toContainEqual(expect.stringMatching(/^微信支付 \(12笔\) +￥356\.00$/));
    expect(lines).toContainEqual(expect.stringMatching(/^无销售开钱箱 +2$/));
    expect(lines).toContainEqual(expect.stringMatching(/^开始 +2024-05-01 10:03:22$/));
  });
});

describe("the store's time zone on slips", () => {
  // 05:38:49 UTC: 13:38:49 in Beijing, 14:38:49 in Tokyo.
  const at = Date.UTC(2025, 2, 14, 5, 38, 49);

  it('prints receipts, refund slips, test pages and shift reports in the zone settings name', () => {
    const tokyo = 'Asia/Tokyo';
    const receipt = texts(print(saleReceiptDocument({ ...sampleSale(), soldAt: at, timeZone: tokyo }), 58));
    expect(receipt).toContainEqual(expect.stringMatching(/^时间 +2025-03-14 14:38:49$/));
    const slip = texts(print(refundSlipDocument({ ...sampleRefund(), requestedAt: at, timeZone: tokyo }), 58));
    expect(slip).toContainEqual(expect.stringMatching(/2025-03-14 14:38:49$/));
    const page = texts(print(testPageDocument({ lang: 'zh', timeZone: tokyo, sandbox: true, storeName: '演示商店', at, paperWidthMm: 58 }), 58));
    expect(page).toContain('2025-03-14 14:38:49');
    const report = texts(print(shiftReportDocument({ ...sampleShiftReport(), openedAt: at, timeZone: tokyo }), 58));
    expect(report).toContainEqual(expect.stringMatching(/^开始 +2025-03-14 14:38:49$/));
  });

  it('prints Beijing time when settings name no zone', () => {
    const receipt = texts(print(saleReceiptDocument({ ...sampleSale(), soldAt: at }), 58));
    expect(receipt).toContainEqual(expect.stringMatching(/^时间 +2025-03-14 13:38:49$/));
  });
});
