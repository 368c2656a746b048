/**
 * Language is per window (issue 18, item 5): the cashier's F12 switches the cashier window only, and is remembered
 * for that person (the next person starts from the store's default); the manager window has its own; the
 * customer display and the printed slips follow their own settings.
 */
import { expect, test as base } from 'playwright/test';
import { startCounterRig, type CounterRig } from './cashier-harness';

const test = base.extend<{ rig: CounterRig }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
  rig: async ({}, use) => {
    const rig = await startCounterRig();
    await use(rig);
    await rig.stop();
  },
});

test('the cashier switching to English switches neither the manager window, the display nor the receipt, and is remembered for that cashier', async ({ page, rig, browser }) => {
  const display = await browser.newPage();
  const manager = await browser.newPage();
  try {
    await display.goto(rig.host.urls.display);
    await manager.goto(rig.host.urls.manager);
    await manager.getByLabel('店长 PIN').fill('9999');
    await manager.keyboard.press('Enter');
    await expect(manager.getByRole('tab', { name: '商品' })).toBeVisible();

    await page.goto(rig.host.urls.cashier);
    await expect(page.getByRole('heading', { name: '收银员登录' })).toBeVisible();
    await page.keyboard.type('1111');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: '开班' })).toBeVisible();
    await page.keyboard.press('F12');
    await expect(page.getByRole('heading', { name: 'Open shift' })).toBeVisible();
    await page.keyboard.type('100');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('navigation', { name: 'Function keys' })).toBeVisible();

    // The other windows did not move.
    await expect(manager.getByRole('tab', { name: '商品' })).toBeVisible();
    await expect(display.getByText('欢迎光临')).toBeVisible();

    // A cash sale: the receipt is printed in the receipt language (Chinese), not the cashier's.
    await page.keyboard.type('8');
    await page.keyboard.press('F3');
    await expect(page.getByRole('dialog', { name: 'Cash' })).toBeVisible();
    await page.keyboard.press('F3');
    await rig.waitForPrinted('合计');
    const receipt = rig.printed().lines.map((l) => l.text).join('\n');
    expect(receipt).toContain('现金');
    expect(receipt).not.toMatch(/TOTAL|Cash|Receipt/);
    await page.keyboard.press('Enter');

    // Signing out: the sign-in screen is back in the store's default; the same cashier signing in gets English back.
    await page.keyboard.press('F9');
    await expect(page.getByRole('heading', { name: '收银员登录' })).toBeVisible();
    await page.keyboard.type('1111');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('navigation', { name: 'Function keys' })).toBeVisible();

    // The manager window's own switch leaves the cashier's alone, both ways.
    await manager.keyboard.press('F12');
    await expect(manager.getByRole('tab', { name: 'Items' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Function keys' })).toBeVisible();
    await page.keyboard.press('F12');
    await expect(page.getByRole('navigation', { name: '功能键' })).toBeVisible();
    await expect(manager.getByRole('tab', { name: 'Items' })).toBeVisible();
    await expect(display.getByText('欢迎光临')).toBeVisible();
  } finally {
    await display.close();
    await manager.close();
  }
});
