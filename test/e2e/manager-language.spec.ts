/**
 * The manager window's language key (issue 18): its button says F12, so F12 switches the language there too.
 */
import { expect, test } from 'playwright/test';
import { startWebHostProcess, type WebHostProcess } from '../helpers/web-host-process';

let host: WebHostProcess;

test.beforeAll(async () => {
  host = await startWebHostProcess(['--sandbox']);
});

test.afterAll(async () => {
  await host.stop();
});

test('F12 in the manager window switches the language, as its button says, and back', async ({ page }) => {
  await page.goto(host.urls.manager);
  await page.getByLabel('店长 PIN').fill('9999');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: '商品' })).toBeVisible();
  await expect(page.getByRole('button', { name: /语言|Language/ })).toContainText('F12');
  await page.keyboard.press('F12');
  await expect(page.getByRole('tab', { name: 'Items' })).toBeVisible();
  await page.keyboard.press('F12');
  await expect(page.getByRole('tab', { name: '商品' })).toBeVisible();
});
