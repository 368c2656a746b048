/**
 * The POS side of the crash test, run as its own process (node_modules/.bin/tsx test/helpers/crash-child.ts
 * <config.json>). In 'run' mode it takes a stream of sales against the sandbox until it is killed; in 'drain' mode
 * it only finishes what is pending (cancelling QR codes still shown, as a cashier would) and exits 0.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { silentLogger, type Logger } from '../../shared/log';
import { isFinalAttemptState } from '../../shared/payments';
import { listAllAttempts } from '../../electron/db/wechat-attempts';
import { createPaymentService } from '../../electron/payments/service';
import type { SandboxCredentials } from '../../electron/sandbox/server';
import { createWechatPayClient } from '../../electron/wechat/factory';
import { acceleratedClock, type AcceleratedClockParams } from './accelerated-clock';
import { walletCode, WALLETS } from './fake-wechat-client';
import { openPaymentsDb, seededRandom } from './payments-harness';

export interface CrashChildConfig {
  dbFile: string;
  credentials: SandboxCredentials;
  clock: AcceleratedClockParams;
  seed: number;
  mode: 'run' | 'drain';
}

/** CRASH_CHILD_LOG=<file>: every log line (already masked) with real and fake time, for debugging the test. */
function fileLogger(file: string | undefined, now: () => number): Logger {
  if (!file) return silentLogger;
  const write = (level: string) => (message: string, fields: Record<string, unknown> = {}) =>
    appendFileSync(file, `${Date.now()} ${now()} ${process.pid} ${level} ${message} ${JSON.stringify(fields)}\n`);
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as CrashChildConfig;
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
  const logger = fileLogger(process.env.CRASH_CHILD_LOG, () => clock.now());
  logger.info('child start', { mode: config.mode });
  const service = createPaymentService({ db, client, clock, logger, terminalId: 'CRASH', random, tickMs: 10, maxInflight: 8 });
  service.on('sale.paid', () => undefined);
  service.start();
  process.stdout.write('ready\n');
  if (config.mode === 'drain') await drain(service, db);
  else await takeSales(service, random, config.seed);
}

type Service = ReturnType<typeof createPaymentService>;

async function drain(service: Service, db: ReturnType<typeof openPaymentsDb>): Promise<void> {
  for (;;) {
    const open = listAllAttempts(db).filter((a) => !isFinalAttemptState(a.state));
    for (const a of open) {
      if (a.mode === 'native' && (a.state === 'awaiting-scan' || a.state === 'creating')) service.cancelNativeQr(a.id);
    }
    if (open.length === 0 && service.syncStatus().queueLength === 0) break;
    await sleep(50);
  }
  await service.stop();
  db.close();
  process.exit(0);
}

function pickWalletCode(random: () => number, serial: number): string {
  const r = random();
  if (r < 0.4) return walletCode(WALLETS.instant, serial);
  if (r < 0.6) return walletCode(WALLETS.password, serial, 3 + Math.floor(random() * 20));
  if (r < 0.7) return walletCode(WALLETS.passwordNever, serial);
  if (r < 0.75) return walletCode(WALLETS.notEnough, serial);
  if (r < 0.8) return walletCode(WALLETS.expired, serial);
  if (r < 0.9) return walletCode(WALLETS.bankError, serial);
  if (r < 0.95) return walletCode(WALLETS.passwordCancel, serial, 5);
  return walletCode(WALLETS.alreadyUsed, serial);
}

async function takeSales(service: Service, random: () => number, seed: number): Promise<void> {
  let serial = (seed % 1000) * 100_000;
  const recent: number[] = [];
  for (;;) {
    try {
      const r = random();
      if (r < 0.1 && recent.length > 0) {
        // Refund part of an earlier sale, or void it if it never got paid.
        const saleId = recent[Math.floor(random() * recent.length)] ?? 0;
        const sale = service.getSale(saleId);
        if (sale.state === 'paid' && sale.refundedFen < sale.totalFen) {
          service.requestRefund({ saleId, amountFen: Math.max(1, Math.floor((sale.totalFen - sale.refundedFen) / 2)), approvedBy: 'mgr1' });
        } else if (sale.state === 'open' && sale.paidFen === 0) {
          service.voidSale(saleId);
        }
      } else {
        const sale = service.createSale({ cashierId: 'c1', amountFen: 1 + Math.floor(random() * 20_000) });
        recent.push(sale.id);
        if (recent.length > 30) recent.shift();
        const kind = random();
        if (kind < 0.55) {
          service.scanPaymentCode(sale.id, pickWalletCode(random, ++serial));
          await sleep(Math.floor(random() * 150));
          // Sometimes the cashier gives up on the code and takes cash.
          if (random() < 0.3 && service.getSale(sale.id).state === 'open') service.payCash(sale.id, sale.totalFen);
        } else if (kind < 0.75) {
          service.payCash(sale.id, sale.totalFen + Math.floor(random() * 1000));
        } else if (service.syncStatus().wechatAvailable) {
          const qr = service.startNativeQr(sale.id);
          await sleep(Math.floor(random() * 300));
          if (random() < 0.4) service.cancelNativeQr(qr.id);
          else if (random() < 0.3) service.payCash(sale.id, sale.totalFen);
        }
      }
    } catch {
      // Refusals (sale already paid, offline...) are part of the stream.
    }
    await sleep(10 + Math.floor(random() * 60));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`crash child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
