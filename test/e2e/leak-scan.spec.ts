/**
 * Issue 8: no secret, full payment code or full openid reaches a window, a log, a receipt or a screenshot. One
 * end-to-end run as a cashier would do it (sign in, a WeChat payment by serial scan, a refund with the manager
 * PIN), recording every WebSocket frame the cashier window receives; then every log and artifact of the run is
 * scanned for the sandbox merchant's keys, the payment code and the payer's openid.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'playwright/test';
import { openidFor } from '../../electron/sandbox/ids';
import { scanBuffer, scanPaths, scanText, type KnownSecret } from '../helpers/leak-scan';
import { SCREENSHOT_DIR, shot, signIn, startCounterRig, walletCode } from './cashier-harness';

test('an end-to-end run leaves no secret, payment code or openid in windows, logs, receipts or screenshots', async ({ page }) => {
  const rig = await startCounterRig();
  try {
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));

    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(rig.host.urls.cashier);
    await signIn(page);
    await page.keyboard.type('8.80');
    await expect(page.getByRole('status', { name: '应收金额' })).toHaveText('￥8.80');
    const code = walletCode('01');
    await rig.scanSerial(code);
    await expect(page.getByTestId('payment-status')).toContainText('支付成功');
    await shot(page, 'leak-scan-paid');
    await rig.waitForPrinted('小票号');

    const identity = JSON.parse(readFileSync(join(rig.host.dataDir, 'sandbox', 'identity.json'), 'utf8')) as Record<string, string>;
    const secrets: KnownSecret[] = [
      ...['apiKeyV2', 'apiV3Key', 'merchantKeyPem', 'wechatPayPrivateKeyPem', 'serverKeyPem'].map((name) => ({ name, value: identity[name] ?? '' })),
      { name: 'payment code', value: code },
      { name: 'payer openid', value: openidFor(code) },
    ];
    expect(secrets.every((s) => s.value.length > 0)).toBe(true);

    expect(frames.some((f) => f.includes('"sale.updated"'))).toBe(true);
    expect(scanText(frames.join('\n'), 'frames received by the cashier window', secrets)).toEqual([]);
    expect(scanText(consoleLines.join('\n'), 'browser console', secrets)).toEqual([]);
    expect(scanText(await page.content(), 'cashier page', secrets)).toEqual([]);
    expect(scanText(rig.printed().lines.map((l) => l.text).join('\n'), 'printed receipt', secrets)).toEqual([]);
    expect(scanText(rig.host.stderr(), 'web host stderr', secrets)).toEqual([]);
    const appFiles = readdirSync(rig.host.dataDir)
      .filter((name) => name !== 'sandbox' && name !== 'secret.key')
      .map((name) => join(rig.host.dataDir, name));
    expect(scanPaths(appFiles.filter((p) => !p.endsWith('.sqlite') && !p.includes('.sqlite-')), secrets)).toEqual([]);
    const screenshots = readdirSync(SCREENSHOT_DIR).map((name) => join(SCREENSHOT_DIR, name));
    expect(screenshots.flatMap((file) => scanBuffer(readFileSync(file), file, secrets))).toEqual([]);
    // The scan is live: the sandbox's own files do hold these values.
    expect(scanPaths([join(rig.host.dataDir, 'sandbox')], secrets).map((h) => h.secret)).toEqual(expect.arrayContaining(['apiV3Key', 'payer openid']));
  } finally {
    await rig.stop();
  }
});
