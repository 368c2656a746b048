/**
 * The manager window (issues 7 and 8) against the built web host in sandbox mode: sign-in with the demo manager
 * PIN, a shift's report after a cash sale, the sync panel, a settings change approved by PIN (and a wrong PIN
 * refused), the WeChat connection test, and the layout at 1280x800 and 1024x768.
 */
import { expect, test, type Page } from 'playwright/test';
import WebSocket from 'ws';
import { overflowingContainers, shot } from './cashier-harness';
import { startWebHostProcess, type WebHostProcess } from '../helpers/web-host-process';

let host: WebHostProcess;

test.beforeAll(async () => {
  host = await startWebHostProcess(['--sandbox']);
});

test.afterAll(async () => {
  await host.stop();
});

interface Reply {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}

/** A cashier window's socket, driven straight through the contract (the cashier screen has its own tests). */
async function cashierSocket(): Promise<{ call(method: string, request: object): Promise<Reply>; close(): void }> {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ws?token=${host.tokens.cashier}`, { origin: host.origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, (reply: Reply) => void>();
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { type: string; id?: number; result?: Reply };
    if (message.type === 'result' && message.id !== undefined && message.result) waiting.get(message.id)?.(message.result);
  });
  return {
    call: (method, request) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, method, request }));
      }),
    close: () => ws.close(),
  };
}

async function makeCashSale(amountFen: number): Promise<void> {
  const cashier = await cashierSocket();
  try {
    expect((await cashier.call('auth.signIn', { pin: '1111' })).ok).toBe(true);
    const current = await cashier.call('shift.current', {});
    if (current.ok && current.value === null) expect((await cashier.call('shift.open', { openingFloatFen: 10000 })).ok).toBe(true);
    const sale = await cashier.call('sale.checkout', { lines: [], amountFen });
    expect(sale.ok, JSON.stringify(sale.error)).toBe(true);
    const saleId = (sale.value as { id: number }).id;
    const paid = await cashier.call('payment.cash', { saleId, tenderedFen: amountFen + 750 });
    expect(paid.ok, JSON.stringify(paid.error)).toBe(true);
    await cashier.call('sale.finish', { saleId });
  } finally {
    cashier.close();
  }
}

async function signInAsManager(page: Page): Promise<void> {
  await page.goto(host.urls.manager);
  await expect(page.getByRole('heading', { name: '店长登录' })).toBeVisible();
  await expect(page.getByText('沙箱演示：店长 PIN 为 9999')).toBeVisible();
  await page.getByLabel('店长 PIN').fill('9999');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: '班次' })).toBeVisible();
}

test('a wrong PIN does not sign in, and a cashier PIN does not open the manager window', async ({ page }) => {
  await page.goto(host.urls.manager);
  await page.getByLabel('店长 PIN').fill('4321');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toContainText('PIN');
  await expect(page.getByRole('tab', { name: '班次' })).toHaveCount(0);
  await page.getByLabel('店长 PIN').fill('1111');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('收银员');
  await expect(page.getByRole('tab', { name: '班次' })).toHaveCount(0);
  await shot(page, 'manager-01-sign-in-refused');
});

test('the manager opens the report of a shift with a cash sale, with its charts', async ({ page }) => {
  await makeCashSale(1250);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAsManager(page);
  await page.getByRole('button', { name: /^查看/ }).first().click();
  const report = page.getByTestId('shift-report');
  await expect(page.getByRole('heading', { name: /X 报表/ })).toBeVisible();
  await expect(report.getByRole('table').first()).toContainText('现金');
  await expect(report.getByRole('table').first()).toContainText('￥12.50');
  await expect(page.getByRole('img', { name: /每小时销售额/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /支付方式构成：现金 100.0%/ })).toBeVisible();
  await shot(page, 'manager-02-shift-report');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  expect(await overflowingContainers(page, ['.mgr-panel', '.mgr-table'])).toEqual([]);
});

test('the sync panel shows the queue and the last contact with WeChat', async ({ page }) => {
  await signInAsManager(page);
  await page.getByRole('tab', { name: '同步' }).click();
  const health = page.getByTestId('sync-health');
  await expect(health).toContainText('待发送队列');
  await expect(health).toContainText('最近一次成功联系微信');
  await expect(page.getByRole('heading', { name: '需关注的付款尝试' })).toBeVisible();
  await shot(page, 'manager-03-sync');
});

test('a settings change needs the manager PIN: a wrong one is refused, the right one renames the store', async ({ page }) => {
  await signInAsManager(page);
  await page.getByRole('tab', { name: '设置' }).click();
  const storeName = page.getByLabel('店名', { exact: true });
  await expect(storeName).not.toHaveValue('');
  await storeName.fill('');
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByText('店名不能为空，最多 40 个字').first()).toBeVisible();

  await storeName.fill('测试小店');
  const pin = page.getByRole('form', { name: '设置' }).getByLabel('店长 PIN（授权）');
  await pin.fill('2468');
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByRole('form', { name: '设置' }).getByRole('alert')).toHaveText('店长 PIN 错误');
  await expect(pin).toHaveValue('');
  await expect(page.getByRole('banner')).not.toContainText('测试小店');
  await shot(page, 'manager-04-settings-wrong-pin');

  await pin.fill('9999');
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByText('设置已保存')).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('测试小店');
  await shot(page, 'manager-05-settings-saved');

  // The audit log reads the change in words: the setting by its name, not its key (issue 18, item 8).
  await page.getByRole('tab', { name: '审计' }).click();
  const change = page.getByRole('row').filter({ hasText: '修改设置' }).first();
  await expect(change).toContainText(/店名 .+ → 测试小店/);
  await expect(change).not.toContainText('storeName');
});

test('test connection explains that the sandbox answers correctly', async ({ page }) => {
  await signInAsManager(page);
  await page.getByRole('tab', { name: '设置' }).click();
  await page.getByRole('button', { name: '测试连接' }).click();
  await expect(page.getByTestId('test-connection-result')).toContainText('连接正常', { timeout: 20_000 });
  await expect(page.getByTestId('secrets-summary')).toBeVisible();
  await page.getByTestId('test-connection-result').scrollIntoViewIfNeeded();
  await shot(page, 'manager-06-test-connection');
});

test('every tab fits 1024x768 and 1280x800 without sideways scrolling, and the tabs follow the arrow keys', async ({ page }) => {
  await signInAsManager(page);
  for (const size of [
    { width: 1024, height: 768 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(size);
    for (const name of ['班次', '对账', '同步', '警报', '审计', '员工', '设置']) {
      await page.getByRole('tab', { name }).click();
      await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByText('加载中…')).toHaveCount(0);
      expect(await overflowingContainers(page, ['.mgr-panel', '.mgr-table', '.mgr-tabs', '.header-bar']), `${name} at ${size.width}`).toEqual([]);
      if (size.width === 1024 && name === '设置') await shot(page, 'manager-07-settings-1024');
    }
  }
  await page.getByRole('tab', { name: '对账' }).click();
  await page.getByRole('tab', { name: '对账' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: '同步' })).toBeFocused();
  await expect(page.getByRole('tab', { name: '同步' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: '审计' }).click();
  await page.getByRole('button', { name: '校验审计链' }).click();
  await expect(page.getByText(/审计链完整/)).toBeVisible();
  await shot(page, 'manager-08-audit');
});

test('the owner is created with the setup code printed by the web host, and a wrong code is refused', async ({ page }) => {
  expect(host.setupCode).toMatch(/^\w{4}-\w{4}-\w{4}$/);
  await page.goto(host.urls.manager);
  await page.getByRole('button', { name: '创建老板账号' }).click();
  await expect(page.getByRole('heading', { name: '首次使用：创建老板账号' })).toBeVisible();
  await page.getByLabel('姓名').fill('店主');
  await page.getByLabel('PIN（4–8 位数字）').fill('604172');
  await page.getByLabel('再次输入 PIN').fill('604172');
  await page.getByLabel('设置码（只显示在运行本程序的电脑上）').fill('AAAA-BBBB-CCCC');
  await page.getByRole('button', { name: '创建老板账号' }).click();
  await expect(page.getByRole('alert')).toContainText('设置码不对');
  await page.getByLabel('设置码（只显示在运行本程序的电脑上）').fill(host.setupCode ?? '');
  await page.getByRole('button', { name: '创建老板账号' }).click();
  await expect(page.getByRole('heading', { name: '店长登录' })).toBeVisible();
  await page.getByLabel('店长 PIN').fill('604172');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: '班次' })).toBeVisible();
});
