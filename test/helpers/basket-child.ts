/**
 * The counter side of the basket crash test (issue 21), run as its own process and killed at random moments: the
 * payment service, its worker and the real Counter (electron/wiring/counter.ts) on one SQLite file, and a
 * "cashier" who rings numbered baskets. Each basket is a sale whose one line is named after it (`B<n>`), so the
 * database itself says which basket a sale was for. The cashier re-rings a basket only when the counter shows
 * nothing in progress, waits on a QR or a code the counter shows (cancelling a QR after a while, as a cashier
 * would), tenders again when an attempt ended without money, finishes a sale the counter shows paid, and resolves
 * every payment alert (keep when the basket is not paid otherwise, else refund). A journal file records what the
 * counter showed paid and what the cashier resolved, for the parent's checks. In 'drain' mode it goes on until
 * every basket is done, no alert is open and the outbox is empty, then exits 0.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import type { CounterState } from '../../shared/api';
import { silentLogger } from '../../shared/log';
import type { AttemptView, SaleView } from '../../shared/payments';
import { CustomerDisplay } from '../../electron/display/customer-display';
import { EventHub } from '../../electron/host/event-hub';
import { createPaymentService, type PaymentService } from '../../electron/payments/service';
import type { SandboxCredentials } from '../../electron/sandbox/server';
import { createWechatPayClient } from '../../electron/wechat/factory';
import { Counter } from '../../electron/wiring/counter';
import { acceleratedClock, type AcceleratedClockParams } from './accelerated-clock';
import { walletCode, WALLETS } from './fake-wechat-client';
import { basketAmountFen, basketOfLine, readJournal, type JournalEntry } from './basket-journal';
import { openPaymentsDb, seededRandom } from './payments-harness';

export interface BasketChildConfig {
  dbFile: string;
  journalFile: string;
  credentials: SandboxCredentials;
  clock: AcceleratedClockParams;
  seed: number;
  baskets: number;
  mode: 'run' | 'drain';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const SHIFT = { id: 'SHIFT-BASKETS', countedAt: null };

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as BasketChildConfig;
  const clock = acceleratedClock(config.clock);
  const random = seededRandom(config.seed);
  const db = openPaymentsDb(config.dbFile);
  const client = createWechatPayClient({
    apiVersion: 'v2',
    credentials: config.credentials,
    baseUrl: config.credentials.baseUrl,
    timeouts: { connectMs: 1_000, totalMs: 2_000 },
    clock,
    logger: silentLogger,
    spbillCreateIp: '127.0.0.1',
  });
  const payments = createPaymentService({ db, client, clock, logger: silentLogger, terminalId: 'BASKET', random, tickMs: 10, maxInflight: 8 });
  const events = new EventHub();
  const display = new CustomerDisplay(events, () => ({ storeName: 'basket test', sandbox: true, wechatAvailable: payments.syncStatus().wechatAvailable }));
  const counter = new Counter({
    payments,
    events,
    display,
    clock,
    logger: silentLogger,
    sandbox: true,
    currentShift: () => SHIFT,
    cashDrawerOverCap: () => null,
    findItem: () => null,
  });
  const write = (entry: JournalEntry): void => appendFileSync(config.journalFile, `${JSON.stringify(entry)}\n`);
  // What the counter's screen showed: a paid sale on it is a payment someone saw.
  events.subscribe((event, payload) => {
    if (event !== 'counter.state') return;
    const sale = (payload as CounterState).activeSale;
    if (sale?.state === 'paid') write({ t: 'shown-paid', sale: sale.id });
  });
  payments.on('sale.paid', () => undefined);
  counter.restore();
  const restored = counter.state().activeSale;
  const inProgress = restored?.state === 'open' && restored.tenders.some((t) => t.state === 'pending');
  if (restored && inProgress) write({ t: 'restored', sale: restored.id });
  payments.start();
  counter.signIn({ id: 'c1', name: 'Cashier', role: 'cashier' }, 'counter');
  process.stdout.write('ready\n');
  await cashier(config, { payments, counter, random, write });
}

interface Desk {
  payments: PaymentService;
  counter: Counter;
  random: () => number;
  write: (entry: JournalEntry) => void;
}

function basketOfSale(desk: Desk, saleId: number): number | null {
  const line = desk.payments.getSale(saleId).lines[0];
  return line ? basketOfLine(line.name) : null;
}

/** Whether a basket is paid by a sale other than `exceptSale` (paid, and not refunded in full). */
function paidElsewhere(desk: Desk, basket: number, exceptSale: number, done: ReadonlySet<number>): boolean {
  if (done.has(basket)) return true;
  const sales = desk.payments.listSales({ from: 0, to: Number.MAX_SAFE_INTEGER, limit: 1000 });
  return sales.some((s) => s.id !== exceptSale && s.state === 'paid' && s.refundedFen < s.totalFen && basketOfSale(desk, s.id) === basket);
}

function latestAttempt(sale: SaleView): AttemptView | null {
  return sale.tenders.map((t) => t.attempt).filter((a): a is AttemptView => a !== null).at(-1) ?? null;
}

function pickCode(random: () => number, serial: number): string {
  const r = random();
  if (r < 0.3) return walletCode(WALLETS.instant, serial);
  if (r < 0.6) return walletCode(WALLETS.password, serial, 3 + Math.floor(random() * 12));
  if (r < 0.75) return walletCode(WALLETS.passwordNever, serial);
  if (r < 0.85) return walletCode(WALLETS.notEnough, serial);
  return walletCode(WALLETS.bankError, serial);
}

async function cashier(config: BasketChildConfig, desk: Desk): Promise<void> {
  const { payments, counter, random, write } = desk;
  const done = new Set(readJournal(config.journalFile).flatMap((e) => (e.t === 'done' ? [e.basket] : [])));
  let serial = (config.seed % 1000) * 10_000 + 1;
  /**
   * When the cashier first saw each QR and how long they will wait for it. Kept in the journal, because a cashier's
   * patience does not start again when the counter restarts: counted per process, a QR would outlive its patience
   * only when the counter happened to stay up that long, and on a slow machine no QR was ever cancelled.
   */
  const seen = new Map<number, { at: number; patienceMs: number }>();
  for (const e of readJournal(config.journalFile)) if (e.t === 'qr-seen' && !seen.has(e.attempt)) seen.set(e.attempt, e);

  /**
   * A basket's first tender is fixed by its number (odd: QR, even: payment code), later ones are random. Chosen
   * at random from the start, how many baskets reached a QR depended on how the random stream was consumed, i.e. on
   * the machine's speed: a loaded run could end with two paid QRs and fail the coverage check for no product reason.
   */
  const firstTendered = new Set<number>();
  const tender = (sale: SaleView): void => {
    const basket = basketOfSale(desk, sale.id);
    const first = basket !== null && !firstTendered.has(basket);
    if (basket !== null) firstTendered.add(basket);
    const r = first ? (basket % 2 === 1 ? 0 : 0.6) : random();
    if (r < 0.45 && payments.syncStatus().wechatAvailable) payments.startNativeQr(sale.id);
    else if (r < 0.9) counter.submitCode(sale.id, pickCode(random, serial++));
    else payments.payCash(sale.id, sale.dueFen);
  };

  let lastDebug = 0;
  for (;;) {
    try {
      const state = counter.state();
      if (process.env.BASKET_CHILD_DEBUG && Date.now() - lastDebug > 2_000) {
        lastDebug = Date.now();
        const a = state.activeSale ? latestAttempt(state.activeSale) : null;
        process.stderr.write(
          `${JSON.stringify({ done: [...done].length, alerts: state.paymentAlerts.length, queue: payments.syncStatus(), sale: state.activeSale && { id: state.activeSale.id, state: state.activeSale.state, attempt: a && { mode: a.mode, state: a.state, final: a.final, superseded: a.superseded } } })}\n`,
        );
      }
      for (const alert of state.paymentAlerts) {
        const basket = basketOfSale(desk, alert.saleId);
        const refund = basket === null || paidElsewhere(desk, basket, alert.saleId, done);
        if (refund) {
          payments.refundPaymentAlert(alert.id, 'mgr1', 'c1');
        } else {
          payments.keepPaymentAlert(alert.id, 'c1');
          done.add(basket);
          write({ t: 'done', basket });
        }
        write({ t: 'resolved', alert: alert.id, sale: alert.saleId, action: refund ? 'refunded' : 'kept' });
      }
      const sale = state.activeSale;
      if (sale && sale.state === 'paid') {
        write({ t: 'shown-paid', sale: sale.id });
        const basket = basketOfSale(desk, sale.id);
        if (basket !== null) {
          done.add(basket);
          write({ t: 'done', basket });
        }
        counter.finish(sale.id);
      } else if (sale && sale.state === 'open') {
        const attempt = latestAttempt(sale);
        const pending = attempt !== null && !attempt.final && !attempt.superseded;
        if (!pending) tender(sale);
        else if (attempt.mode === 'native' && attempt.state === 'awaiting-scan' && !attempt.cancelRequested) {
          let first = seen.get(attempt.id);
          if (first === undefined) {
            first = { at: Date.now(), patienceMs: 1_500 + Math.floor(random() * 4_000) };
            seen.set(attempt.id, first);
            write({ t: 'qr-seen', attempt: attempt.id, ...first });
          }
          if (Date.now() - first.at > first.patienceMs) payments.cancelNativeQr(attempt.id);
        }
      } else {
        const next = Array.from({ length: config.baskets }, (_, i) => i + 1).find((b) => !done.has(b));
        if (next === undefined) {
          if (config.mode === 'drain' && state.paymentAlerts.length === 0 && payments.syncStatus().queueLength === 0) break;
        } else {
          const rung = counter.checkout({ lines: [{ name: `B${next}`, unitFen: basketAmountFen(next), quantity: 1 }] });
          tender(rung);
        }
      }
    } catch {
      // Refusals (offline for a QR, a sale paid meanwhile...) are part of the stream: look again.
    }
    await sleep(20 + Math.floor(random() * 80));
  }
  await payments.stop();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`basket child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
