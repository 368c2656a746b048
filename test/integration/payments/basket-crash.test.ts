import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPaymentAlerts } from '../../../electron/db/payment-alerts';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { acceleratedClock, type AcceleratedClockParams } from '../../helpers/accelerated-clock';
import type { BasketChildConfig } from '../../helpers/basket-child';
import { bundleChild, createChildPool, killGroup, type ChildPool, type KillableChild } from '../../helpers/killable-child';
import { basketAmountFen, basketOfLine, readJournal } from '../../helpers/basket-journal';
import { openPaymentsDb, seededRandom, T0 } from '../../helpers/payments-harness';
import { ledgerViolations } from '../../helpers/payments-invariants';
import { sandboxLedger } from '../../helpers/payments-sandbox';

/**
 * Issue 21, "Done when": the crash test at the level of the basket. The counter (payment service, worker and the
 * real Counter, test/helpers/basket-child.ts) is SIGKILLed at random moments of QR and micropay sales; the
 * "customer" (this process, with the sandbox) pays or abandons each QR (the first always abandoned) at random moments, also while the counter
 * is down and after it restarted, and the payment-code wallets pay at once, after a password, or never; the
 * "cashier" re-rings a basket only when the counter shows nothing in progress. After the last restart and drain:
 * every basket was paid exactly once net of refunds, and every WeChat payment kept is on a sale the counter
 * showed paid or on an alert a person resolved.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const CHILD = join(ROOT, 'test/helpers/basket-child.ts');
const BUNDLE_DIR = join(ROOT, 'node_modules/.cache/pos-basket-child');
const BUNDLE = join(BUNDLE_DIR, `child-${process.pid}.mjs`);
const KILLS = Number(process.env.BASKET_KILLS ?? 12);
const BASKETS = Number(process.env.BASKETS ?? 16);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));


let dir: string;
let sandbox: Sandbox;
let children: ChildPool;
const clockParams: AcceleratedClockParams = { baseEpoch: T0, startReal: Date.now(), speed: 5 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pos-basket-crash-'));
  children = createChildPool(dir, ROOT);
  await bundleChild(CHILD, BUNDLE);
  sandbox = await startSandbox({ clock: acceleratedClock(clockParams) });
});

afterAll(async () => {
  children.killAll();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
});

function spawnChild(config: BasketChildConfig, index: number): KillableChild {
  return children.spawn(process.execPath, [BUNDLE], config, index);
}

/**
 * The customers at the counter: each QR the sandbox has is paid (at once or a few seconds later, so the payment
 * may land while the counter is down) or abandoned, decided once per QR, whether or not the counter is running.
 */
function startCustomers(random: () => number): () => Promise<void> {
  let running = true;
  const decided = new Set<string>();
  const loop = (async () => {
    while (running) {
      await sleep(150 + Math.floor(random() * 350));
      for (const order of sandbox.listOrders()) {
        if (order.tradeType !== 'NATIVE' || order.tradeState !== 'NOTPAY' || !order.codeUrl || decided.has(order.outTradeNo)) continue;
        // Every third QR (the first among them) is abandoned, the others paid: decided by count, not by chance, so
        // every run has QRs the cashier gives up on and QRs paid, however few QRs a loaded machine gets through.
        const abandon = decided.size % 3 === 0;
        decided.add(order.outTradeNo);
        if (!abandon) sandbox.customerPay(order.codeUrl, { delayMs: Math.floor(random() * 15_000) });
      }
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

describe('basket crash test (issue 21)', () => {
  it(`${KILLS} SIGKILLs during QR and micropay sales of ${BASKETS} baskets: each basket paid exactly once, every payment seen or resolved`, async () => {
    const random = seededRandom(2121);
    const dbFile = join(dir, 'pos.sqlite');
    const journalFile = join(dir, 'journal.jsonl');
    const base = { dbFile, journalFile, credentials: sandbox.credentials, clock: clockParams, baskets: BASKETS };
    const stopCustomers = startCustomers(random);
    for (let i = 0; i < KILLS; i++) {
      const run = spawnChild({ ...base, seed: i + 1, mode: 'run' }, i);
      await Promise.race([run.ready, run.exited]);
      await Promise.race([sleep(600 + Math.floor(random() * 2_400)), run.exited]);
      if (run.child.exitCode !== null && run.child.exitCode !== 0) throw new Error(`child ${i} failed: ${run.stderr()}`);
      if (run.child.pid !== undefined) killGroup(run.child.pid);
      await run.exited;
      // Down for a moment: a delayed QR payment may complete now, with nobody running the counter.
      await sleep(Math.floor(random() * 1_500));
    }
    const drain = spawnChild({ ...base, seed: 9999, mode: 'drain' }, KILLS);
    const code = await Promise.race([drain.exited, sleep(100_000).then(() => 'timeout' as const)]);
    await stopCustomers();
    expect(code, drain.stderr()).toBe(0);

    const db = openPaymentsDb(dbFile);
    try {
      const { orders, refunds } = sandboxLedger(sandbox);
      const journal = readJournal(journalFile);
      expect(ledgerViolations(db, orders, refunds)).toEqual([]);

      const basketOfSale = new Map(
        (db.prepare('SELECT sale_id, name FROM sale_lines WHERE line_no = 1').all() as { sale_id: number; name: string }[]).map((r) => [r.sale_id, basketOfLine(r.name)]),
      );
      const attempts = db.prepare('SELECT id, sale_id, out_trade_no, state FROM wechat_attempts').all() as { id: number; sale_id: number; out_trade_no: string; state: string }[];
      const saleOfOrder = new Map(attempts.map((a) => [a.out_trade_no, a.sale_id]));
      // Money the customer of each basket parted with, net of refunds: WeChat (as WeChat's ledger says) and cash.
      const net = new Map<number, number>();
      const add = (saleId: number | undefined, fen: number): void => {
        const basket = saleId === undefined ? null : basketOfSale.get(saleId);
        if (basket === null || basket === undefined) throw new Error(`money on sale ${saleId} that is no basket`);
        net.set(basket, (net.get(basket) ?? 0) + fen);
      };
      for (const o of orders) {
        if (o.tradeState !== 'SUCCESS' && o.tradeState !== 'REFUND') continue;
        const back = refunds.filter((r) => r.outTradeNo === o.outTradeNo && r.status !== 'FAIL' && r.status !== 'CHANGE').reduce((s, r) => s + r.refundFen, 0);
        add(saleOfOrder.get(o.outTradeNo), o.totalFen - back);
      }
      const cash = db
        .prepare(
          `SELECT t.sale_id, t.amount_fen - COALESCE((SELECT SUM(amount_fen) FROM refunds r WHERE r.tender_id = t.id AND r.state = 'succeeded'), 0) AS kept
           FROM tenders t WHERE t.kind = 'cash' AND t.state = 'paid'`,
        )
        .all() as { sale_id: number; kept: number }[];
      for (const c of cash) add(c.sale_id, c.kept);
      const problems: string[] = [];
      for (let b = 1; b <= BASKETS; b++) {
        if ((net.get(b) ?? 0) !== basketAmountFen(b)) problems.push(`basket ${b}: paid ${net.get(b) ?? 0} net, its price is ${basketAmountFen(b)}`);
      }
      // Every WeChat payment that counts for a sale was on the counter's screen, or an alert a person resolved.
      const shown = new Set(journal.flatMap((e) => (e.t === 'shown-paid' ? [e.sale] : [])));
      const alerts = listPaymentAlerts(db, false, 10_000);
      const resolvedAttempts = new Set(alerts.filter((a) => a.state !== 'open').map((a) => a.attempt_id));
      for (const a of attempts) {
        if (a.state === 'paid' && !shown.has(a.sale_id) && !resolvedAttempts.has(a.id)) problems.push(`attempt ${a.id} (sale ${a.sale_id}) paid, never shown nor resolved`);
      }
      expect(alerts.filter((a) => a.state === 'open')).toEqual([]);
      expect(problems).toEqual([]);
      // The stream really exercised the counter: QR and micropay payments, abandoned QRs, restarts with work in progress.
      const paidQr = orders.filter((o) => o.tradeType === 'NATIVE' && (o.tradeState === 'SUCCESS' || o.tradeState === 'REFUND')).length;
      const paidCode = orders.filter((o) => o.tradeType === 'MICROPAY' && (o.tradeState === 'SUCCESS' || o.tradeState === 'REFUND')).length;
      if (process.env.BASKET_DEBUG) {
        const states = new Map<string, number>();
        for (const o of orders) states.set(`${o.tradeType}:${o.tradeState}`, (states.get(`${o.tradeType}:${o.tradeState}`) ?? 0) + 1);
        console.info(Object.fromEntries(states), journal.filter((e) => e.t === 'qr-seen').length);
      }
      expect(paidQr).toBeGreaterThan(2);
      expect(paidCode).toBeGreaterThan(2);
      // Abandoned QRs happened (the first always is). Closed by the cashier, or still NOTPAY when the counter lost
      // track of it across a restart: closing such orphaned orders is issue 14's, not asserted here yet.
      expect(orders.filter((o) => o.tradeType === 'NATIVE' && (o.tradeState === 'CLOSED' || o.tradeState === 'NOTPAY')).length).toBeGreaterThan(0);
      expect(journal.filter((e) => e.t === 'restored').length).toBeGreaterThan(1);
      if (process.env.BASKET_DEBUG) {
        console.info({ alerts: alerts.length, paidQr, paidCode, sales: basketOfSale.size, journal: journal.length });
      }
    } finally {
      db.close();
    }
  }, 240_000);
});
