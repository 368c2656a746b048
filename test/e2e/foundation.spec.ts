import { expect, test } from 'playwright/test';
import { startWebHostProcess, type WebHostProcess } from '../helpers/web-host-process';
import { signIn } from './cashier-harness';

let host: WebHostProcess;

test.beforeAll(async () => {
  host = await startWebHostProcess(['--sandbox']);
});

test.afterAll(async () => {
  await host.stop();
});

test('the cashier page opens in Chinese and shows the sandbox marker', async ({ page }) => {
  await page.goto(host.urls.cashier);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { name: '收银员登录' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '沙箱' })).toBeVisible();
  await signIn(page);
  await expect(page.getByText('应收金额')).toBeVisible();
});

test('an amount typed at the cashier arrives on the customer display as an event from the main side', async ({ browser }) => {
  const context = await browser.newContext();
  const cashier = await context.newPage();
  const display = await context.newPage();
  await display.goto(host.urls.display);
  await expect(display.getByText('欢迎光临')).toBeVisible();
  await cashier.goto(host.urls.cashier);
  await signIn(cashier);
  await cashier.keyboard.type('12.5');
  await expect(cashier.getByTestId('amount')).toHaveText('￥12.50');
  await expect(display.getByTestId('display-amount')).toHaveText('￥12.50');
  await cashier.keyboard.press('Escape');
  await expect(display.getByText('欢迎光临')).toBeVisible();
  await context.close();
});

test("switching the cashier window to English leaves the customer display in its own language", async ({ browser }) => {
  const context = await browser.newContext();
  const cashier = await context.newPage();
  const display = await context.newPage();
  await cashier.goto(host.urls.cashier);
  await display.goto(host.urls.display);
  await cashier.keyboard.press('F12');
  await expect(cashier.getByRole('heading', { name: 'Cashier sign-in' })).toBeVisible();
  // Language is per window (issue 18): the display follows its own setting, not the cashier's F12.
  await expect(display.getByText('欢迎光临')).toBeVisible();
  await cashier.getByRole('button', { name: 'Language' }).click();
  await expect(cashier.getByRole('heading', { name: '收银员登录' })).toBeVisible();
  await context.close();
});

test("the customer display's URL opens neither the manager's nor the cashier's window", async ({ page, request }) => {
  for (const window of ['manager', 'cashier']) {
    expect((await request.get(`${host.origin}/${window}?token=${host.tokens.display}`)).status()).toBe(403);
  }
  await page.goto(host.urls.display);
  await expect(page.getByText('欢迎光临')).toBeVisible();
});

test('a page request without the token is refused', async ({ request }) => {
  const response = await request.get(`${host.origin}/cashier`);
  expect(response.status()).toBe(403);
  const wrong = await request.get(`${host.origin}/cashier?token=not-the-token`);
  expect(wrong.status()).toBe(403);
});
