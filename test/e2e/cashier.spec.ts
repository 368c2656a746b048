/**
 * The cashier's main paths (issue 6, "Done when"), driven as a cashier would: visible labels and keys only,
 * against the built web host with the embedded sandbox, a real serial scanner (socat pty pair) and the TCP
 * printer emulator. Every test gets its own app (one terminal, one counter), started and stopped by PID.
 */
import { expect, test as base, type Page } from 'playwright/test';
import { decodeQrImage, shot, signIn, startCounterRig, walletCode, wedgeScan, type CounterRig } from './cashier-harness';

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

async function openCounter(page: Page, rig: CounterRig): Promise<void> {
  await page.goto(rig.host.urls.cashier);
  await signIn(page);
  await expect(amountDue(page)).toHaveText('￥0.00');
}

/** Records what the page asks the browser's speech synthesis to say (the announcement after a WeChat payment). */
async function recordSpeech(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const spoken: string[] = [];
    Object.defineProperty(window, '__spoken', { value: spoken });
    Object.defineProperty(window, 'speechSynthesis', {
      value: { speak: (u: SpeechSynthesisUtterance) => spoken.push(`${u.lang}:${u.text}`), cancel: () => undefined },
    });
  });
}

const spoken = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);

test('numpad amount, a serial scan of a paying code: paid, announced, receipt printed, sale cleared', async ({ page, rig }) => {
  await recordSpeech(page);
  await openCounter(page, rig);
  const numpad = page.getByRole('group', { name: '数字键盘' });
  for (const key of ['1', '2', '.', '5']) await numpad.getByRole('button', { name: key, exact: true }).click();
  await expect(amountDue(page)).toHaveText('￥12.50');
  await shot(page, 'cashier-01-amount');

  await rig.scanSerial(walletCode('01'));
  await expect(paymentStatus(page)).toContainText('支付成功');
  await shot(page, 'cashier-02-paid');
  await expect.poll(() => spoken(page)).toEqual(['zh-CN:微信收款 12.50 元']);

  await rig.waitForPrinted('小票号');
  const receipt = rig.printed();
  expect(receipt.lines.map((l) => l.text).join('\n')).toMatch(/合计.*12\.50/);
  expect(receipt.qrs[0]?.payload).toMatch(/^POSR:T01:\d+$/);
  expect(receipt.cuts.length).toBeGreaterThan(0);
  // Cleared by itself after 支付成功 was shown briefly: the next customer starts at ￥0.00.
  await expect(amountDue(page)).toHaveText('￥0.00', { timeout: 10_000 });
});

test('a password-then-pay code: 等待顾客输入密码, then paid', async ({ page, rig }) => {
  await openCounter(page, rig);
  await page.keyboard.type('8.8');
  await expect(amountDue(page)).toHaveText('￥8.80');
  await page.keyboard.press('F1');
  await expect(page.getByRole('textbox', { name: /付款码/ })).toBeFocused();
  await shot(page, 'cashier-03-waiting-for-code');
  await wedgeScan(page, walletCode('02', 6));
  await expect(paymentStatus(page)).toContainText('等待顾客输入密码');
  await shot(page, 'cashier-04-userpaying');
  await expect(paymentStatus(page)).toContainText('支付成功', { timeout: 30_000 });
  await page.keyboard.press('Enter');
  await expect(amountDue(page)).toHaveText('￥0.00');
});

test('a payment code typed by hand when the scanner fails; the sale found again by its receipt number', async ({ page, rig }) => {
  await openCounter(page, rig);
  await page.keyboard.type('3.5');
  await expect(amountDue(page)).toHaveText('￥3.50');
  await page.keyboard.press('Enter');
  const field = page.getByRole('textbox', { name: /付款码/ });
  await expect(field).toBeFocused();
  await field.fill('1234');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('不是微信付款码，请让顾客出示微信付款码');
  await field.fill(walletCode('01'));
  await page.keyboard.press('Enter');
  await expect(paymentStatus(page)).toContainText('支付成功');
  await page.keyboard.press('Enter');
  await expect(amountDue(page)).toHaveText('￥0.00');

  await page.keyboard.press('F5');
  const recent = page.getByRole('dialog', { name: '最近交易' });
  await recent.getByLabel('小票号').fill('1');
  await page.keyboard.press('Enter');
  await expect(recent.getByTestId('sale-detail')).toContainText('小票 1 · ￥3.50 · 已付款');
  await recent.getByLabel('小票号').fill('999');
  await page.keyboard.press('Enter');
  await expect(recent.getByText('未找到小票 999')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(recent).toBeHidden();
});

test('a never-paying code is reversed: 已撤销, no money taken, and it shows in the stuck list meanwhile', async ({ page, rig }) => {
  test.setTimeout(150_000);
  await openCounter(page, rig);
  await page.keyboard.type('6');
  await expect(amountDue(page)).toHaveText('￥6.00');
  await page.keyboard.press('Enter');
  await expect(paymentStatus(page)).toContainText('请扫描顾客付款码');
  await wedgeScan(page, walletCode('03'));
  await expect(paymentStatus(page)).toContainText('等待顾客输入密码');

  await page.keyboard.press('F6');
  const stuck = page.getByRole('dialog', { name: '待处理付款' });
  await expect(stuck.getByRole('cell', { name: '等待顾客输入密码' })).toBeVisible();
  await expect(stuck.getByRole('cell', { name: /自动查询支付结果；\d+ 秒内未确认将自动撤销/ })).toBeVisible();
  await shot(page, 'cashier-05-stuck-list');
  await page.keyboard.press('Escape');
  await expect(stuck).toBeHidden();

  await expect(paymentStatus(page)).toContainText('已撤销', { timeout: 90_000 });
  await expect(paymentStatus(page)).toContainText('请重新扫码，或按 F2 / F3 改用其他方式');
  await shot(page, 'cashier-06-revoked');
  await page.keyboard.press('F8');
  await expect(amountDue(page)).toHaveText('￥0.00');
});

test('native QR on the customer display, paid through the sandbox customer', async ({ browser, page, rig }) => {
  const display = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await display.goto(rig.host.urls.display);
  await openCounter(page, rig);
  await page.keyboard.type('20');
  await page.keyboard.press('F2');
  await expect(paymentStatus(page)).toContainText('请顾客扫码支付');
  await shot(page, 'cashier-07-qr');

  const qr = display.getByRole('img', { name: '请使用微信扫码支付' });
  await expect(qr).toBeVisible();
  const codeUrl = await decodeQrImage(qr);
  const order = (await rig.listOrders()).find((o) => o.codeUrl !== null);
  expect(codeUrl).toBe(order?.codeUrl);
  await rig.customerPay(codeUrl ?? '');
  await expect(paymentStatus(page)).toContainText('支付成功', { timeout: 20_000 });
  await expect(display.getByText('支付成功')).toBeVisible();
  await display.close();
});

/** The API methods the page calls over its WebSocket to the web host, in order. */
function recordCalls(page: Page): string[] {
  const methods: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      const message = typeof payload === 'string' ? (JSON.parse(payload) as { type?: string; method?: string }) : {};
      if (message.type === 'call' && message.method) methods.push(message.method);
    }),
  );
  return methods;
}

test('cash with change: the change is shown big and the drawer opens', async ({ page, rig }) => {
  const calls = recordCalls(page);
  await openCounter(page, rig);
  await page.keyboard.type('12.5');
  await page.keyboard.press('F3');
  const cash = page.getByRole('dialog', { name: '现金收款' });
  await expect(cash).toBeVisible();
  await expect(cash.getByLabel('顾客付款')).toBeFocused();
  await page.keyboard.type('20');
  await expect(cash.getByText('找零 ￥7.50')).toBeVisible();
  await shot(page, 'cashier-08-cash-dialog');
  await page.keyboard.press('Enter');
  await expect(paymentStatus(page)).toContainText('支付成功');
  await expect(paymentStatus(page)).toContainText('找零 ￥7.50');
  // The sale and its cash went to the main side as one call (one commit), not a checkout and then the cash.
  expect(calls.filter((m) => m === 'payment.cashSale' || m === 'sale.checkout' || m === 'payment.cash')).toEqual(['payment.cashSale']);
  await shot(page, 'cashier-09-cash-paid');
  await rig.waitForPrinted('找零');
  // The drawer pulse is its own print job: it may arrive just after the receipt.
  await expect.poll(() => rig.pulseCount(), { message: 'drawer pulse' }).toBeGreaterThan(0);
  await page.keyboard.press('Enter');
  await expect(amountDue(page)).toHaveText('￥0.00');
});

test('split tender: part in cash, the rest by a WeChat payment code', async ({ page, rig }) => {
  await openCounter(page, rig);
  await page.keyboard.type('30');
  await page.keyboard.press('F3');
  const cash = page.getByRole('dialog', { name: '现金收款' });
  await cash.getByLabel(/本次现金金额/).fill('10');
  await cash.getByLabel('顾客付款').fill('10');
  await page.keyboard.press('Enter');
  await expect(cash).toBeHidden();
  await expect(paymentStatus(page)).toContainText('已收 ￥10.00，还需 ￥20.00');
  await expect(page.getByRole('status', { name: '待付' })).toHaveText('￥20.00');
  await shot(page, 'cashier-10-split-part-paid');
  await rig.scanSerial(walletCode('01'));
  await expect(paymentStatus(page)).toContainText('支付成功');
  await rig.waitForPrinted('微信支付');
  await rig.waitForPrinted('现金');
});

test('a sale during an outage: queued code with a countdown, QR hidden, cash still works', async ({ page, rig }) => {
  await openCounter(page, rig);
  await rig.addFault({ kind: 'outage', durationMs: 120_000 });
  await page.keyboard.type('9.9');
  await expect(amountDue(page)).toHaveText('￥9.90');
  await page.keyboard.press('Enter');
  await expect(paymentStatus(page)).toContainText('请扫描顾客付款码');
  await wedgeScan(page, walletCode('01'));
  await expect(paymentStatus(page)).toContainText(/网络中断，重试中（剩余 \d+ 秒）/, { timeout: 20_000 });
  await expect(page.getByTestId('status-network')).toContainText('离线');
  await expect(page.getByRole('note').filter({ hasText: '二维码收款不可用' })).toBeVisible();
  await expect(page.getByRole('button', { name: '微信二维码' })).toHaveCount(0);
  await shot(page, 'cashier-11-outage-queued');

  await page.keyboard.press('F4');
  await expect(page.getByRole('button', { name: '现金' })).toBeEnabled();
  await page.keyboard.press('F3');
  await page.keyboard.press('Enter');
  await expect(paymentStatus(page)).toContainText('支付成功');
  await shot(page, 'cashier-12-outage-cash-paid');
});

test('a refund with the manager PIN, found by scanning the receipt QR; reprint', async ({ page, rig }) => {
  await openCounter(page, rig);
  await page.keyboard.type('15');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: '待付' })).toHaveText('￥15.00');
  await rig.scanSerial(walletCode('01'));
  await expect(paymentStatus(page)).toContainText('支付成功');
  await page.keyboard.press('Enter');
  await rig.waitForPrinted('小票号');
  const receiptQr = rig.printed().qrs[0]?.payload ?? '';

  await wedgeScan(page, receiptQr);
  const recent = page.getByRole('dialog', { name: '最近交易' });
  await expect(recent).toBeVisible();
  await expect(recent.getByTestId('sale-detail')).toContainText('￥15.00');
  await shot(page, 'cashier-13-recent-sales');

  await page.keyboard.press('F7');
  const refund = page.getByRole('dialog', { name: /退款/ });
  await refund.getByLabel('退款金额').fill('5');
  await refund.getByLabel('店长 PIN').fill('1111');
  await page.keyboard.press('Enter');
  await expect(refund.getByRole('alert')).toBeVisible();
  await shot(page, 'cashier-14-refund-refused');
  await refund.getByLabel('店长 PIN').fill('9999');
  await page.keyboard.press('Enter');
  await expect(recent.getByRole('status').filter({ hasText: /退款已/ })).toBeVisible();
  await expect(recent.getByTestId('sale-detail').getByText('微信退款 ￥5.00')).toBeVisible();
  await shot(page, 'cashier-15-refunded');
  await rig.waitForPrinted('退款凭证');

  await page.keyboard.press('F8');
  await expect(recent.getByText(/已发送重打/)).toBeVisible();
});

/**
 * Types a PIN and Enter at the sign-in screen and returns the refusal shown. When told to wait a few seconds (the
 * backoff after the third wrong PIN), waits and types it again, as a person would. The field empties when the
 * answer comes, so the alert read is this PIN's answer.
 */
async function typePinAtSignIn(page: Page, pin: string): Promise<string> {
  for (let tries = 0; tries < 10; tries += 1) {
    await page.keyboard.type(pin);
    await page.keyboard.press('Enter');
    await expect(page.locator('.pin-field')).toHaveValue('');
    const text = (await page.getByRole('alert').textContent()) ?? '';
    const wait = /请 (\d+) 秒后再试/.exec(text);
    if (!wait) return text;
    await page.waitForTimeout(Number(wait[1]) * 1000 + 200);
  }
  throw new Error('still told to wait');
}

test('a wrong PIN is refused with the reason, and five lock sign-in', async ({ page, rig }) => {
  await page.goto(rig.host.urls.cashier);
  await expect(page.getByText('沙箱演示 PIN：收银员 1111，店长 9999')).toBeVisible();
  expect(await typePinAtSignIn(page, '0000')).toBe('PIN 错误，还可再试 4 次');
  await shot(page, 'cashier-16-wrong-pin');
  for (const left of [3, 2, 1]) expect(await typePinAtSignIn(page, '0000')).toBe(`PIN 错误，还可再试 ${left} 次`);
  expect(await typePinAtSignIn(page, '0000')).toMatch(/锁定.*\d+ 分钟/);
  // Locked means locked for everyone but a manager: the cashier's right PIN is refused now.
  expect(await typePinAtSignIn(page, '1111')).toContain('锁定');
  await expect(page.getByRole('button', { name: '退出登录' })).toHaveCount(0);
  await shot(page, 'cashier-17-locked');
});
