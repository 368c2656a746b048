import jsQR from 'jsqr';
import { chromium, type Browser, type Page } from 'playwright';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEscPos } from '../../../../electron/devices/escpos/render';
import { refundSlipDocument } from '../../../../electron/devices/printer/layouts/refund-slip';
import { saleReceiptDocument } from '../../../../electron/devices/printer/layouts/sale-receipt';
import { shiftReportDocument } from '../../../../electron/devices/printer/layouts/shift-report';
import { fen } from '../../../../shared/money';
import { markAsCopy, type PaperWidth, type ReceiptDocument } from '../../../../shared/receipt';
import { renderReceiptHtml } from '../../../../shared/receipt-html';
import { decodeEscPos } from '../../../helpers/escpos-decoder';
import { sampleRefund, sampleSale, sampleShiftReport } from '../../../unit/devices/printing/fixtures';

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
});

afterAll(async () => {
  await browser.close();
});

const normalise = (lines: string[]): string[] => lines.map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);

async function openReceipt(doc: ReceiptDocument, paper: PaperWidth): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
  await page.setContent(renderReceiptHtml(doc, { paper }));
  return page;
}

const documents: [string, ReceiptDocument][] = [
  ['a Chinese sale receipt', saleReceiptDocument(sampleSale())],
  ['an English sandbox sale receipt', saleReceiptDocument(sampleSale({ lang: 'en', sandbox: true }))],
  ['a reprinted receipt', markAsCopy(saleReceiptDocument(sampleSale()))],
  ['a pending refund slip', refundSlipDocument(sampleRefund({ state: 'pending' }))],
  ['a shift report', shiftReportDocument(sampleShiftReport())],
];

describe('HTML receipt for OS-driver printers, rendered in Chromium', () => {
  for (const paper of [58, 80] as const) {
    it.each(documents)(`shows the same text lines as the ESC/POS bytes: %s on ${paper} mm`, async (_name, doc) => {
      const page = await openReceipt(doc, paper);
      try {
        const shown = await page.$$eval('[data-line]', (elements) => elements.map((e) => (e as HTMLElement).innerText));
        const printed = decodeEscPos(renderEscPos(doc, { paper })).lines.map((l) => l.text);
        expect(normalise(shown)).toEqual(normalise(printed));
      } finally {
        await page.close();
      }
    });
  }

  it.each([58, 80] as const)('keeps every line inside the %i mm page and renders Chinese with a real font', async (paper) => {
    const page = await openReceipt(saleReceiptDocument(sampleSale()), paper);
    try {
      const overflowing = await page.$$eval('[data-line]', (elements) =>
        elements.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => (e as HTMLElement).innerText),
      );
      expect(overflowing).toEqual([]);
      const fontReady = await page.evaluate(() => document.fonts.check('12px "WenQuanYi Micro Hei Mono"', '好'));
      expect(fontReady).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('has a QR code a phone can read back to the sale', async () => {
    const page = await openReceipt(saleReceiptDocument(sampleSale()), 80);
    try {
      const png = PNG.sync.read(await page.locator('.qr').screenshot());
      const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(code?.data).toBe('POSR:T01:20240501-0007');
    } finally {
      await page.close();
    }
  });

  it('escapes text so an item name cannot inject markup', async () => {
    const doc = saleReceiptDocument(
      sampleSale({ items: [{ name: '<img src=x onerror=alert(1)>', quantity: 1, unitPrice: fen(100), amount: fen(100) }] }),
    );
    const page = await openReceipt(doc, 58);
    try {
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.getByText('<img src=x onerror=alert(1)>').count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});
