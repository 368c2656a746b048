/**
 * The customer display (issue 5), driven through the web host by a cashier page: every state screenshotted at
 * 1920x1080 and 1024x600 at once (two display windows receive the same events), nothing overflowing, and the
 * payment QR decoding back to the order's code_url in the sandbox ledger.
 */
import { expect, test, type Page } from 'playwright/test';
import { decodeQrImage, shot, signIn, startCounterRig, walletCode, wedgeScan, type CounterRig } from './cashier-harness';

const SIZES = [
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '1024x600', width: 1024, height: 600 },
] as const;

let rig: CounterRig;
let cashier: Page;
let displays: { name: string; page: Page }[];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  rig = await startCounterRig();
  displays = await Promise.all(
    SIZES.map(async (size) => {
      const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
      await page.goto(rig.host.urls.display);
      return { name: size.name, page };
    }),
  );
  cashier = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  await cashier.goto(rig.host.urls.cashier);
  await signIn(cashier);
});

test.afterAll(async () => {
  for (const { page } of displays) await page.close();
  await cashier.close();
  await rig.stop();
});

/** Nothing scrolls, and every element of the state lies inside the window. */
async function expectFits(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth || doc.scrollHeight > doc.clientHeight) found.push(`page scrolls: ${doc.scrollWidth}x${doc.scrollHeight}`);
    const selectors = '.display-header, .display-body, .display-body *, .display-warning';
    for (const element of document.querySelectorAll(selectors)) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left < -1 || box.top < -1 || box.right > innerWidth + 1 || box.bottom > innerHeight + 1) {
        found.push(`${element.className || element.tagName} at ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)}`);
      }
      if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).textOverflow !== 'ellipsis') {
        found.push(`${element.className || element.tagName} overflows sideways (${element.scrollWidth} > ${element.clientWidth})`);
      }
    }
    return found;
  });
  expect(problems).toEqual([]);
}

/** Waits for a state on both displays, checks the fit and keeps a screenshot of each. */
async function expectState(state: string, check: (page: Page) => Promise<void>, label: string = state, timeout = 10_000): Promise<void> {
  for (const { name, page } of displays) {
    await expect(page.getByTestId('display')).toHaveAttribute('data-state', state, { timeout });
    await check(page);
    await expectFits(page);
    await shot(page, `display-${label}-${name}`);
  }
}

test('idle: the store name and a welcome', async () => {
  await expectState('idle', async (page) => {
    await expect(page.getByRole('heading', { name: '演示商店' })).toBeVisible();
    await expect(page.getByText('欢迎光临')).toBeVisible();
  });
});

test('cart: the newest lines and the total, large, using the screen for the lines', async () => {
  // Eight items, some twice, plus a typed amount: nine lines, which both screens have room for (no "还有 n 项"
  // over half a screen left empty).
  await cashier.keyboard.type('ABCDEFGHBB');
  await expect(cashier.getByRole('status', { name: '应收金额' })).toHaveText('￥69.20');
  await cashier.keyboard.type('5');
  await expectState('cart', async (page) => {
    await expect(page.getByTestId('display-amount')).toHaveText('￥74.20');
    await expect(page.getByRole('list').getByRole('listitem')).toHaveCount(9);
    await expect(page.getByText(/还有 \d+ 项/)).toHaveCount(0);
    await expect(page.getByText('手输金额')).toBeVisible();
  });
  await cashier.keyboard.press('F8');
  await expectState('idle', async () => {}, 'idle-after-clear');
});

test('qr: a big QR that decodes to the order code_url, the amount and a countdown; then cancelled', async () => {
  await cashier.keyboard.type('88.8');
  await expect(cashier.getByRole('status', { name: '应收金额' })).toHaveText('￥88.80');
  await cashier.keyboard.press('F2');
  await expectState('qr', async (page) => {
    await expect(page.getByTestId('display-amount')).toHaveText('￥88.80');
    await expect(page.getByRole('timer')).toContainText(/剩余时间 \d+:\d\d/);
    const qr = page.getByRole('img', { name: '请使用微信扫码支付' });
    const order = (await rig.listOrders()).find((o) => o.codeUrl !== null && o.totalFen === 8880);
    expect(order?.codeUrl).toMatch(/^weixin:\/\//);
    expect(await decodeQrImage(qr)).toBe(order?.codeUrl);
    const box = await qr.boundingBox();
    // Big enough to scan from a phone at arm's length: at least half the screen's height.
    expect(box?.height ?? 0).toBeGreaterThan((page.viewportSize()?.height ?? 0) / 2);
  });
  await cashier.keyboard.press('Escape');
  await expectState('cancelled', async (page) => {
    await expect(page.getByText('已取消')).toBeVisible();
  });
  await cashier.keyboard.press('Escape'); // back to edit: the unpaid sale is voided
  await expect(cashier.getByRole('status', { name: '应收金额' })).toHaveText('￥88.80');
  await cashier.keyboard.press('F8');
});

test('paying, then paid', async () => {
  await cashier.keyboard.type('12.5');
  await expect(cashier.getByRole('status', { name: '应收金额' })).toHaveText('￥12.50');
  await cashier.keyboard.press('Enter');
  await expect(cashier.getByTestId('payment-status')).toContainText('请扫描顾客付款码');
  await wedgeScan(cashier, walletCode('02', 8));
  await expectState('paying', async (page) => {
    // Words for the customer, not the cashier's "等待顾客输入密码".
    await expect(page.getByText('请在手机上输入支付密码')).toBeVisible();
    await expect(page.getByText(/顾客/)).toHaveCount(0);
    await expect(page.getByTestId('display-amount')).toHaveText('￥12.50');
  });
  // The password wallet pays 8 s after the order was created; the app sees it on its next query.
  await expectState(
    'paid',
    async (page) => {
      await expect(page.getByText('支付成功')).toBeVisible();
    },
    'paid',
    30_000,
  );
  await cashier.keyboard.press('Enter');
});

test('failed: the reason in words', async () => {
  await cashier.keyboard.type('7');
  await expect(cashier.getByRole('status', { name: '应收金额' })).toHaveText('￥7.00');
  await cashier.keyboard.press('Enter');
  await expect(cashier.getByTestId('payment-status')).toContainText('请扫描顾客付款码');
  await wedgeScan(cashier, walletCode('04'));
  await expectState('failed', async (page) => {
    await expect(page.getByText('支付未成功')).toBeVisible();
    await expect(page.getByText('余额不足，请更换银行卡或其他付款方式')).toBeVisible();
    await expect(page.getByText(/顾客/)).toHaveCount(0);
  });
  await cashier.keyboard.press('F8');
  await expectState('idle', async () => {}, 'idle-after-void');
});

test('split tender: after the cash part the customer sees what is left to pay, not the total', async () => {
  await cashier.keyboard.type('30');
  await expect(cashier.getByRole('status', { name: '应收金额' })).toHaveText('￥30.00');
  await cashier.keyboard.press('F3');
  const cash = cashier.getByRole('dialog', { name: '现金收款' });
  await cash.getByLabel(/本次现金金额/).fill('10');
  await cash.getByLabel('顾客付款').fill('10');
  await cashier.keyboard.press('Enter');
  await expect(cash).toBeHidden();
  await expectState(
    'cart',
    async (page) => {
      await expect(page.getByText('还需支付')).toBeVisible();
      await expect(page.getByTestId('display-amount')).toHaveText('￥20.00');
      await expect(page.getByText('合计 ￥30.00，已付 ￥10.00')).toBeVisible();
    },
    'split-due',
  );
  await rig.scanSerial(walletCode('01'));
  await expectState('paid', async () => {}, 'split-paid');
  await cashier.keyboard.press('Enter');
  await expect(cashier.getByRole('status', { name: '应收金额' })).toHaveText('￥0.00');
});

test('offline: WeChat unavailable, cash only', async () => {
  await rig.addFault({ kind: 'outage', durationMs: 120_000 });
  await cashier.keyboard.type('3');
  await expect(cashier.getByRole('status', { name: '应收金额' })).toHaveText('￥3.00');
  await cashier.keyboard.press('Enter');
  await expect(cashier.getByTestId('payment-status')).toContainText('请扫描顾客付款码');
  await wedgeScan(cashier, walletCode('01'));
  await expect(cashier.getByTestId('status-network')).toContainText('离线', { timeout: 20_000 });
  await cashier.keyboard.press('F4'); // give up the queued code
  await expect(cashier.getByTestId('payment-status')).toContainText('请扫描顾客付款码');
  await cashier.keyboard.press('F8'); // and void the sale: the display goes back to idle, offline
  await expectState(
    'idle',
    async (page) => {
      await expect(page.getByText('微信支付暂不可用，请使用现金')).toBeVisible();
    },
    'idle-offline',
  );
  await cashier.keyboard.type('A');
  await expectState(
    'cart',
    async (page) => {
      await expect(page.getByText('微信支付暂不可用，请使用现金')).toBeVisible();
    },
    'cart-offline',
  );
  await cashier.keyboard.press('F8');
});
