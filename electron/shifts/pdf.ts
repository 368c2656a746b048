/**
 * Turns report HTML into a PDF. The app passes Electron's webContents.printToPDF through an adapter
 * (electron/adapters/); the web host and the tests use headless Chromium through Playwright.
 */
export interface PdfRenderer {
  htmlToPdf(html: string): Promise<Buffer>;
}

/**
 * Headless Chromium via playwright-core (a production dependency without a bundled browser; imported lazily:
 * only the web host loads it). Uses the installed Chromium at executablePath.
 */
export function chromiumPdfRenderer(options: { executablePath?: string } = {}): PdfRenderer {
  return {
    async htmlToPdf(html) {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: options.executablePath ?? '/usr/bin/chromium' });
      try {
        const page = await browser.newPage();
        // No network: the HTML is self-contained, and nothing it says should reach out.
        await page.route('**/*', (route) => route.abort());
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      } finally {
        await browser.close();
      }
    },
  };
}
