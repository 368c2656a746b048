/**
 * What a cashier tripped over in a day's use (issue 18, the counter): messages that outlived the step they were
 * about, the Enter the paid screen asks for landing on an empty sale, and 开班 by denomination. Driven by visible
 * labels and keys only, against the built web host with the embedded sandbox, a serial scanner (socat pty pair)
 * and the printer emulator.
 */
import { expect, test as base, type Page } from 'playwright/test';
import { signIn, startCounterRig, walletCode, type CounterRig } from './cashier-harness';

const test = base.extend<{ rig: CounterRig }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
  rig: async ({}, use) => {
    const rig = await startCounterRig();
    await use(rig);
    await rig.stop();
  },
});

test.use({ viewport: { width: 1024, height: 768 } });

const amountDue = (page: Page) => page.getByRole('status', { name: '应收金额' });
const paymentStatus = (page: Page) => page.getByTestId('payment-status');
const messageBar = (page: Page) => page.locator('.message-bar');

async function openCounter(page: Page, rig: CounterRig): Promise<void> {
  await page.goto(rig.host.urls.cashier);
  await signIn(page);
  await expect(amountDue(page)).toHaveText('￥0.00');
}

test('the Enter the paid screen asks for is harmless after the sale cleared itself', async ({ page, rig }) => {
  await openCounter(page, rig);
  await page.keyboard.type('5');
  await expect(amountDue(page)).toHaveText('￥5.00');
  await rig.scanSerial(walletCode('01'));
  await expect(paymentStatus(page)).toContainText('支付成功');
  await expect(page.getByRole('button', { name: /下一单/ })).toBeVisible();
  // The cashier is slower than the paid screen: it has cleared itself when the Enter lands.
  await expect(amountDue(page)).toHaveText('￥0.00', { timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(amountDue(page)).toHaveText('￥0.00');
  await expect(messageBar(page)).toHaveText('');
  // The next sale starts as usual.
  await page.keyboard.type('3');
  await expect(amountDue(page)).toHaveText('￥3.00');
});

test('a refusal belongs to its step: it goes when the cashier opens the drawer, and does not come back', async ({ page, rig }) => {
  await openCounter(page, rig);
  // F1 on an empty cart still says why nothing happened.
  await page.keyboard.press('F1');
  await expect(page.getByRole('alert')).toHaveText('请先输入金额或选择商品');
  await page.keyboard.press('F7');
  const drawer = page.getByRole('dialog', { name: '开钱箱' });
  await expect(drawer).toBeVisible();
  await expect(messageBar(page).getByText('请先输入金额或选择商品')).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(messageBar(page)).toHaveText('');
});

test('an unknown item barcode notice goes when the sale moves on to a QR payment', async ({ page, rig }) => {
  await openCounter(page, rig);
  await rig.scanSerial('6901234567892');
  await expect(messageBar(page)).toContainText('商品条码 6901234567892 未登记');
  await page.keyboard.type('20');
  await expect(amountDue(page)).toHaveText('￥20.00');
  await page.keyboard.press('F2');
  await expect(paymentStatus(page)).toContainText('请顾客扫码支付');
  await expect(messageBar(page)).not.toContainText('未登记');
});

test('开班 by denomination: F1 opens the shift from any row, without an Enter per row', async ({ page, rig }) => {
  await page.goto(rig.host.urls.cashier);
  await expect(page.getByRole('heading', { name: '收银员登录' })).toBeVisible();
  await page.keyboard.type('1111');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '开班' })).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByRole('textbox', { name: '￥100 的数量' })).toBeFocused();
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await page.keyboard.type('2');
  await expect(page.getByTestId('count-total')).toHaveText('￥400.00');
  await expect(page.getByRole('button', { name: /开班/ })).toContainText('F1');
  await page.keyboard.press('F1');
  await expect(page.getByRole('navigation', { name: '功能键' })).toBeVisible();
  await expect(messageBar(page)).toContainText('已开班，备用金 ￥400.00');
});

test('cash in offers the reasons money comes in for, and its notice shows once the dialog has closed', async ({ page, rig }) => {
  await openCounter(page, rig);
  await page.keyboard.press('F10');
  await expect(page.getByRole('dialog', { name: '班次' })).toBeVisible();
  await page.keyboard.press('F1');
  const cashIn = page.getByRole('dialog', { name: '现金存入' });
  await expect(cashIn.getByLabel('金额', { exact: true })).toBeFocused();
  await expect(cashIn.getByRole('group', { name: '常用原因' }).getByRole('button')).toHaveText([/^补充零钱/]);
  await page.keyboard.type('50');
  await page.keyboard.press('F5');
  await expect(cashIn.getByLabel('原因', { exact: true })).toHaveValue('补充零钱');
  await page.keyboard.press('Enter');
  await expect(cashIn).toBeHidden();
  await expect(messageBar(page)).toContainText('￥50.00');
});

test('a refund of a cash + WeChat sale names each part’s tender, asks to hand back the cash, and the sale reads as refunded', async ({ page, rig }) => {
  await openCounter(page, rig);
  await page.keyboard.type('88');
  await page.keyboard.press('F3');
  const cash = page.getByRole('dialog', { name: '现金收款' });
  await cash.getByLabel(/本次现金金额/).fill('50');
  await cash.getByLabel('顾客付款').fill('50');
  await page.keyboard.press('Enter');
  await expect(cash).toBeHidden();
  await rig.scanSerial(walletCode('01'));
  await expect(paymentStatus(page)).toContainText('支付成功');
  await page.keyboard.press('Enter');
  await expect(amountDue(page)).toHaveText('￥0.00');

  await page.keyboard.press('F5');
  const recent = page.getByRole('dialog', { name: '最近交易' });
  const detail = recent.getByTestId('sale-detail');
  await expect(detail).toContainText('￥88.00 · 已付款');
  const pulses = rig.pulseCount();
  await refund(page, '40');
  await expect(recent.getByRole('status').filter({ hasText: /退款已/ })).toContainText('微信退款 ￥38.00');
  await expect(recent.getByRole('status').filter({ hasText: /退款已/ })).toContainText('现金退款 ￥2.00');
  await expect(recent.getByTestId('refund-hand-back')).toHaveText('请退还顾客现金 ￥2.00（钱箱已打开）');
  await expect(detail).toContainText('￥88.00 · 部分退款');
  await expect.poll(() => rig.pulseCount(), { message: 'the drawer opens for the cash part' }).toBeGreaterThan(pulses);
  // The WeChat part's slip says what is true while online (sent, not "started offline"), and once WeChat confirms
  // it a second slip says 退款成功 (the cash part's slip already did).
  await rig.waitForPrinted('已提交微信支付');
  const printed = (): string => rig.printed().lines.map((l) => l.text).join('\n');
  expect(printed()).not.toContain('离线时发起');
  await expect.poll(() => (printed().match(/退款成功/g) ?? []).length, { timeout: 30_000, message: 'a 退款成功 slip for each part' }).toBe(2);

  await refund(page, '48');
  await expect(recent.getByTestId('refund-hand-back')).toHaveText('请退还顾客现金 ￥48.00（钱箱已打开）');
  await expect(detail).toContainText('￥88.00 · 已退款');
});

async function refund(page: Page, amount: string): Promise<void> {
  await page.keyboard.press('F7');
  const dialog = page.getByRole('dialog', { name: /^退款/ });
  await dialog.getByLabel('退款金额').fill(amount);
  await dialog.getByLabel('店长 PIN').fill('9999');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
}

test('a refund has one number, in one form for its cash and its WeChat part, on the screen and on every slip', async ({ page, rig }) => {
  await openCounter(page, rig);
  await page.keyboard.type('88');
  await page.keyboard.press('F3');
  const cash = page.getByRole('dialog', { name: '现金收款' });
  await cash.getByLabel(/本次现金金额/).fill('50');
  await cash.getByLabel('顾客付款').fill('50');
  await page.keyboard.press('Enter');
  await expect(cash).toBeHidden();
  await rig.scanSerial(walletCode('01'));
  await expect(paymentStatus(page)).toContainText('支付成功');
  await page.keyboard.press('Enter');
  await expect(amountDue(page)).toHaveText('￥0.00');
  await page.keyboard.press('F5');
  const recent = page.getByRole('dialog', { name: '最近交易' });
  await expect(recent.getByTestId('sale-detail')).toContainText('￥88.00 · 已付款');
  await refund(page, '40');
  await rig.waitForPrinted('已提交微信支付');
  await expect.poll(() => (rig.printed().lines.map((l) => l.text).join('\n').match(/退款成功/g) ?? []).length, { timeout: 30_000 }).toBe(2);

  const refundNumber = /^T01[0-9a-z]{8}\d{6}R\d{6}$/;
  const onSlips = rig
    .printed()
    .lines.map((l) => /^退款单号\s+(\S+)$/.exec(l.text.trim())?.[1])
    .filter((no): no is string => no !== undefined);
  // The cash part's slip and the WeChat part's slips (its first one, and 退款成功 when WeChat confirms it).
  expect(onSlips.length).toBeGreaterThanOrEqual(2);
  for (const no of onSlips) expect(no).toMatch(refundNumber);
  expect(new Set(onSlips).size).toBe(2);

  const onScreen = (await recent.locator('.refund-no').allTextContents()).map((text) => text.replace(/^退款单号\s*/, '').trim());
  expect(onScreen.sort()).toEqual([...new Set(onSlips)].sort());
});
