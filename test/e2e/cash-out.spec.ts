/**
 * Cash out at the counter (issue 17, finding 8), driven by keys as a cashier would: taking out more than the drawer
 * holds asks for the manager's PIN in the same dialog, a cashier's own PIN is refused, and the drawer opens only
 * once the movement was approved.
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

test.use({ viewport: { width: 1024, height: 768 } });

test('a cash-out above what the drawer holds needs the manager PIN, and only then opens the drawer', async ({ page, rig }) => {
  await page.goto(rig.host.urls.cashier);
  await expect(page.getByRole('heading', { name: '收银员登录' })).toBeVisible();
  await page.keyboard.type('1111');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '开班' })).toBeVisible();
  await page.keyboard.type('493');
  await page.keyboard.press('Enter');
  await expect(page.locator('.message-notice')).toContainText('已开班，备用金 ￥493.00');

  const pulses = rig.pulseCount();
  await page.keyboard.press('F10');
  await expect(page.getByRole('dialog', { name: '班次' })).toBeVisible();
  await page.keyboard.press('F2');
  const cashOut = page.getByRole('dialog', { name: '现金取出' });
  await expect(cashOut.getByLabel('金额', { exact: true })).toBeFocused();
  await page.keyboard.type('5000');
  await page.keyboard.press('F6');
  await page.keyboard.press('Enter');

  // Refused without a manager: the dialog asks for the PIN, the drawer stays shut, the expected cash is not shown.
  await expect(cashOut.getByRole('alert')).toContainText('需要店长授权');
  await expect(cashOut).not.toContainText('493');
  const pin = cashOut.getByLabel('店长 PIN');
  await expect(pin).toBeFocused();
  await page.keyboard.type('1111');
  await page.keyboard.press('Enter');
  await expect(cashOut.getByRole('alert')).toHaveText('店长 PIN 错误');
  await expect(cashOut).toBeVisible();
  expect(rig.pulseCount()).toBe(pulses);

  await pin.fill('');
  await page.keyboard.type('9999');
  await page.keyboard.press('Enter');
  await expect(cashOut).toBeHidden();
  await expect(page.locator('.message-notice')).toContainText('已取出 ￥5000.00');
  await expect.poll(() => rig.pulseCount(), { message: 'drawer pulse for the approved cash-out' }).toBe(pulses + 1);
});
