/**
 * The cashier window at 1024x768, in Chinese and in English (longer words): no container of any state is wider
 * than it is shown and the page never scrolls; every control has an accessible name. Screenshots of each state
 * are kept under test-results/screenshots/.
 */
import { expect, test, type Page } from 'playwright/test';
import { openShiftIfAsked, overflowingContainers, shot, startCounterRig, walletCode, wedgeScan, type CounterRig } from './cashier-harness';

const CONTAINERS = [
  '.cashier',
  '.status-strip',
  '.counter-main',
  '.sale-panel',
  '.pay-column',
  '.tender-buttons',
  '.quick-items',
  '.action-bar',
  '.numpad',
  '.dialog',
  '.dialog-body',
  '.cash-grid',
  '.recent-grid',
  '.payment-status',
];

let rig: CounterRig;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1024, height: 768 } });

test.beforeAll(async () => {
  rig = await startCounterRig();
});

test.afterAll(async () => {
  await rig.stop();
});

async function expectLayoutFits(page: Page, name: string): Promise<void> {
  expect(await overflowingContainers(page, CONTAINERS), name).toEqual([]);
  const strip = await page.locator('.status-strip').boundingBox();
  // The status strip stays one row: the counter keeps its height for the sale.
  expect(strip?.height ?? 0, `${name}: status strip height`).toBeLessThan(60);
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, [role="button"]')]
      .filter((element) => {
        const label = element.getAttribute('aria-label') ?? element.closest('label')?.textContent ?? element.textContent ?? '';
        return label.trim() === '';
      })
      .map((element) => element.outerHTML.slice(0, 80)),
  );
  expect(unnamed, `${name}: controls without a name`).toEqual([]);
  await shot(page, `layout-${name}`);
}

for (const language of ['zh', 'en'] as const) {
  test(`every state fits at 1024x768 (${language})`, async ({ page }) => {
    await page.goto(rig.host.urls.cashier);
    await expect(page.getByRole('heading', { name: '收银员登录' })).toBeVisible();
    if (language === 'en') {
      await page.keyboard.press('F12');
      await expect(page.getByRole('heading', { name: 'Cashier sign-in' })).toBeVisible();
    }
    await expectLayoutFits(page, `${language}-sign-in`);
    if (language === 'en') {
      // Sign in with keys only, in English.
      await page.keyboard.type('1111');
      await page.keyboard.press('Enter');
      await openShiftIfAsked(page);
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    } else {
      await page.keyboard.type('1111');
      await page.keyboard.press('Enter');
      // The first sign-in on this terminal finds no shift open: the 开班 screen must fit too.
      await expect(page.getByRole('heading', { name: '开班' })).toBeVisible();
      await expectLayoutFits(page, `${language}-open-shift`);
      await openShiftIfAsked(page);
    }

    await page.keyboard.type('ABCDEFGHABCD');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.type('++');
    await page.keyboard.type('123.45');
    await expect(page.getByTestId('amount')).toHaveText('￥242.15');
    await expectLayoutFits(page, `${language}-cart`);

    await page.keyboard.press('Enter');
    await expectLayoutFits(page, `${language}-tendering`);

    await page.keyboard.press('F3');
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectLayoutFits(page, `${language}-cash-dialog`);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();

    await wedgeScan(page, walletCode('03'));
    await expect(page.getByTestId('payment-status')).toHaveAttribute('data-state', /user-paying|confirming|sending|queued/);
    await expectLayoutFits(page, `${language}-pending`);

    await page.keyboard.press('F6');
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectLayoutFits(page, `${language}-stuck-dialog`);
    await page.keyboard.press('Escape');

    await page.keyboard.press('F4');
    await expect(page.getByRole('button', { name: '现金' }).or(page.getByRole('button', { name: 'Cash', exact: true }))).toBeEnabled();
    await page.keyboard.press('F3');
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('payment-status')).toHaveAttribute('data-state', 'paid');
    await expectLayoutFits(page, `${language}-paid`);
    await page.keyboard.press('Enter');

    await page.keyboard.press('F5');
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectLayoutFits(page, `${language}-recent-dialog`);
    await page.keyboard.press('Escape');

    if (language === 'en') await page.keyboard.press('F12');
  });
}
