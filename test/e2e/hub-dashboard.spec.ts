/**
 * The chain dashboard through the hub's pages in Chromium, on facts of three counters in two stores pushed over
 * the real signed counter API: the success rate, average ticket and refund share on the page equal the values
 * computed in this test from the seeded facts (test/helpers/dashboard-seed.ts), a store chosen in the picker shows
 * that store's, and the sales CSV downloaded from the page sums to the page's sales figure.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from 'playwright/test';
import { HUB_ADMIN_PATHS, type PairingCodeAnswer, type StoreView } from '../../shared/hub-admin-api';
import { HUB_HEADERS, HUB_PATHS, signingBase, type EnrolAnswer, type FactEnvelope } from '../../shared/hub-protocol';
import { fen, formatYuan } from '../../shared/money';
import { expectedHeadline, seedTerminal, type Seed } from '../helpers/dashboard-seed';
import { OWNER, startHubProcess, type HubProcess } from './hub-pages-harness';

let hub: HubProcess;
let storeB: StoreView;
const seeds: Seed[] = [];
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const from = new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
const money = (f: number): string => formatYuan(fen(f));
const percent = (share: number | null, digits: number): string => (share === null ? '—' : `${(share * 100).toFixed(digits)}%`);

/** A counter enrolled with a pairing code, pushing signed facts as the counter's hub link does. */
async function enrolAndPush(storeId: string, seedValue: number): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const code = await hub.admin.expect<PairingCodeAnswer>(201, 'POST', HUB_ADMIN_PATHS.pairingCodes(storeId), {});
  const enrol = await fetch(`${hub.url}${HUB_PATHS.enrol}`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pairingCode: code.code, publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), counterName: `台${seedValue}`, appVersion: '0.1.0' }),
  });
  const { terminalId } = (await enrol.json()) as EnrolAnswer;
  const seed = seedTerminal(storeId, terminalId, seedValue, today, 14, 90);
  seeds.push(seed);
  for (let i = 0; i < seed.facts.length; i += 200) {
    const body = JSON.stringify({ facts: seed.facts.slice(i, i + 200) satisfies FactEnvelope[] });
    const timestamp = Date.now();
    const nonce = randomBytes(16).toString('base64url');
    const hash = createHash('sha256').update(body).digest('hex');
    const signature = sign(null, Buffer.from(signingBase('POST', HUB_PATHS.facts, timestamp, nonce, hash)), privateKey).toString('base64url');
    const pushed = await fetch(`${hub.url}${HUB_PATHS.facts}`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', [HUB_HEADERS.terminal]: terminalId, [HUB_HEADERS.timestamp]: String(timestamp), [HUB_HEADERS.nonce]: nonce, [HUB_HEADERS.signature]: signature },
    });
    expect(pushed.status).toBe(200);
  }
}

test.beforeAll(async () => {
  hub = await startHubProcess();
  storeB = await hub.admin.expect<StoreView>(201, 'POST', HUB_ADMIN_PATHS.stores, { name: '二号店' });
  await enrolAndPush(hub.firstStore.storeId, 11);
  await enrolAndPush(hub.firstStore.storeId, 12);
  await enrolAndPush(storeB.storeId, 13);
});

test.afterAll(async () => {
  await hub.stop();
});

test('the dashboard shows the success rate, average ticket and refund share of the seeded facts, per chain and per store, and its CSV sums to the page', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(hub.url);
  await page.getByLabel('用户名').fill(OWNER.name);
  await page.getByLabel('密码').fill(OWNER.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '经营看板' }).click();
  await page.getByLabel('开始日期').fill(from);
  await page.getByLabel('结束日期').fill(today);
  await page.getByRole('button', { name: '查看' }).click();

  const measure = (name: string) => page.getByRole('group', { name }).getByTestId('measure');
  const chain = expectedHeadline(seeds, from, today, [hub.firstStore.storeId, storeB.storeId]);
  expect(chain.salesCount).toBeGreaterThan(50);
  await expect(measure('支付成功率')).toHaveText(percent(chain.successRate, 1));
  await expect(measure('客单价')).toHaveText(money(chain.averageTicketFen ?? 0));
  await expect(measure('退款占比')).toHaveText(percent(chain.refundShare, 2));
  await expect(measure('销售额')).toHaveText(money(chain.salesFen));

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '销售明细 CSV' }).click();
  const file = readFileSync(await (await download).path());
  expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = file.toString('utf8').slice(1).trimEnd().split('\r\n').slice(1).map((line) => line.split(','));
  const paidFen = Math.round(rows.filter((r) => r[3] === 'paid').reduce((sum, r) => sum + Number(r[6]), 0) * 100);
  await expect(measure('销售额')).toHaveText(money(paidFen));

  await page.getByRole('combobox', { name: '门店' }).selectOption({ label: '二号店' });
  await page.getByRole('button', { name: '查看' }).click();
  const second = expectedHeadline(seeds, from, today, [storeB.storeId]);
  await expect(measure('客单价')).toHaveText(money(second.averageTicketFen ?? 0));
  await expect(measure('支付成功率')).toHaveText(percent(second.successRate, 1));
  await expect(measure('退款占比')).toHaveText(percent(second.refundShare, 2));
  await expect(page).toHaveURL(new RegExp(`store=${storeB.storeId}`));
});
