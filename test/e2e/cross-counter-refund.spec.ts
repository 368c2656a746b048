/**
 * Two counters of one store, one hub, one WeChat merchant (issue 13): counter A sells with a WeChat payment code,
 * counter B finds that sale at the hub by A's counter and receipt number (最近交易 → F9 其他收银台) and refunds part
 * of it with the manager's PIN. WeChat (the sandbox) holds the refund on A's order; B prints the slip naming A's
 * receipt, then the 退款成功 slip when WeChat confirms it; the hub shows the refund under A's sale. With the hub
 * gone, B tells the cashier that sales from other counters need it.
 *
 * Real parts throughout: the sandbox is started once by this test (`electron/sandbox/cli.ts --credentials-out`) and
 * both web hosts use it (`--sandbox --wechat-credentials FILE --wechat-ca FILE`), as a store's counters share one
 * merchant; the hub is `electron/hub/cli.ts` on SQLite. Everything runs on real time: the counters sign every hub
 * request with their clock and the hub checks it against its own, and the sandbox signs and settles refunds by
 * its clock, so one clock for all (the machine's) is what a store has; a test clock on one of them alone would
 * only make the signatures stale.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test, type Page } from 'playwright/test';
import { HUB_ADMIN_PATHS, type PairingCodeAnswer } from '../../shared/hub-admin-api';
import { chinaDateOf, HUB_ADMIN_OPERATIONS_PATHS, type DayCloseView, type SaleDetailView, type ShiftDetailView } from '../../shared/hub-admin-operations';
import { signIn, startCounterRig, walletCode, type CounterRig, type SandboxEndpoint } from './cashier-harness';
import { startHubProcess, type HubProcess } from './hub-pages-harness';
import { stopChild } from '../helpers/web-host-process';

test.use({ viewport: { width: 1024, height: 768 } });
test.setTimeout(240_000);

const HUB_NEEDED = '其他收银台的交易需要连接总部才能查到，请检查网络或联系店长';

interface SharedSandbox {
  endpoint: SandboxEndpoint;
  credentialsFile: string;
  caFile: string;
  stop(): Promise<void>;
}

/** `npm run sandbox -- --port 0 --data-dir DIR --credentials-out FILE`: one merchant for both counters. */
async function startSharedSandbox(): Promise<SharedSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'shared-sandbox-e2e-'));
  const credentialsFile = join(dir, 'credentials.json');
  const child: ChildProcess = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'electron/sandbox/cli.ts', '--port', '0', '--data-dir', dir, '--credentials-out', credentialsFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox not ready in 60 s: ${errors}`)), 60_000);
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}: ${errors}`));
    });
  });
  const { url } = JSON.parse(line) as { url: string };
  const caFile = join(dir, 'ca.pem');
  return {
    endpoint: { url, caCertPem: readFileSync(caFile, 'utf8') },
    credentialsFile,
    caFile,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A's sale as the head office sees it: today's open shift of A, its sale with this receipt number, in detail. */
async function saleAtHub(hub: HubProcess, terminalId: string, receiptNo: number): Promise<SaleDetailView | null> {
  const storeId = hub.firstStore.storeId;
  const day = await hub.admin.request<DayCloseView>('GET', HUB_ADMIN_OPERATIONS_PATHS.day(storeId, chinaDateOf(Date.now())));
  const shift = day.status === 200 ? day.body.openShifts.find((s) => s.terminalId === terminalId) : undefined;
  if (!shift) return null;
  const detail = await hub.admin.request<ShiftDetailView>('GET', HUB_ADMIN_OPERATIONS_PATHS.shift(storeId, terminalId, shift.shiftId));
  const summary = detail.status === 200 ? detail.body.sales.find((s) => s.receiptNo === receiptNo) : undefined;
  if (!summary) return null;
  const sale = await hub.admin.request<SaleDetailView>('GET', HUB_ADMIN_OPERATIONS_PATHS.sale(storeId, terminalId, summary.saleId));
  return sale.status === 200 ? sale.body : null;
}

async function openCounter(page: Page, rig: CounterRig): Promise<void> {
  await page.goto(rig.host.urls.cashier);
  await signIn(page);
  await expect(page.getByRole('status', { name: '应收金额' })).toHaveText('￥0.00');
}

let sandbox: SharedSandbox | null = null;
let hub: HubProcess | null = null;
const rigs: CounterRig[] = [];
test.afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.stop();
  await hub?.stop();
  await sandbox?.stop();
  hub = null;
  sandbox = null;
});

test("counter B refunds part of counter A's WeChat sale found at the hub; WeChat and the hub show it; without the hub B says so", async ({ browser }) => {
  sandbox = await startSharedSandbox();
  hub = await startHubProcess();
  const storeId = hub.firstStore.storeId;
  const counterArgs = async (): Promise<string[]> => {
    const code = await hub!.admin.expect<PairingCodeAnswer>(201, 'POST', HUB_ADMIN_PATHS.pairingCodes(storeId), {});
    return ['--wechat-credentials', sandbox!.credentialsFile, '--wechat-ca', sandbox!.caFile, '--hub', hub!.url, '--pair', code.code];
  };
  const rigA = await startCounterRig(await counterArgs(), sandbox.endpoint);
  rigs.push(rigA);
  const rigB = await startCounterRig(await counterArgs(), sandbox.endpoint);
  rigs.push(rigB);
  const pageA = await browser.newPage();
  const pageB = await browser.newPage();

  // Counter A: ￥30.00 paid with a payment code, against the shared sandbox.
  await openCounter(pageA, rigA);
  await pageA.keyboard.type('30');
  await pageA.keyboard.press('Enter');
  await rigA.scanSerial(walletCode('01'));
  await expect(pageA.getByTestId('payment-status')).toContainText('支付成功');
  await rigA.waitForPrinted('小票号');
  const receiptQr = rigA.printed().qrs[0]?.payload ?? '';
  const [, terminalA = '', receiptText = ''] = /^POSR:([A-Za-z0-9]+):(\d+)$/.exec(receiptQr) ?? [];
  expect(terminalA, `A's receipt QR ${receiptQr}`).not.toBe('');
  const receiptNo = Number(receiptText);
  const [order] = (await rigA.listOrders()).filter((o) => o.totalFen === 3_000 && o.tradeState === 'SUCCESS');
  expect(order).toBeDefined();
  // A's sale reaches the hub with its next push.
  await expect.poll(async () => (await saleAtHub(hub!, terminalA, receiptNo))?.state ?? null, { timeout: 30_000, message: "A's sale at the hub" }).toBe('paid');

  // Counter B: F5 → F9, A's counter and receipt number typed, F7, ￥12.00 with the manager's PIN.
  await openCounter(pageB, rigB);
  await pageB.keyboard.press('F5');
  await expect(pageB.getByRole('dialog', { name: '最近交易' })).toBeVisible();
  await pageB.keyboard.press('F9');
  const other = pageB.getByRole('dialog', { name: '其他收银台的小票' });
  await expect(other.getByLabel('原收银台号')).toBeFocused();
  await other.getByLabel('原收银台号').fill(terminalA);
  await other.getByLabel('小票号').fill(String(receiptNo));
  await pageB.keyboard.press('Enter');
  const detail = other.getByTestId('other-sale-detail');
  await expect(detail).toContainText(`${terminalA}`);
  await expect(detail).toContainText('￥30.00');
  await pageB.keyboard.press('F7');
  const refund = pageB.getByRole('dialog', { name: new RegExp(`^退款 · ${terminalA}`) });
  await expect(refund).toContainText('￥30.00');
  await refund.getByLabel('退款金额').fill('12');
  await refund.getByLabel('店长 PIN').fill('1111');
  await pageB.keyboard.press('Enter');
  await expect(refund.getByRole('alert')).toBeVisible(); // a cashier's PIN approves nothing
  await refund.getByLabel('店长 PIN').fill('9999');
  await pageB.keyboard.press('Enter');
  await expect(refund).toBeHidden();
  await expect(other.getByRole('status')).toContainText('微信退款 ￥12.00 已受理');

  // WeChat holds the refund on A's order, and settles it.
  await expect
    .poll(async () => (await rigB.listRefunds()).filter((r) => r.outTradeNo === order!.outTradeNo).map((r) => `${r.refundFen}:${r.status}`), { timeout: 30_000 })
    .toEqual(['1200:SUCCESS']);
  // B's slips: the first (sent to WeChat) and, once WeChat confirms it, 退款成功; both name A's receipt.
  await rigB.waitForPrinted('退款成功', 30_000);
  const slipText = rigB.printed().lines.map((l) => l.text).join('\n');
  expect(slipText).toContain('已提交微信支付');
  expect(slipText).toContain(`${terminalA}-${receiptNo}`);
  await expect(pageB.getByRole('status').filter({ hasText: '已成功，退款成功单已打印' })).toBeVisible({ timeout: 30_000 });

  // The hub shows the refund under A's sale (B's facts arrive with its next push).
  await expect
    .poll(async () => (await saleAtHub(hub!, terminalA, receiptNo))?.refunds.map((r) => `${r.amountFen}:${r.state}`) ?? [], { timeout: 30_000, message: "B's refund under A's sale at the hub" })
    .toEqual(['1200:succeeded']);

  // The hub goes away: B can no longer find other counters' sales, and says why.
  await hub.stop();
  hub = null;
  await pageB.keyboard.press('Escape');
  await expect(other).toBeHidden();
  await pageB.keyboard.press('F9');
  await other.getByLabel('原收银台号').fill(terminalA);
  await other.getByLabel('小票号').fill(String(receiptNo));
  await pageB.keyboard.press('Enter');
  await expect(other.getByRole('status')).toHaveText(HUB_NEEDED, { timeout: 30_000 });
  await expect(other.getByRole('button', { name: /微信退款/ })).toHaveCount(0);
});
