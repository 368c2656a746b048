/**
 * Benchmark (not a test): time from the serial scanner's suffix byte to "支付成功" painted on the cashier screen,
 * against the embedded sandbox with no added latency. The whole real path: pty → serial scanner → counter →
 * payments → sync worker → WeChat Pay client (signed HTTPS) → sandbox → events → WebSocket → React → paint.
 *
 *   node scripts/build.mjs && npx tsx test/bench/scan-to-paid.ts [runs]
 *
 * Prints one JSON line: runs, min, median, p95, max in ms. Everything started is stopped by PID at the end.
 */
import { chromium } from 'playwright';
import { signIn, startCounterRig, walletCode } from '../e2e/cashier-harness';

const RUNS = Number(process.argv[2] ?? '20');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const rig = await startCounterRig();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' });
    // Records when "paid" is first painted: the DOM change, then the next animation frame.
    await page.addInitScript(() => {
      const w = window as unknown as { __paidAt: number | null };
      w.__paidAt = null;
      new MutationObserver(() => {
        if (w.__paidAt === null && document.querySelector('[data-testid="payment-status"][data-state="paid"]')) {
          requestAnimationFrame(() => {
            w.__paidAt ??= Date.now();
          });
        }
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    await page.goto(rig.host.urls.cashier);
    // Signs in and opens a shift (开班): a sale belongs to an open shift.
    await signIn(page);

    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.keyboard.type('1.23');
      await page.getByRole('status', { name: '应收金额' }).filter({ hasText: '￥1.23' }).waitFor();
      await page.keyboard.press('Enter');
      await page.getByRole('status', { name: '待付' }).waitFor();
      await page.evaluate(() => {
        (window as unknown as { __paidAt: number | null }).__paidAt = null;
      });
      const code = walletCode('01');
      // The code first, then the suffix byte on its own: the clock starts with the byte that completes the scan.
      await rig.writeScanner(code);
      const start = Date.now();
      await rig.writeScanner('\r');
      await page.waitForFunction(() => (window as unknown as { __paidAt: number | null }).__paidAt !== null, undefined, { timeout: 30_000 });
      const paidAt = await page.evaluate(() => (window as unknown as { __paidAt: number }).__paidAt);
      samples.push(paidAt - start);
      await page.keyboard.press('Enter');
      await page.getByRole('status', { name: '应收金额' }).filter({ hasText: '￥0.00' }).waitFor();
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const result = { runs: sorted.length, minMs: sorted[0], medianMs: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: sorted.at(-1) };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await browser.close();
    await rig.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
