/**
 * Refunding a sale made at another counter of the store, at the cashier (issue 13): the recent-sales screen's
 * "其他收银台" (F9) looks the receipt up at the hub. This counter runs without a hub here, so the cashier must be told
 * that sales from other counters need the hub — whether the receipt number is typed or its QR scanned — and nothing
 * is refunded. Driven by visible labels and keys, against the built web host with the embedded sandbox.
 */
import { expect, test as base, type Page } from 'playwright/test';
import { signIn, startCounterRig, type CounterRig } from './cashier-harness';

const test = base.extend<{ rig: CounterRig }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
  rig: async ({}, use) => {
    const rig = await startCounterRig();
    await use(rig);
    await rig.stop();
  },
});

test.use({ viewport: { width: 1024, height: 768 } });

const HUB_NEEDED = '其他收银台的交易需要连接总部才能查到，请检查网络或联系店长';

async function openCounter(page: Page, rig: CounterRig): Promise<void> {
  await page.goto(rig.host.urls.cashier);
  await signIn(page);
  await expect(page.getByRole('status', { name: '应收金额' })).toHaveText('￥0.00');
}

test("another counter's receipt without a hub: typed or scanned, the cashier is told such sales need the hub", async ({ page, rig }) => {
  await openCounter(page, rig);
  await page.keyboard.press('F5');
  const recent = page.getByRole('dialog', { name: '最近交易' });
  await expect(recent).toBeVisible();
  await recent.getByRole('button', { name: /其他收银台/ }).click();
  const other = page.getByRole('dialog', { name: '其他收银台的小票' });
  await expect(other.getByLabel('原收银台号')).toBeFocused();

  // A receipt number without its counter is refused in words before anything is asked.
  await other.getByLabel('小票号').fill('12');
  await page.keyboard.press('Enter');
  await expect(other.getByRole('status')).toHaveText('请输入原收银台号（字母或数字）和小票号');

  await other.getByLabel('原收银台号').fill('t09');
  await expect(other.getByLabel('原收银台号')).toHaveValue('T09');
  await page.keyboard.press('Enter');
  await expect(other.getByRole('status')).toHaveText(HUB_NEEDED);
  await expect(other.getByRole('button', { name: /微信退款/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(other).toBeHidden();

  // The receipt's QR from another counter, scanned in the recent-sales screen, opens the lookup at once.
  await page.keyboard.type('POSR:T09:12');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: '其他收银台的小票' }).getByRole('status')).toHaveText(HUB_NEEDED);
});
