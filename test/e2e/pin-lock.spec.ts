/**
 * Issue 17, findings 3 and 4, at the real PIN screens of the built web host (sandbox demo: cashier 1111, manager
 * 9999): signing in with one's own PIN between guesses does not give a guesser new tries, the terminal lock
 * survives a restart, a manager's PIN still works during it, and a manager clears it on the staff tab.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from 'playwright/test';
import { startWebHostProcess, type WebHostProcess } from '../helpers/web-host-process';
import { openShiftIfAsked } from './cashier-harness';

const dataDir = mkdtempSync(join(tmpdir(), 'pos-pin-lock-'));
let host: WebHostProcess;

test.beforeAll(async () => {
  host = await startWebHostProcess(['--sandbox'], dataDir);
});

test.afterAll(async () => {
  await host.stop();
});

// The backoff's waits (1 s, 2 s, 4 s, 8 s) and a restart take real time here.
test.setTimeout(150_000);

const WAIT = /秒后再试/;

/**
 * Types a PIN and Enter, the way a person does; when the screen says to wait N seconds, waits and types it again.
 * Returns the refusal shown, or null when none appeared (signed in).
 */
async function typePin(page: Page, field: Locator, pin: string, alert: Locator, signedIn: Locator): Promise<string | null> {
  for (let tries = 0; tries < 20; tries += 1) {
    await field.fill(pin);
    await field.press('Enter');
    // Both PIN screens empty the field when the answer comes: only then is the alert this PIN's answer.
    await expect
      .poll(async () => (await signedIn.isVisible()) || ((await field.inputValue({ timeout: 500 }).catch(() => 'gone')) === '' && (await alert.isVisible())))
      .toBe(true);
    if (await signedIn.isVisible()) return null;
    const text = (await alert.textContent()) ?? '';
    if (!WAIT.test(text)) return text;
    const seconds = Number(/(\d+) 秒/.exec(text)?.[1] ?? '1');
    await page.waitForTimeout(seconds * 1000 + 200);
  }
  throw new Error('still told to wait');
}

async function cashierPin(page: Page, pin: string): Promise<string | null> {
  const heading = page.getByRole('heading', { name: '收银员登录' });
  await expect(heading).toBeVisible();
  const signedIn = page.getByRole('heading', { name: '开班' }).or(page.getByRole('navigation', { name: '功能键' }));
  return typePin(page, page.getByLabel('PIN', { exact: false }).first(), pin, page.locator('.sign-in-error'), signedIn);
}

test('a guesser who signs in with their own PIN between guesses still locks the terminal; the lock outlives a restart and a manager clears it', async ({ page, browser }) => {
  await page.goto(host.urls.cashier);
  for (const guess of ['246801', '246802', '246803', '246804']) expect(await cashierPin(page, guess)).toMatch(/PIN 错误/);
  // Their own PIN: signed in — and the four wrong ones are not forgotten.
  expect(await cashierPin(page, '1111')).toBeNull();
  await openShiftIfAsked(page);
  await page.getByRole('button', { name: '退出登录' }).click();
  expect(await cashierPin(page, '246805')).toMatch(/本终端已锁定，\d+ 分钟内仅接受店长 PIN/);
  // A cashier's PIN is refused during the lock exactly like a wrong one.
  expect(await cashierPin(page, '1111')).toMatch(/本终端已锁定，\d+ 分钟内仅接受店长 PIN/);

  // A restart does not lift it.
  await host.stop();
  host = await startWebHostProcess(['--sandbox'], dataDir);
  await page.goto(host.urls.cashier);
  expect(await cashierPin(page, '1111')).toMatch(/本终端已锁定，\d+ 分钟内仅接受店长 PIN/);

  // A manager's PIN still works: at a fresh manager page, then the staff tab clears the lock.
  const manager = await browser.newPage();
  await manager.goto(host.urls.manager);
  const tabs = manager.getByRole('tab', { name: '员工' });
  expect(await typePin(manager, manager.getByLabel('店长 PIN'), '9999', manager.getByRole('alert'), tabs)).toBeNull();
  await tabs.click();
  const card = manager.getByRole('region', { name: '本终端 PIN 锁' });
  await expect(card).toContainText('已锁定至');
  await expect(card).toContainText(/PIN 错误 \d+ 次/);
  await manager.getByLabel('店长 PIN（授权）').fill('9999');
  await card.getByRole('button', { name: '解除终端锁定（需店长 PIN）' }).click();
  await expect(manager.getByRole('status').filter({ hasText: '完成' }).or(manager.getByRole('alert'))).toBeVisible();
  await expect(card).toContainText('未锁定');
  await expect(card).toContainText('PIN 错误 0 次');
  await manager.close();

  expect(await cashierPin(page, '1111')).toBeNull();
});
