import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import { systemClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { SaleView } from '../../../shared/payments';
import type { Result } from '../../../shared/result';
import { walCommitCount } from '../../helpers/wal-commits';

/**
 * The whole app with its embedded sandbox: the cashier starting a sale opens the WeChat connection the payment
 * then uses, and a cash sale with no checkout before it goes through the contract as one call.
 */
let app: App | null = null;
const arrivals: { url: string; socket: Socket }[] = [];
const onRequest = (message: unknown): void => {
  const { request } = message as { request: IncomingMessage };
  arrivals.push({ url: request.url ?? '', socket: request.socket });
};
diagnostics.subscribe('http.server.request.start', onRequest);

afterEach(async () => {
  await app?.close();
  app = null;
  arrivals.length = 0;
});

const cashierWindow: CallContext = { window: 'cashier', connectionId: 'test-cashier' };

let dataDir = '';
async function start(): Promise<App> {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-warm-'));
  app = await startApp({
    dataDir,
    clock: systemClock,
    logger: new MemoryLogger(),
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(dataDir),
    overrides: { sandbox: true, printerUri: `file:${join(dataDir, 'printer.bin')}` },
    createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
    pdfRenderer: chromiumPdfRenderer(),
  });
  await call(app, 'auth.signIn', { pin: '1111' });
  await call(app, 'shift.open', { openingFloatFen: 10_000 });
  return app;
}

async function call<T>(target: App, method: string, request: unknown): Promise<T> {
  const result = (await target.dispatch(method, request, cashierWindow)) as Result<T>;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the sale path with warm connections', () => {
  it("the cashier's first key opens the connection to WeChat; the payment code then goes out on it", async () => {
    const pos = await start();
    // The start's connectivity probe has been answered: nothing else goes to WeChat until the sale.
    await waitFor(() => pos.payments.syncStatus().connectivity === 'online');
    // Start of the day as a store sees it: the server closed the idle connections (the probe's), so no warm one is left.
    await Promise.all(
      arrivals.map(
        ({ socket }) =>
          new Promise<void>((resolve) => {
            if (socket.destroyed) return resolve();
            socket.once('close', () => resolve());
            socket.destroy();
          }),
      ),
    );
    arrivals.length = 0;
    // The first key, and the code scanned straight after it, with no wait in between: while the pre-connect is still
    // handshaking, the payment waits for that connection instead of opening a second one (transport.ts).
    await call(pos, 'cart.preview', { lines: [], amountFen: 1250 });
    const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 1250 });
    await call(pos, 'payment.submitCode', { saleId: sale.id, code: '130100000000000001' });
    // v3 (the app's default): the payment code goes to /v3/pay/transactions/codepay.
    const isPayment = (url: string): boolean => url.includes('codepay') || url.includes('micropay');
    await waitFor(() => arrivals.some((a) => isPayment(a.url)));
    // The pre-connect (a GET of the site root) came first, and the payment went out on its connection: one
    // connection, one handshake, opened by the first key.
    const upToPayment = arrivals.slice(0, arrivals.findIndex((a) => isPayment(a.url)) + 1);
    expect(upToPayment.map((a) => (isPayment(a.url) ? 'payment' : a.url))).toEqual(['/', 'payment']);
    expect(upToPayment[1]?.socket === upToPayment[0]?.socket, "the payment went out on the pre-connect's connection").toBe(true);
    // More keys on the same sale open nothing more.
    await call(pos, 'cart.preview', { lines: [], amountFen: 12500 });
    expect(arrivals.filter((a) => a.url === '/')).toHaveLength(1);
  });

  it('a cash sale rung up with no checkout is one call: paid, change given, on the counter until finished', async () => {
    const pos = await start();
    const result = await call<{ sale: SaleView; changeFen: number }>(pos, 'payment.cashSale', {
      lines: [{ name: '矿泉水', quantity: 2, unitFen: 300 }],
      tenderedFen: 1000,
    });
    expect(result.changeFen).toBe(400);
    expect(result.sale).toMatchObject({ state: 'paid', totalFen: 600, dueFen: 0 });
    const state = await call<{ activeSale: SaleView | null }>(pos, 'counter.getState', {});
    expect(state.activeSale?.id).toBe(result.sale.id);
    await call(pos, 'sale.finish', { saleId: result.sale.id });
    await expect(call(pos, 'payment.cashSale', { lines: [], amountFen: 500, tenderedFen: 100 })).rejects.toThrow(/CASH_SHORT/);
  });

  /**
   * Commits are counted in the WAL (one frame with a database size per commit; one fsync each). The outbox worker
   * is stopped first, so only the sale's own writes are counted, and checkpoints are off while counting.
   */
  async function countingCommits(pos: App): Promise<() => number> {
    await pos.payments.worker.stop();
    pos.db.pragma('wal_autocheckpoint = 0');
    const file = join(dataDir, 'pos.sqlite');
    const before = walCommitCount(file);
    return () => walCommitCount(file) - before;
  }

  it('a payment code scanned with the amount on the screen: the sale, its payment and the outbox job in one commit', async () => {
    const pos = await start();
    await call(pos, 'cart.preview', { lines: [{ name: '矿泉水', quantity: 2, unitFen: 300 }] });
    const commits = await countingCommits(pos);
    await call(pos, 'scanner.submitWedgeScan', { code: '130100000000000011' });
    expect(commits()).toBe(1);
    const state = await call<{ activeSale: SaleView | null }>(pos, 'counter.getState', {});
    expect(state.activeSale).toMatchObject({ state: 'open', totalFen: 600, lines: [{ name: '矿泉水', quantity: 2 }] });
    expect(state.activeSale?.tenders).toMatchObject([{ kind: 'wechat-code', amountFen: 600, state: 'pending' }]);
    const jobs = pos.db.prepare('SELECT operation FROM outbox WHERE sale_id = ?').pluck().all(state.activeSale?.id);
    expect(jobs).toEqual(['micropay.send']);
  });

  it('a scanned payment code leaves for WeChat after that one commit: no second commit and no timer before the request', async () => {
    const pos = await start();
    await waitFor(() => pos.payments.syncStatus().connectivity === 'online');
    await call(pos, 'cart.preview', { lines: [], amountFen: 990 });
    pos.db.pragma('wal_autocheckpoint = 0');
    const file = join(dataDir, 'pos.sqlite');
    const before = walCommitCount(file);
    let commitsAtRequest: number | null = null;
    // Read in the sandbox's request handler, which runs in this process: what the app had committed when it arrived.
    const onPayment = (message: unknown): void => {
      const { request } = message as { request: IncomingMessage };
      if (commitsAtRequest === null && /codepay|micropay/.test(request.url ?? '')) commitsAtRequest = walCommitCount(file) - before;
    };
    diagnostics.subscribe('http.server.request.start', onPayment);
    try {
      await call(pos, 'scanner.submitWedgeScan', { code: '130100000000000021' });
      await waitFor(() => commitsAtRequest !== null);
    } finally {
      diagnostics.unsubscribe('http.server.request.start', onPayment);
    }
    // The sale, its attempt, its outbox job and the job's in-flight mark: one commit (the claim was a second one).
    expect(commitsAtRequest).toBe(1);
    const { activeSale } = await call<{ activeSale: SaleView | null }>(pos, 'counter.getState', {});
    await waitFor(() => pos.payments.getSale(activeSale?.id ?? -1).state === 'paid');
  });

  it("a scanned payment code's request leaves before the windows hear of the sale (their events wait for its write)", async () => {
    const pos = await start();
    await waitFor(() => pos.payments.syncStatus().connectivity === 'online');
    await call(pos, 'cart.preview', { lines: [], amountFen: 770 });
    // The pre-connect has had its time: the payment finds a warm connection (the path that waits one poll first).
    await new Promise((r) => setTimeout(r, 300));
    const order: string[] = [];
    const onClientRequest = (message: unknown): void => {
      const { request } = message as { request: { path?: string } };
      if (/codepay|micropay/.test(request.path ?? '')) order.push('request');
    };
    diagnostics.subscribe('http.client.request.start', onClientRequest);
    // What the windows hear of this sale (the connectivity strip's status is not about it).
    const unsubscribe = pos.events.subscribe((event, payload) => {
      const paying = event === 'display.state' && (payload as { kind?: string }).kind === 'paying';
      if (['attempt.updated', 'sale.updated', 'counter.state'].includes(event) || paying) order.push(event);
    });
    try {
      await call(pos, 'scanner.submitWedgeScan', { code: '130100000000000031' });
      await waitFor(() => order.includes('request') && order.includes('attempt.updated'));
    } finally {
      diagnostics.unsubscribe('http.client.request.start', onClientRequest);
      unsubscribe();
    }
    expect(order[0]).toBe('request');
    const { activeSale } = await call<{ activeSale: SaleView | null }>(pos, 'counter.getState', {});
    expect(activeSale?.tenders).toMatchObject([{ kind: 'wechat-code', amountFen: 770 }]);
    await waitFor(() => pos.payments.getSale(activeSale?.id ?? -1).state === 'paid');
  });

  it('a code that is not a WeChat payment code, scanned with the amount on the screen, writes nothing: no sale', async () => {
    const pos = await start();
    await call(pos, 'cart.preview', { lines: [], amountFen: 880 });
    const commits = await countingCommits(pos);
    await call(pos, 'scanner.submitWedgeScan', { code: '281234567890123456' });
    expect(commits()).toBe(0);
    const state = await call<{ activeSale: SaleView | null }>(pos, 'counter.getState', {});
    expect(state.activeSale).toBeNull();
  });
});
