/**
 * What the manager's settings screen says about this run (issue 18, item 11) and the store's time (item 12): the
 * printer address the host was started with, a test scan from the default keyboard-mode scanner, and one store time
 * zone for screens and slips on a machine whose own clock zone is UTC. Against the built web host with the embedded
 * sandbox, a serial scanner (socat pty pair) and the printer emulator.
 */
import { expect, test, type Page } from 'playwright/test';
import { signIn, startCounterRig, walletCode, wedgeScan, type CounterRig } from './cashier-harness';

let rig: CounterRig;

test.beforeAll(async () => {
  // The host runs as on a till whose clock zone is UTC (the store is still in Beijing).
  process.env.TZ = 'UTC';
  rig = await startCounterRig();
});

test.afterAll(async () => {
  await rig.stop();
});

async function openSettings(page: Page): Promise<void> {
  await page.goto(rig.host.urls.manager);
  await page.getByLabel('店长 PIN').fill('9999');
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: '设置' }).click();
}

test('the settings show the printer address the host was started with (--printer)', async ({ page }) => {
  await openSettings(page);
  await expect(page.getByLabel('打印机地址（tcp://、serial:、file:、os:）')).toHaveValue(rig.printer.uri);
});

test('测试扫码 passes with a keyboard-mode scanner scanning into the manager window, the code masked', async ({ page }) => {
  await openSettings(page);
  await page.getByRole('button', { name: '测试扫码' }).click();
  const result = page.getByTestId('test-scan-result');
  await expect(result).toHaveText('请在 30 秒内用扫码枪扫描任意条码…');
  const code = walletCode('01');
  await wedgeScan(page, code);
  await expect(result).toContainText('读到 微信付款码');
  await expect(result).toContainText('键盘模式扫码枪');
  await expect(result).not.toContainText(code);
  await expect(result).not.toContainText('wechat-pay-code');
});

test.describe('on a machine whose clock zone is UTC', () => {
  test.use({ timezoneId: 'UTC' });

  /** Every Beijing wall-clock reading (yyyy-MM-dd HH:mm:ss) between two instants, a second apart. */
  function beijingReadings(from: number, to: number): string[] {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const readings: string[] = [];
    for (let at = Math.floor(from / 1000) * 1000; at <= to + 1000; at += 1000) readings.push(format.format(at).replace(', ', ' '));
    return readings;
  }

  test('the cashier screen, the receipt and the manager show one store time (Beijing), not the machine zone', async ({ browser }) => {
    expect(new Intl.DateTimeFormat('en', { timeZone: 'UTC' }).resolvedOptions().timeZone).toBe('UTC');
    const context = await browser.newContext({ timezoneId: 'UTC', viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    const before = Date.now();
    await page.goto(rig.host.urls.cashier);
    await signIn(page);
    await page.keyboard.type('12.5');
    await page.keyboard.press('F3');
    await expect(page.getByRole('dialog', { name: '现金收款' })).toBeVisible();
    await page.keyboard.type('20');
    await page.keyboard.press('Enter');
    await rig.waitForPrinted('找零');
    const after = Date.now();
    const readings = beijingReadings(before, after);
    const clocks = readings.map((r) => r.slice(11));

    const opened = (await page.getByText(/\d\d:\d\d 开班/).textContent()) ?? '';
    expect(clocks.map((c) => `${c.slice(0, 5)} 开班`)).toContain(opened.trim());

    const timeLine = rig.printed().lines.map((l) => l.text).find((t) => t.startsWith('时间')) ?? '';
    expect(readings).toContain(timeLine.replace(/^时间\s+/, '').trim());

    await page.keyboard.press('Enter');
    await page.keyboard.press('F5');
    const recent = page.getByRole('dialog', { name: '最近交易' });
    const row = recent.getByRole('button', { name: /￥12\.50/ }).first();
    const rowTime = /\d\d:\d\d:\d\d/.exec((await row.textContent()) ?? '')?.[0] ?? '';
    expect(clocks).toContain(rowTime);

    const manager = await context.newPage();
    await manager.goto(rig.host.urls.manager);
    await manager.getByLabel('店长 PIN').fill('9999');
    await manager.keyboard.press('Enter');
    await manager.getByRole('tab', { name: '班次' }).click();
    const shiftRow = manager.getByRole('row').filter({ hasText: '进行中' }).first();
    await expect(shiftRow).toBeVisible();
    const shownOpened = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.exec((await shiftRow.textContent()) ?? '')?.[0] ?? '';
    expect(readings).toContain(shownOpened);
    await context.close();
  });
});

test("asking for today's bill says when WeChat makes it, and the sync tab names the wait in words, not codes", async ({ page }) => {
  await page.goto(rig.host.urls.manager);
  await page.getByLabel('店长 PIN').fill('9999');
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: '对账' }).click();
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
  await page.getByLabel('账单日期').fill(today);
  await page.getByLabel('店长 PIN（授权）').fill('9999');
  await page.getByRole('button', { name: '重新下载某日账单' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已安排' })).toContainText(`已安排下载 ${today} 的账单：微信要到`);
  await expect(page.getByRole('status').filter({ hasText: '已安排' })).toContainText('10:00（北京时间）才生成这一天的账单');

  await page.getByRole('tab', { name: '同步' }).click();
  const health = page.getByTestId('sync-health');
  await expect(health).toContainText('微信账单还在生成中', { timeout: 20_000 });
  await expect(health).not.toContainText('BILL_CREATING');
  await expect(health).not.toContainText('system-error');
  await expect(health).not.toContainText('probe:');
});
