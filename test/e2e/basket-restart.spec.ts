/**
 * Issue 21's three timelines, through the web host, asserting what the cashier sees at each step: the counter
 * process is SIGKILLed while a native QR is on the customer display and started again on the same data directory
 * (its database and the embedded sandbox's ledger survive; the sandbox comes back on a new port).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as base, type Page } from 'playwright/test';
import { startWebHostProcess, type WebHostProcess } from '../helpers/web-host-process';
import { decodeQrImage, shot, signIn } from './cashier-harness';

interface Counter {
  dataDir: string;
  host: WebHostProcess | null;
  /** Starts (again) the web host on the same data directory; `clockOffsetMs` moves its clock (and the sandbox's). */
  start(clockOffsetMs?: number): Promise<WebHostProcess>;
  /** SIGKILL, as a crash or a pulled plug. */
  kill(): Promise<void>;
  /** The sandbox's customer pays a QR, at once or `delayMs` later (on the sandbox's clock, kept in its ledger). */
  customerPay(codeUrl: string, delayMs?: number): Promise<void>;
}

const test = base.extend<{ counter: Counter }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
  counter: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-basket-e2e-'));
    const counter: Counter = {
      dataDir,
      host: null,
      async start(clockOffsetMs = 0) {
        const before = process.env.POS_CLOCK_OFFSET_MS;
        process.env.POS_CLOCK_OFFSET_MS = String(clockOffsetMs);
        try {
          counter.host = await startWebHostProcess(['--sandbox'], dataDir);
        } finally {
          if (before === undefined) delete process.env.POS_CLOCK_OFFSET_MS;
          else process.env.POS_CLOCK_OFFSET_MS = before;
        }
        return counter.host;
      },
      async kill() {
        const host = counter.host;
        if (!host) return;
        process.kill(host.pid, 'SIGKILL');
        await expect.poll(() => isRunning(host.pid)).toBe(false);
        counter.host = null;
      },
      async customerPay(codeUrl, delayMs = 0) {
        const answer = await sandboxPost(dataDir, '/sandbox/customer/pay', { code_url: codeUrl, delay_ms: delayMs });
        expect(answer.status, answer.body).toBe(200);
      },
    };
    await use(counter);
    await counter.host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

test.use({ viewport: { width: 1024, height: 768 } });

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The embedded sandbox of the host now running: its newest URL in the app log, its CA from its identity file. */
function sandboxPost(dataDir: string, path: string, body: unknown): Promise<{ status: number; body: string }> {
  const line = readFileSync(join(dataDir, 'logs', 'app.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('using the embedded sandbox'))
    .at(-1);
  const url = (JSON.parse(line ?? '{}') as { url?: string }).url ?? '';
  const ca = (JSON.parse(readFileSync(join(dataDir, 'sandbox', 'identity.json'), 'utf8')) as { caCertPem: string }).caCertPem;
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, url), { method: 'POST', ca, agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const amountDue = (page: Page) => page.getByRole('status', { name: '应收金额' });
const paymentStatus = (page: Page) => page.getByTestId('payment-status');

/** The cashier rings ¥23.45 and shows a QR; returns the code_url the customer display shows. */
async function showQr(page: Page, display: Page, host: WebHostProcess): Promise<string> {
  await display.goto(host.urls.display);
  await page.goto(host.urls.cashier);
  await signIn(page);
  await page.keyboard.type('23.45');
  await expect(amountDue(page)).toHaveText('￥23.45');
  await page.keyboard.press('F2');
  await expect(paymentStatus(page)).toContainText('请顾客扫码支付');
  const qr = display.getByRole('img', { name: '请使用微信扫码支付' });
  await expect(qr).toBeVisible();
  const codeUrl = await decodeQrImage(qr);
  expect(codeUrl).toMatch(/^weixin:\/\//);
  return codeUrl ?? '';
}

/** After the restart: the windows load the new host (new port and token) and the cashier signs in again. */
async function reopen(page: Page, display: Page, host: WebHostProcess): Promise<void> {
  await display.goto(host.urls.display);
  await page.goto(host.urls.cashier);
  await signIn(page);
}

test('killed while the customer is paying: after restart the QR sale is back on both screens, and the payment completes it', async ({ browser, page, counter }) => {
  const display = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const codeUrl = await showQr(page, display, await counter.start());
  await counter.kill();

  await reopen(page, display, await counter.start());
  // Not an empty counter: the same sale, its QR and countdown, before anything new can be rung.
  await expect(paymentStatus(page)).toContainText('请顾客扫码支付');
  await expect(paymentStatus(page)).toContainText('￥23.45');
  await expect(page.getByRole('button', { name: /取消二维码/ })).toBeVisible();
  const qr = display.getByRole('img', { name: '请使用微信扫码支付' });
  await expect(qr).toBeVisible();
  expect(await decodeQrImage(qr)).toBe(codeUrl);
  await shot(page, 'basket-01-restored-qr');

  await counter.customerPay(codeUrl);
  await expect(paymentStatus(page)).toContainText('支付成功', { timeout: 20_000 });
  await expect(display.getByText('支付成功')).toBeVisible();
  await expect(page.getByTestId('payment-alert-dialog')).toHaveCount(0);
  await expect(amountDue(page)).toHaveText('￥0.00', { timeout: 10_000 });
  await display.close();
});

test('the customer pays while the counter is down: after restart the sale comes back paid, no alert', async ({ browser, page, counter }) => {
  const display = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const codeUrl = await showQr(page, display, await counter.start());
  // The phone finishes 2 s from now; the counter dies at once and stays down past that moment.
  await counter.customerPay(codeUrl, 2_000);
  await counter.kill();
  await new Promise((r) => setTimeout(r, 3_000));

  await reopen(page, display, await counter.start());
  await expect(paymentStatus(page)).toContainText('支付成功', { timeout: 20_000 });
  await expect(paymentStatus(page)).toContainText('￥23.45');
  await shot(page, 'basket-02-paid-while-down');
  await expect(page.getByTestId('payment-alert-dialog')).toHaveCount(0);
  await expect(page.getByTestId('payment-alerts-pending')).toHaveCount(0);
  await expect(amountDue(page)).toHaveText('￥0.00', { timeout: 10_000 });
  await display.close();
});

test('down past the QR expiry: after restart the order is closed and the sale is voided with the reason, the counter free', async ({ browser, page, counter }) => {
  const display = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await showQr(page, display, await counter.start());
  await counter.kill();

  // Six minutes later (the QR lives 5 min 40 s).
  await reopen(page, display, await counter.start(6 * 60_000));
  await expect(page.getByRole('status').filter({ hasText: '已作废' })).toContainText('收款在收银机关闭期间已过期', { timeout: 20_000 });
  await expect(amountDue(page)).toHaveText('￥0.00');
  await shot(page, 'basket-03-expired-voided');
  // The basket can be rung again at once.
  await page.keyboard.type('23.45');
  await expect(amountDue(page)).toHaveText('￥23.45');
  await display.close();
});
