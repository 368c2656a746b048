/**
 * Issue 18's done-when: one whole shift in English and one in Chinese, and no text of the other language on any
 * screen (cashier, customer display, manager), slip (the printer's bytes, decoded) or report of the run. Store,
 * item and staff names are data, not the app's words, and each language button names the other language in its
 * own words (中文 / English): those are set aside, nothing else.
 *
 * The shift: opened by denomination, an item sold for cash, a WeChat payment code (the sandbox's instant
 * wallet), a refund of it, cash in and out, the X report, closed with the blind count and the Z report; the
 * manager then reads the shift, the alerts and the audit log.
 */
import { expect, test as base, type Page } from 'playwright/test';
import { startCounterRig, walletCode, type CounterRig } from './cashier-harness';

const test = base.extend<{ rig: CounterRig }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
  rig: async ({}, use) => {
    const rig = await startCounterRig();
    await use(rig);
    await rig.stop();
  },
});

test.use({ viewport: { width: 1280, height: 800 } });

/** Data shown as it was entered (store, items, staff), and the language buttons' names of the other language. */
const NAMES = ['演示商店', '矿泉水', '可乐', '美式咖啡', '拿铁', '肉包', '牛肉面', '全麦面包', '购物袋', '演示收银员', '演示店长', '简体中文', '中文', 'English'];
/** Not words of either language: keys printed on buttons, units, the PIN, WeChat's own ids. */
const NEUTRAL = ['PIN', 'Enter', 'Esc', 'Del', 'Backspace', 'Bksp', 'APIv3', 'APIv2', 'SHA', 'CSV', 'PDF', 'MD5', 'HMAC', 'SHA256', 'IANA', 'Asia', 'Shanghai', 'none', 'even', 'odd', 'auto', 'CRLF', 'tcp', 'http', 'https', 'sandbox', 'serial', 'file', 'token', 'cashier', 'display', 'manager', 'wechatpay', 'notify'];

function foreignText(text: string, language: 'en' | 'zh'): string[] {
  // File paths and file names (backups, the key file) are neither language.
  let rest = text.replace(/\S*\/\S+|\S+\.(sqlite|enc|pem|key|csv|pdf)\b/g, ' ');
  for (const name of NAMES) rest = rest.split(name).join(' ');
  if (language === 'en') return [...rest.matchAll(/[^\n]{0,20}[\u3000-\u303f\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20][^\n]{0,20}/g)].map((m) => m[0]);
  const words = [...rest.matchAll(/[^\n]{0,12}\b[A-Za-z]{3,}\b[^\n]{0,12}/g)].map((m) => m[0]);
  return words.filter((w) => !(w.match(/\b[A-Za-z]{3,}\b/g) ?? []).every((word) => NEUTRAL.includes(word)));
}

interface Run {
  language: 'en' | 'zh';
  seen: Map<string, string>;
}

async function look(run: Run, page: Page, where: string): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText);
  for (const found of foreignText(text, run.language)) if (!run.seen.has(found)) run.seen.set(found, where);
}

const T = {
  zh: {
    openShift: '开班', keys: '功能键', cash: '现金收款', paid: '支付成功', recent: '最近交易', refund: /^退款/, refundAmount: '退款金额',
    pin: '店长 PIN', shift: '班次', cashIn: '现金存入', cashOut: '现金取出', amount: '金额', reason: '原因', close: '交班', qty100: '￥100 的数量',
    z: '交班报表 (Z)', x: '交班报表 (X)', items: '商品', shifts: '班次', alerts: '警报', audit: '审计', refunded: /退款已/,
  },
  en: {
    openShift: 'Open shift', keys: 'Function keys', cash: 'Cash', paid: 'Paid', recent: 'Recent sales', refund: /^Refund/, refundAmount: 'Refund amount',
    pin: 'Manager PIN', shift: 'Shift', cashIn: 'Cash in', cashOut: 'Cash out', amount: 'Amount', reason: 'Reason', close: 'Close shift', qty100: 'Number of ￥100',
    z: 'Shift report (Z)', x: 'Shift report (X)', items: 'Items', shifts: 'Shifts', alerts: 'Alerts', audit: 'Audit', refunded: /[Rr]efund/,
  },
} as const;

for (const language of ['en', 'zh'] as const) {
  test(`a whole shift in ${language === 'en' ? 'English' : 'Chinese'} shows, prints and reports no word of the other language`, async ({ page, rig, browser }) => {
    // About 2 minutes each on an idle machine; the margin is for a loaded one.
    test.setTimeout(240_000);
    const w = T[language];
    const run: Run = { language, seen: new Map() };
    const display = await browser.newPage();
    const manager = await browser.newPage();
    try {
      await display.goto(rig.host.urls.display);
      await manager.goto(rig.host.urls.manager);
      await manager.getByLabel('店长 PIN').fill('9999');
      await manager.keyboard.press('Enter');
      await expect(manager.getByRole('tab', { name: '商品' })).toBeVisible();
      if (language === 'en') {
        // The manager's own window, then the customer display and the slips, each by its own setting.
        await manager.keyboard.press('F12');
        await manager.getByRole('tab', { name: 'Settings' }).click();
        await manager.getByLabel('Customer display language').selectOption('en');
        await manager.getByLabel('Receipt and report language (printed)').selectOption('en');
        await manager.getByLabel('Manager PIN').first().fill('9999');
        await manager.getByRole('button', { name: 'Save settings' }).click();
        await expect(manager.getByText(/^Settings saved/)).toBeVisible();
        await look(run, manager, 'manager settings');
      }

      await page.goto(rig.host.urls.cashier);
      await expect(page.getByRole('heading', { name: '收银员登录' })).toBeVisible();
      await page.keyboard.type('1111');
      await page.keyboard.press('Enter');
      await expect(page.getByRole('heading', { name: '开班' })).toBeVisible();
      if (language === 'en') await page.keyboard.press('F12');
      await expect(page.getByRole('heading', { name: w.openShift })).toBeVisible();
      // Opened by denomination: 3 x ￥100.
      await page.keyboard.press('F2');
      await expect(page.getByLabel(w.qty100)).toBeFocused();
      await page.keyboard.type('3');
      await look(run, page, 'open shift');
      for (let row = 0; row < 8; row += 1) await page.keyboard.press('Enter');
      await expect(page.getByRole('navigation', { name: w.keys })).toBeVisible();

      // An item (quick key A) paid in cash, exact.
      await page.keyboard.press('a');
      await look(run, display, 'display cart');
      await page.keyboard.press('F3');
      await expect(page.getByRole('dialog', { name: w.cash })).toBeVisible();
      await look(run, page, 'cash dialog');
      await page.keyboard.press('F3');
      await expect(page.getByTestId('payment-status')).toContainText(w.paid);
      await look(run, page, 'cash paid');
      await look(run, display, 'display paid');
      await page.keyboard.press('Enter');

      // A WeChat payment code of ￥12.50, then a refund of ￥5 of it with the manager's PIN.
      await page.keyboard.type('12.5');
      await rig.scanSerial(walletCode('01'));
      await expect(page.getByTestId('payment-status')).toContainText(w.paid, { timeout: 15_000 });
      await look(run, page, 'wechat paid');
      await look(run, display, 'display wechat paid');
      await page.keyboard.press('Enter');
      await page.keyboard.press('F5');
      const recent = page.getByRole('dialog', { name: w.recent });
      await expect(recent.getByTestId('sale-detail')).toBeVisible();
      await page.keyboard.press('F7');
      const refund = page.getByRole('dialog', { name: w.refund });
      await refund.getByLabel(w.refundAmount).fill('5');
      await refund.getByLabel(w.pin).fill('9999');
      await look(run, page, 'refund dialog');
      await page.keyboard.press('Enter');
      await expect(refund).toBeHidden();
      await expect(recent.getByRole('status').filter({ hasText: w.refunded }).first()).toBeVisible();
      await look(run, page, 'refunded');
      await page.keyboard.press('Escape');
      await expect(recent).toBeHidden();

      // Cash in ￥50, cash out ￥20, each with a reason.
      for (const [key, title, amount, reason] of [['F1', w.cashIn, '50', language === 'en' ? 'Change' : '补充零钱'], ['F2', w.cashOut, '20', language === 'en' ? 'Safe' : '投库']] as const) {
        await page.keyboard.press('F10');
        await expect(page.getByRole('dialog', { name: w.shift })).toBeVisible();
        await look(run, page, 'shift menu');
        await page.keyboard.press(key);
        const dialog = page.getByRole('dialog', { name: title });
        await dialog.getByLabel(w.amount, { exact: true }).fill(amount);
        await dialog.getByLabel(w.reason, { exact: true }).fill(reason);
        await look(run, page, title);
        await page.keyboard.press('Enter');
        await expect(dialog).toBeHidden();
      }

      // The X report, then closing: the blind count (3 x ￥100), countersigned if the difference asks for it.
      await page.keyboard.press('F10');
      await page.keyboard.press('F3');
      await rig.waitForPrinted(w.x);
      await page.keyboard.press('F10');
      await page.keyboard.press('F4');
      const close = page.getByRole('dialog', { name: w.close });
      await expect(close).toBeVisible();
      await expect(close.getByTestId('check-result')).toBeVisible({ timeout: 20_000 });
      await look(run, page, 'close: check');
      await page.keyboard.press('Enter');
      await expect(close.getByLabel(w.qty100)).toBeFocused();
      await page.keyboard.type('3');
      for (let row = 0; row < 9; row += 1) await page.keyboard.press('Enter');
      const pin = close.getByLabel(w.pin);
      const opened = page.getByRole('heading', { name: w.openShift });
      await expect(pin.or(opened)).toBeVisible();
      await look(run, page, 'close: figures');
      if (await pin.isVisible()) {
        await pin.fill('9999');
        await page.keyboard.press('Enter');
      }
      await expect(opened).toBeVisible();
      await rig.waitForPrinted(w.z);
      await look(run, page, 'closed');
      await look(run, display, 'display after close');

      // The manager reads the shift's Z report, the alerts and the audit log.
      await manager.getByRole('tab', { name: w.shifts }).click();
      await manager.getByRole('button', { name: /查询|Search/ }).click();
      await manager.getByRole('row').filter({ hasText: 'T01' }).first().getByRole('button').first().click();
      await expect(manager.getByRole('heading', { name: /Z/ })).toBeVisible();
      await look(run, manager, 'manager shift');
      await manager.getByRole('tab', { name: w.alerts }).click();
      await look(run, manager, 'manager alerts');
      await manager.getByRole('tab', { name: w.audit }).click();
      await expect(manager.getByRole('table', { name: w.audit }).getByRole('row').nth(5)).toBeVisible();
      await look(run, manager, 'manager audit');

      const slips = rig.printed().lines.map((l) => l.text).join('\n');
      for (const found of foreignText(slips, language)) if (!run.seen.has(found)) run.seen.set(found, 'printed');
      expect(slips).toContain(w.z);
      expect([...run.seen].map(([text, where]) => `${where}: ${text}`)).toEqual([]);
    } finally {
      await display.close();
      await manager.close();
    }
  });
}
