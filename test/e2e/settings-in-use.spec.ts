/**
 * What the manager's settings screen says about this run (issue 18, item 11) and the store's time (item 12): the
 * printer address the host was started with, a test scan from the default keyboard-mode scanner, and one store time
 * zone for screens and slips on a machine whose own clock zone is UTC. Against the built web host with the embedded
 * sandbox, a serial scanner (socat pty pair) and the printer emulator.
 */
import { expect, test, type Page } from 'playwright/test';
import { startCounterRig, walletCode, wedgeScan, type CounterRig } from './cashier-harness';

let rig: CounterRig;

test.beforeAll(async () => {
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
