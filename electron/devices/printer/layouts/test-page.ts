import type { ReceiptDocument, ReceiptLang } from '../../../../shared/receipt';
import { formatSlipDateTime, sandboxBanner } from './common';

export interface TestPageData {
  lang: ReceiptLang;
  /** The store's time zone (settings.timeZone); Asia/Shanghai when absent. */
  timeZone?: string;
  sandbox: boolean;
  storeName: string;
  /** Printed in the store's time zone, as every receipt and report is. */
  at: number;
  paperWidthMm: 58 | 80;
}

/**
 * The settings screen's test page: the store name, the time as receipts print it, a ruler for the paper width,
 * Chinese text and a QR. In sandbox mode it carries the same 沙箱 banner as every receipt, so a test slip is never
 * mistaken for a real one.
 */
export function testPageDocument(page: TestPageData): ReceiptDocument {
  const ruler = '1234567890'.repeat(5);
  return {
    version: 1,
    lang: page.lang,
    blocks: [
      ...(page.sandbox ? sandboxBanner(page.lang) : []),
      { type: 'text', text: page.storeName, align: 'center', bold: true, size: 'double' },
      { type: 'text', text: page.lang === 'en' ? 'Printer test' : '打印测试', align: 'center', bold: true },
      { type: 'text', text: formatSlipDateTime(page.at, page.timeZone), align: 'center' },
      { type: 'rule' },
      { type: 'text', text: ruler.slice(0, page.paperWidthMm === 58 ? 32 : 48) },
      { type: 'row', left: '中文测试：微信收款', right: '￥12.50' },
      { type: 'rule', style: 'double' },
      { type: 'qr', data: 'POS-PRINTER-TEST' },
      ...(page.sandbox ? sandboxBanner(page.lang) : []),
    ],
  };
}
