/**
 * The store's item list end to end (issue 6: "scan product barcodes / pick quick items, editable by a manager"):
 * a manager adds an item in the manager window with the manager PIN; the cashier's quick-item buttons follow
 * without a reload; the item's barcode scanned on the real serial scanner (socat pty pair) goes into the cart, a
 * second scan makes it two; the sale is paid in cash and printed. Visible labels and keys only.
 */
import { expect, test as base, type Browser, type Page } from 'playwright/test';
import { DEFAULT_LINE_ASSEMBLER_OPTIONS } from '../../electron/devices/scanner/line-assembler';
import { overflowingContainers, shot, signIn, startCounterRig, type CounterRig } from './cashier-harness';

const test = base.extend<{ rig: CounterRig }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
  rig: async ({}, use) => {
    const rig = await startCounterRig();
    await use(rig);
    await rig.stop();
  },
});

test.use({ viewport: { width: 1024, height: 768 } });

const YOGURT_BARCODE = '6909999000017';
const amountDue = (page: Page) => page.getByRole('status', { name: '应收金额' });
const quickItems = (page: Page) => page.getByRole('group', { name: '快捷商品' });

/** The manager window in its own browser context (its own connection and sign-in), on the 商品 tab. */
async function openManagerItems(browser: Browser, rig: CounterRig): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const manager = await context.newPage();
  await manager.goto(rig.host.urls.manager);
  await manager.getByLabel('店长 PIN').fill('9999');
  await manager.keyboard.press('Enter');
  await manager.getByRole('tab', { name: '商品' }).click();
  await expect(manager.getByRole('table', { name: '商品' })).toContainText('矿泉水');
  return manager;
}

async function addItem(manager: Page, fields: { name: string; barcode: string; price: string }, pin = '9999'): Promise<void> {
  await manager.getByRole('button', { name: '新增商品' }).click();
  const form = manager.getByRole('form', { name: '新增商品' });
  await form.getByLabel('名称').fill(fields.name);
  await form.getByLabel('条码').fill(fields.barcode);
  await form.getByLabel('价格（元）').fill(fields.price);
  await form.getByLabel('店长 PIN（授权）').fill(pin);
  await form.getByRole('button', { name: '保存商品' }).click();
}

test('a manager adds an item; the counter shows it at once, sells it by serial scan (twice → 2) and takes cash', async ({ browser, page, rig }) => {
  await page.goto(rig.host.urls.cashier);
  await signIn(page);
  // The sandbox starts with the demo items (live installs start empty).
  await expect(quickItems(page).getByRole('button')).toHaveCount(8);
  await expect(quickItems(page).getByRole('button').first()).toHaveAccessibleName('添加 矿泉水');

  const manager = await openManagerItems(browser, rig);
  expect(await overflowingContainers(manager, ['.mgr-panel', '.mgr-table', '.mgr-tabs', '.header-bar'])).toEqual([]);
  await addItem(manager, { name: '酸奶', barcode: YOGURT_BARCODE, price: '6.5' });
  await expect(manager.getByText('已保存：酸奶')).toBeVisible();
  const row = manager.getByRole('row').filter({ hasText: '酸奶' });
  await expect(row).toContainText('￥6.50');
  await expect(row).toContainText(YOGURT_BARCODE);
  await shot(manager, 'items-01-manager-list');

  // The same barcode again is refused in words, and nothing is added.
  await addItem(manager, { name: '另一种酸奶', barcode: YOGURT_BARCODE, price: '7' });
  await expect(manager.getByRole('alert')).toContainText(`条码 ${YOGURT_BARCODE} 已用于商品「酸奶」`);
  await expect(manager.getByRole('row').filter({ hasText: '另一种酸奶' })).toHaveCount(0);

  // The new item takes the first free key (I), without a reload; every other key keeps its item, and the cashier
  // is told what changed on the keys.
  await expect(quickItems(page).getByRole('button')).toHaveCount(9);
  await expect(quickItems(page).getByRole('button').first()).toHaveAccessibleName('添加 矿泉水');
  await expect(quickItems(page).getByRole('button', { name: '添加 可乐' })).toHaveAttribute('aria-keyshortcuts', 'B');
  await expect(quickItems(page).getByRole('button', { name: '添加 酸奶' })).toHaveAttribute('aria-keyshortcuts', 'I');
  await expect(page.getByText('店长调整了快捷键：I 酸奶')).toBeVisible();
  await expect(row).toContainText('I');

  await rig.scanSerial(YOGURT_BARCODE);
  await expect(page.getByRole('status', { name: '酸奶 数量' })).toHaveText('1');
  await expect(amountDue(page)).toHaveText('￥6.50');
  // The same code again within 1.5 s is the scanner repeating itself (line-assembler.ts's dedupe window), not a
  // second item: a cashier scanning a second pot of yogurt does so later than that.
  await page.waitForTimeout(DEFAULT_LINE_ASSEMBLER_OPTIONS.dedupeWindowMs + 300);
  await rig.scanSerial(YOGURT_BARCODE);
  await expect(page.getByRole('status', { name: '酸奶 数量' })).toHaveText('2');
  await expect(amountDue(page)).toHaveText('￥13.00');
  await expect(page.getByRole('list', { name: '商品明细' }).getByRole('listitem')).toHaveCount(1);

  // A barcode the list does not know is said in words, not added.
  await rig.scanSerial('4006381333931');
  await expect(page.getByText('商品条码 4006381333931 未登记')).toBeVisible();
  await expect(amountDue(page)).toHaveText('￥13.00');
  await shot(page, 'items-02-cart-from-scans');

  await page.keyboard.press('F3');
  const cash = page.getByRole('dialog', { name: '现金收款' });
  await expect(cash).toBeVisible();
  await page.keyboard.type('20');
  await expect(cash.getByText('找零 ￥7.00')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-status')).toContainText('支付成功');

  // While this sale is being shown (paid), the receipt names the item and the quantity.
  await rig.waitForPrinted('找零');
  const printed = rig.printed().lines.map((l) => l.text).join('\n');
  expect(printed).toContain('酸奶');
  expect(printed).toMatch(/13\.00/);
  await page.keyboard.press('Enter');
  await expect(amountDue(page)).toHaveText('￥0.00');
  await manager.context().close();
});

test('a product scanned while a payment is being taken is refused in words, and the sale stays as it was', async ({ page, rig }) => {
  await page.goto(rig.host.urls.cashier);
  await signIn(page);
  await rig.scanSerial('6901234560011');
  await expect(page.getByRole('status', { name: '矿泉水 数量' })).toHaveText('1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-status')).toBeVisible();
  await rig.scanSerial('6901234560028');
  await expect(page.getByText('正在收款，不能添加「可乐」')).toBeVisible();
  await page.keyboard.press('F3');
  const cash = page.getByRole('dialog', { name: '现金收款' });
  await expect(cash).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-status')).toContainText('支付成功');
  await expect(page.getByTestId('payment-status')).toContainText('￥2.00');
});

test('a manager moves an item onto a held key: the two swap, every other key stays, and the counter says so', async ({ browser, page, rig }) => {
  await page.goto(rig.host.urls.cashier);
  await signIn(page);
  await expect(quickItems(page).getByRole('button', { name: '添加 拿铁' })).toHaveAttribute('aria-keyshortcuts', 'D');

  const manager = await openManagerItems(browser, rig);
  await manager.getByRole('button', { name: '编辑商品：拿铁' }).click();
  const form = manager.getByRole('form', { name: '编辑商品：拿铁' });
  await form.getByLabel('快捷键').selectOption({ label: 'A（现为 矿泉水，将互换）' });
  await form.getByLabel('店长 PIN（授权）').fill('9999');
  await form.getByRole('button', { name: '保存商品' }).click();
  await expect(manager.getByText('已保存：拿铁')).toBeVisible();

  await expect(quickItems(page).getByRole('button', { name: '添加 拿铁' })).toHaveAttribute('aria-keyshortcuts', 'A');
  await expect(quickItems(page).getByRole('button', { name: '添加 矿泉水' })).toHaveAttribute('aria-keyshortcuts', 'D');
  await expect(quickItems(page).getByRole('button', { name: '添加 可乐' })).toHaveAttribute('aria-keyshortcuts', 'B');
  await expect(page.getByText('店长调整了快捷键：A 拿铁、D 矿泉水')).toBeVisible();
  // The letter adds the item the key holds now.
  await page.keyboard.type('a');
  await expect(page.getByRole('status', { name: '拿铁 数量' })).toHaveText('1');
  await manager.context().close();
});
