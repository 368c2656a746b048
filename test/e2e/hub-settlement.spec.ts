/**
 * The head office's settlement page through the hub's pages in Chromium (issue 16). The hub runs in this process
 * (`startHub` with a hand-moved clock, like test/helpers/hub-harness.ts, which this runner cannot import) beside the
 * WeChat Pay sandbox over real HTTPS: two stores with profit-sharing rules (一号店 20 %, 二号店 10 % to the store
 * owner), real payments made with profit sharing on, the counters' facts pushed over the signed counter API, the day
 * reconciled and split. The sandbox's ratio switch (最大分账比例) is set to 15 % before the run, so WeChat refuses
 * 一号店's splits with its reason; the owner sees each store's due / split / returned / failed figures equal to the
 * hub's report and the sandbox's balances, retries one failed order (the ratio back at 30 %) and resolves the other
 * by hand with a note, which then appears in the settlement audit log.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from 'playwright/test';
import { ManualClock } from '../../shared/clock';
import { silentLogger } from '../../shared/log';
import { HUB_ADMIN_PATHS, type PairingCodeAnswer, type StoreView } from '../../shared/hub-admin-api';
import { HUB_HEADERS, HUB_PATHS, signingBase, type EnrolAnswer } from '../../shared/hub-protocol';
import { HUB_SETTLEMENT_PATHS as S, type RuleSetView, type SettlementReportView } from '../../shared/hub-settlement-api';
import { fen, formatYuan } from '../../shared/money';
import { startHub, type RunningHub } from '../../electron/hub/app';
import { SANDBOX_RECEIVER_NAME } from '../../electron/sandbox/merchants';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';
import { createWechatPayClient } from '../../electron/wechat/factory';
import { CounterFacts, SandboxMerchants } from '../helpers/chain-day';
import { HubAdmin, OWNER } from './hub-pages-harness';

const DAY = '2026-12-07';
const HOUR = 3_600_000;
const money = (f: number): string => formatYuan(fen(f));

let hub: RunningHub;
let sandbox: Sandbox;
let admin: HubAdmin;
let dataDir: string;
let stores: StoreView[] = [];
const clock = new ManualClock(Date.UTC(2026, 11, 7, 4, 0, 0));
const merchants = new SandboxMerchants();

/** A counter enrolled with a pairing code, pushing signed facts as the counter's hub link does (the hub's clock). */
async function counterPushes(storeId: string, name: string, amounts: number[], pay: ReturnType<typeof createWechatPayClient>, codeBase: number): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const code = await admin.expect<PairingCodeAnswer>(201, 'POST', HUB_ADMIN_PATHS.pairingCodes(storeId), {});
  const enrolled = await fetch(`${hub.url}${HUB_PATHS.enrol}`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pairingCode: code.code, publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), counterName: name, appVersion: '0.1.0' }),
  });
  const { terminalId } = (await enrolled.json()) as EnrolAnswer;
  const facts = new CounterFacts(terminalId, `SH-${name}`, 'c1');
  facts.openShift(clock.now());
  for (const [i, totalFen] of amounts.entries()) {
    const outTradeNo = facts.orderNo('P', '261207');
    const paid = await pay.micropay({ outTradeNo, authCode: `130100${String(codeBase + i).padStart(12, '0')}`, totalFen: fen(totalFen), description: '分账测试' });
    if (paid.kind !== 'success') throw new Error(`payment failed: ${JSON.stringify(paid)}`);
    facts.sale(clock.now(), outTradeNo, totalFen);
  }
  await signedPost(terminalId, privateKey, HUB_PATHS.facts, JSON.stringify({ facts: facts.facts }));
}

async function signedPost(terminalId: string, privateKey: KeyObject, path: string, body: string): Promise<void> {
  const timestamp = clock.now();
  const nonce = randomBytes(16).toString('base64url');
  const hash = createHash('sha256').update(body).digest('hex');
  const signature = sign(null, Buffer.from(signingBase('POST', path, timestamp, nonce, hash)), privateKey).toString('base64url');
  const answer = await fetch(`${hub.url}${path}`, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', [HUB_HEADERS.terminal]: terminalId, [HUB_HEADERS.timestamp]: String(timestamp), [HUB_HEADERS.nonce]: nonce, [HUB_HEADERS.signature]: signature },
  });
  expect(answer.status).toBe(200);
}

const report = (): Promise<SettlementReportView> => admin.expect<SettlementReportView>(200, 'GET', `${S.report}?date=${DAY}`);

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hub-settlement-e2e-'));
  hub = await startHub({ dataDir, port: 0, clock, log: silentLogger, merchants });
  sandbox = await startSandbox({ clock });
  admin = new HubAdmin(hub.url);
  const token = new URL(hub.adminUrl ?? 'http://x/').searchParams.get('token') ?? '';
  await admin.expect(200, 'POST', HUB_ADMIN_PATHS.setup, { token, ownerName: OWNER.name, password: OWNER.password, storeName: '一号店' });
  await admin.expect(201, 'POST', HUB_ADMIN_PATHS.stores, { name: '二号店' });
  const listed = await admin.expect<StoreView[]>(200, 'GET', HUB_ADMIN_PATHS.stores);
  stores = ['一号店', '二号店'].map((name) => listed.find((s) => s.name === name)).filter((s): s is StoreView => s !== undefined);
  merchants.add(sandbox, 'v3', stores.map((s) => s.storeId));
  const { mchid, receiverMchid } = sandbox.credentials;
  await admin.expect(200, 'PUT', S.merchant(mchid), { sinceDay: DAY, maxShareBasisPoints: 3_000 });
  await admin.expect(201, 'POST', S.receivers, { mchid, type: 'MERCHANT_ID', account: receiverMchid, name: SANDBOX_RECEIVER_NAME, relationType: 'STORE_OWNER' });
  for (const [store, basisPoints] of [[stores[0], 2_000], [stores[1], 1_000]] as const) {
    const set = await admin.expect<RuleSetView>(201, 'POST', S.rules, {
      storeId: store?.storeId, effectiveFrom: DAY,
      rules: [{ account: receiverMchid, type: 'MERCHANT_ID', relationType: 'STORE_OWNER', share: { kind: 'percent', basisPoints }, description: '店主分成' }],
    });
    await admin.expect(200, 'POST', S.approve(set.ruleSetId), { note: '同意' });
  }
  const { baseUrl: _b, ...credentials } = sandbox.credentials;
  const pay = createWechatPayClient({
    apiVersion: 'v3', credentials, baseUrl: sandbox.url, timeouts: { connectMs: 2_000, totalMs: 5_000 }, clock, logger: silentLogger,
    spbillCreateIp: '127.0.0.1', profitSharing: true,
  });
  await counterPushes(stores[0]?.storeId ?? '', '一号台', [2_500, 4_000], pay, 100);
  await counterPushes(stores[1]?.storeId ?? '', '二号台', [1_234, 8_800, 500], pay, 200);

  // The next day after 10:00 Beijing: reconciled, then split — with WeChat's ratio at 15 %, 一号店's 20 % is refused.
  clock.advance(24 * HOUR);
  sandbox.profitSharing.setMaxRatioPercent(15);
  await hub.jobs.bills.tick();
  await hub.jobs.settlement.tick();
  clock.advance(2_000);
  await hub.jobs.settlement.tick();
  sandbox.profitSharing.setMaxRatioPercent(30);
  await admin.expect(200, 'POST', HUB_ADMIN_PATHS.session, OWNER);
});

test.afterAll(async () => {
  await hub?.close();
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(hub.url);
  await page.getByLabel('用户名').fill(OWNER.name);
  await page.getByLabel('密码').fill(OWNER.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '分账结算' }).click();
  await page.getByLabel('结算日期').fill(DAY);
  await page.getByRole('button', { name: '查看' }).click();
}

test('the owner sees each store\'s settled day as the hub and the sandbox have it, retries one refused split, resolves another with a note, and finds both in the audit log', async ({ page }) => {
  const truth = await report();
  const [a, b] = stores;
  const storeA = truth.stores.find((s) => s.storeId === a?.storeId);
  const storeB = truth.stores.find((s) => s.storeId === b?.storeId);
  // The hub's truth is what the rules say and what the sandbox holds: 二号店's 10 % split, 一号店's 20 % (1,300) refused.
  const splitB = storeB?.splitFen ?? -1;
  expect([storeA?.dueFen, storeA?.splitFen, storeA?.failedFen]).toEqual([1_300, 0, 1_300]);
  expect([storeB?.dueFen, storeB?.failedFen]).toEqual([splitB, 0]);
  expect(splitB).toBeGreaterThanOrEqual(1_053);
  const ownerBalance = (): number | undefined => sandbox.profitSharing.balances().find((x) => x.account === sandbox.credentials.receiverMchid)?.balanceFen;
  expect(ownerBalance()).toBe(splitB);

  await signIn(page);
  const table = page.getByRole('table', { name: '各门店分账' });
  for (const [name, view] of [['一号店', storeA], ['二号店', storeB]] as const) {
    const row = table.getByRole('row', { name: new RegExp(`^${name}`) });
    await expect(row.getByRole('cell')).toHaveText([
      String(view?.orders), money(view?.orderFen ?? -1), money(view?.dueFen ?? -1), money(view?.splitFen ?? -1),
      money(view?.returnedFen ?? -1), money(view?.failedFen ?? -1), money(view?.pendingFen ?? -1), String(view?.unfrozenOrders),
    ]);
  }

  const failed = page.locator('.settlement-failed > li');
  await expect(failed).toHaveCount(2);
  await expect(failed.first()).toContainText('分账金额超出最大分账比例15%');
  const [first, second] = (storeA?.lines ?? []).filter((l) => l.state === 'failed');
  const lineOf = (outTradeNo: string) => page.getByRole('listitem', { name: new RegExp(outTradeNo) });

  const retried = lineOf(first?.outTradeNo ?? '-');
  await retried.getByLabel('处理说明').fill('微信分账比例已调回 30%');
  await retried.getByRole('button', { name: '重试' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已重新发起分账' })).toBeVisible();

  const resolved = lineOf(second?.outTradeNo ?? '-');
  await resolved.getByLabel('处理说明').fill('店主同意本单不分账');
  await resolved.getByRole('button', { name: '标记已处理' }).click();
  await expect(lineOf(second?.outTradeNo ?? '-')).toContainText(`已由 `);
  await expect(lineOf(second?.outTradeNo ?? '-')).toContainText('店主同意本单不分账');

  // The retry went out with the run the hub started: once it is asked again, 一号店's first order is split.
  clock.advance(2_000);
  await hub.jobs.settlement.tick();
  const after = (await report()).stores.find((s) => s.storeId === a?.storeId);
  expect(after?.lines.find((l) => l.outTradeNo === first?.outTradeNo)?.state).toBe('done');
  await page.getByRole('button', { name: '查看' }).click();
  const rowA = table.getByRole('row', { name: /^一号店/ });
  await expect(rowA.getByRole('cell').nth(3)).toHaveText(money(after?.splitFen ?? -1));
  // Lines are in WeChat transaction-id order, which the sandbox draws at random: the retried one is 500 or 800 (20 %).
  const retriedFen = first?.amountFen ?? -1;
  expect([500, 800]).toContain(retriedFen);
  await expect(rowA.getByRole('cell').nth(3)).toHaveText(money(retriedFen));
  expect(ownerBalance()).toBe(splitB + retriedFen);

  const audit = page.getByRole('table', { name: '分账操作记录' });
  await expect(audit.getByRole('row').filter({ hasText: '手工处理分账' }).filter({ hasText: '店主同意本单不分账' })).toBeVisible();
  await expect(audit.getByRole('row').filter({ hasText: '重试分账' }).filter({ hasText: '微信分账比例已调回 30%' })).toBeVisible();

  // English on the same page: the figures keep their ￥ form.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('table', { name: 'Settlement by store' }).getByRole('row', { name: /^二号店/ }).getByRole('cell').nth(3)).toHaveText(money(splitB));
});
