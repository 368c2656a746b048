/**
 * The head office's reference pages through the hub's own pages in Chromium, by visible labels: the owner edits a
 * store price and the chain price and reads both in the item's history in words, schedules a price change and
 * cancels it, adds a staff member (the PIN never shown), and makes an account; store A's manager, on a tablet,
 * sees neither store B's prices nor its staff. The main content never scrolls sideways at 1366×768 nor 1024×768.
 */
import { expect, test, type Page } from 'playwright/test';
import { HUB_ADMIN_PATHS, HUB_ADMIN_REFERENCE_PATHS as R, type ItemView, type StoreView } from '../../shared/hub-admin-api';
import { OWNER, startHubProcess, type HubProcess } from './hub-pages-harness';

let hub: HubProcess;
const MANAGER = { name: '甲店长', password: 'manager password 1' };

test.beforeAll(async () => {
  hub = await startHubProcess();
  const storeB = await hub.admin.expect<StoreView>(201, 'POST', HUB_ADMIN_PATHS.stores, { name: '二号店' });
  const item = await hub.admin.expect<ItemView>(201, 'POST', R.items, { name: '可乐', priceFen: 300 });
  await hub.admin.expect(200, 'PUT', R.itemOverride(item.itemId, storeB.storeId), { priceFen: 299, available: true });
  await hub.admin.expect(201, 'POST', R.staff, { name: '乙收银', role: 'cashier', pin: '2718', storeIds: [storeB.storeId] });
  await hub.admin.expect(201, 'POST', R.users, { name: MANAGER.name, password: MANAGER.password, storeIds: [hub.firstStore.storeId] });
});

test.afterAll(async () => {
  await hub.stop();
});

async function signIn(page: Page, who: { name: string; password: string }): Promise<void> {
  await page.goto(hub.url);
  await page.getByLabel('用户名').fill(who.name);
  await page.getByLabel('密码').fill(who.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
}

const openPage = (page: Page, name: string) => page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name }).click();

/** Neither the page nor its main content scrolls sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => {
    const main = document.querySelector('main');
    return { main: main ? main.scrollWidth - main.clientWidth : -1, page: document.documentElement.scrollWidth - document.documentElement.clientWidth };
  });
  expect(widths).toEqual({ main: 0, page: 0 });
}

test('the owner edits a store price and the chain price, and reads both in the item history in yuan', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, OWNER);
  await openPage(page, '商品与价格');
  await page.getByRole('combobox', { name: '门店价格' }).selectOption({ label: '一号店' });
  await page.getByRole('button', { name: '编辑 可乐' }).click();

  const storePart = page.getByRole('form', { name: '一号店 的价格与供应' });
  await storePart.getByLabel('门店价').fill('2.8');
  await storePart.getByRole('button', { name: '保存门店价格' }).click();
  await expect(storePart.getByRole('status')).toHaveText('已保存');

  const chainPart = page.getByRole('form', { name: '连锁商品信息' });
  await chainPart.getByLabel('连锁价').fill('3.50');
  await chainPart.getByRole('button', { name: '保存商品信息' }).click();
  await expect(chainPart.getByRole('status')).toHaveText('已保存');

  const history = page.getByRole('region', { name: '修改记录' });
  await expect(history.getByText('修改门店价格（一号店）')).toBeVisible();
  await expect(history.getByText('价格：按连锁价 → ￥2.80')).toBeVisible();
  await expect(history.getByText('价格：￥3.00 → ￥3.50')).toBeVisible();
  await expect(history.getByText(`${OWNER.name}`).first()).toBeVisible();
  await expect(history).not.toContainText('{');
  await expect(page.getByRole('row', { name: /可乐/ })).toContainText('￥2.80');
  await expectNoSidewaysScroll(page);
});

test('the owner schedules a chain price change for a date and time, sees it pending and in the history, and cancels it', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, OWNER);
  await openPage(page, '商品与价格');
  await page.getByRole('button', { name: '编辑 可乐' }).click();
  const form = page.getByRole('form', { name: '定时调价' });
  await form.getByLabel('调整').selectOption({ label: '连锁价' });
  await form.getByLabel('新价格').fill('4');
  await form.getByLabel('生效时间（门店时间）').fill('2030-01-01T09:00');
  await form.getByRole('button', { name: '定时调价' }).click();

  const plans = page.getByRole('region', { name: '定时调价计划' });
  await expect(plans.getByRole('listitem')).toHaveCount(1);
  await expect(plans.getByRole('listitem')).toContainText('2030/1/1 09:00:00 连锁价 调为 ￥4.00');
  await expect(plans.getByRole('listitem')).toContainText('待生效');
  await expect(page.getByRole('row', { name: /可乐/ })).toContainText('1 项待生效');
  const history = page.getByRole('region', { name: '修改记录' });
  await expect(history.getByText('设定定时调价')).toBeVisible();
  await expect(history.getByText('价格：￥4.00')).toBeVisible();

  await plans.getByRole('button', { name: '取消调价' }).click();
  await expect(plans.getByRole('listitem')).toContainText('已取消');
  await expect(history.getByText('取消定时调价')).toBeVisible();
});

test('the owner adds a staff member with a PIN that is never shown, and makes a store manager account', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, OWNER);
  await openPage(page, '员工');
  const form = page.getByRole('form', { name: '新增员工' });
  await form.getByLabel('姓名').fill('小王');
  await form.getByLabel('角色').selectOption({ label: '收银员' });
  await form.getByLabel('PIN 码').fill('4826');
  await form.getByRole('checkbox', { name: '一号店' }).check();
  await form.getByRole('button', { name: '添加员工' }).click();
  await expect(page.getByRole('row', { name: /小王/ })).toContainText('一号店');
  await expect(page.getByRole('region', { name: '编辑员工：小王' }).getByText('新增员工')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('4826');
  await expect(form.getByLabel('PIN 码')).toHaveValue('');
  await expectNoSidewaysScroll(page);

  await openPage(page, '账户管理');
  const account = page.getByRole('form', { name: '新增账户' });
  await account.getByLabel('用户名').fill('乙店长');
  await account.getByLabel('初始密码').fill('another password 2');
  await account.getByLabel('角色').selectOption({ label: '店长' });
  await account.getByRole('checkbox', { name: '二号店' }).check();
  await account.getByRole('button', { name: '创建账户' }).click();
  await expect(page.getByRole('row', { name: /乙店长/ })).toContainText('二号店');
  const editor = page.getByRole('region', { name: '编辑 乙店长' });
  await editor.getByRole('button', { name: '停用' }).click();
  await expect(page.getByRole('row', { name: /乙店长/ })).toContainText('已停用');
  await expect(editor.getByText('停用账户')).toBeVisible();
});

test("store A's manager on a tablet sees store A's prices and staff only, and the pages fit the screen", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await signIn(page, MANAGER);
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expect(nav.getByRole('link', { name: '商品与价格' })).toBeVisible();
  await expect(nav.getByRole('link', { name: '账户管理' })).toHaveCount(0);

  await openPage(page, '商品与价格');
  const storePicker = page.getByRole('combobox', { name: '门店价格' });
  await expect(storePicker.getByRole('option')).toHaveText(['一号店']);
  await page.getByRole('button', { name: '编辑 可乐' }).click();
  await expect(page.getByRole('form', { name: '一号店 的价格与供应' })).toBeVisible();
  await expect(page.getByRole('form', { name: '连锁商品信息' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: '修改记录' }).getByText('修改门店价格（一号店）')).toBeVisible();
  await expect(page.locator('main')).not.toContainText('二号店');
  await expect(page.locator('main')).not.toContainText('￥2.99');
  await expectNoSidewaysScroll(page);

  await openPage(page, '员工');
  await expect(page.getByRole('row', { name: /小王/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /乙收银/ })).toHaveCount(0);
  await expect(page.getByRole('form', { name: '新增员工' }).getByLabel('角色').getByRole('option')).toHaveText(['收银员']);
  await expectNoSidewaysScroll(page);

  await openPage(page, '门店设置');
  await expect(page.getByLabel('单笔退款上限')).toBeDisabled();
  await page.getByLabel('小票页脚').fill('欢迎光临一号店');
  await page.getByRole('button', { name: '保存门店设置' }).click();
  await expect(page.getByRole('region', { name: '修改记录' }).getByText('小票页脚：（空） → 欢迎光临一号店')).toBeVisible();
  await expectNoSidewaysScroll(page);
});
