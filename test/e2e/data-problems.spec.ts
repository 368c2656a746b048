import { rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'playwright/test';
import { startWebHostProcess, type WebHostProcess } from '../helpers/web-host-process';

let host: WebHostProcess | null = null;

test.afterAll(async () => {
  await host?.stop();
});

test('an emptied database is told on the cashier and manager screens, with what to do', async ({ browser }) => {
  // A store is created by a first start; then its database file is emptied while the app is stopped.
  const first = await startWebHostProcess(['--sandbox']);
  await first.stop();
  truncateSync(join(first.dataDir, 'pos.sqlite'), 0);
  for (const side of ['-wal', '-shm']) rmSync(join(first.dataDir, `pos.sqlite${side}`), { force: true });
  host = await startWebHostProcess(['--sandbox'], first.dataDir);

  const context = await browser.newContext();
  const cashier = await context.newPage();
  await cashier.goto(host.urls.cashier);
  const alert = cashier.getByTestId('data-problem-database-missing');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('数据库不见了');
  await expect(alert).toContainText('数据库文件是空的');
  const manager = await context.newPage();
  await manager.goto(host.urls.manager);
  await expect(manager.getByTestId('data-problem-database-missing')).toContainText('数据库文件是空的');
  await cashier.keyboard.press('F12');
  await expect(cashier.getByTestId('data-problem-database-missing')).toContainText('The database file is empty');
  await context.close();
});
