/**
 * A counter for the hub crash and outage tests, run as its own process and SIGKILLed at random moments: the real
 * payment service and worker against the sandbox over HTTPS, and the real hub link (electron/hub-link/) pushing the
 * facts its triggers write, wired as electron/app.ts wires them (the link yields to WeChat work at hand; its key
 * sealed by the SecretStore with a key file). Modes:
 * - 'enrol': enrols with the hub using `pairingCode`, prints "ready", exits 0;
 * - 'run': sells (cash, micropay with instant/password/failing wallets, QR codes the parent's customers pay or the
 *   cashier cancels, voids, refunds) until killed;
 * - 'drain': finishes what is pending (cancels QRs still shown), then waits until the hub acknowledged every fact,
 *   exits 0.
 * HUB_COUNTER_LOG=<file> appends each sale as it is rung and each link status change, for debugging.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { silentLogger } from '../../shared/log';
import { isFinalAttemptState } from '../../shared/payments';
import { getFactHead } from '../../electron/db/facts';
import { getHubLink } from '../../electron/db/hub-link';
import { hasWechatWorkAtHand } from '../../electron/db/outbox';
import { listAllAttempts } from '../../electron/db/wechat-attempts';
import { HubClient } from '../../electron/hub-link/client';
import { fetchHubHttp } from '../../electron/hub-link/http';
import { HubLink } from '../../electron/hub-link/link';
import { createPaymentService, type PaymentService } from '../../electron/payments/service';
import type { SandboxCredentials } from '../../electron/sandbox/server';
import { AuditLog } from '../../electron/security/audit-log';
import { openKeyFileCipher } from '../../electron/security/key-file-cipher';
import { SecretStore } from '../../electron/security/secret-store';
import { createWechatPayClient } from '../../electron/wechat/factory';
import { acceleratedClock, type AcceleratedClockParams } from './accelerated-clock';
import { walletCode, WALLETS } from './fake-wechat-client';
import { openPaymentsDb, seededRandom } from './payments-harness';

export interface HubCounterChildConfig {
  name: string;
  dbFile: string;
  keyFile: string;
  credentials: SandboxCredentials;
  clock: AcceleratedClockParams;
  seed: number;
  mode: 'enrol' | 'run' | 'drain';
  hubUrl?: string;
  pairingCode?: string;
  /** Journal of the WeChat calls' timing (micropay scanned → paid), for the outage test. */
  journalFile?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as HubCounterChildConfig;
  const clock = acceleratedClock(config.clock);
  const random = seededRandom(config.seed);
  const db = openPaymentsDb(config.dbFile);
  const debug = process.env.HUB_COUNTER_LOG;
  const note = (what: string, fields: Record<string, unknown>): void => {
    if (debug) appendFileSync(debug, `${Date.now()} ${config.name} ${process.pid} ${what} ${JSON.stringify(fields)}\n`);
  };
  const audit = new AuditLog(db, clock);
  const secrets = new SecretStore({
    db, clock, audit, logger: silentLogger,
    approvals: { consume: () => ({ zh: '不需要', en: 'not needed' }) },
    cipher: openKeyFileCipher(config.keyFile, { logger: silentLogger }),
  });
  const link = new HubLink({
    db, clock, logger: silentLogger, audit,
    client: new HubClient({ http: fetchHubHttp, now: () => clock.now(), timeoutMs: 5_000 }),
    vault: { save: (pem, by) => secrets.saveHubPrivateKey(pem, by), load: () => secrets.hubPrivateKey() },
    appVersion: '1.0.0-crash',
    // As electron/app.ts: WeChat work at hand (in flight, or due in the last 5 s) comes first.
    paymentsBusy: () => hasWechatWorkAtHand(db, clock.now(), 5_000),
    heartbeatState: () => ({ wechatReachable: true, printer: 'none', scanner: 'none', openShift: null }),
  });
  link.onStatus((s) => note('link', { reachable: s.reachable, backlog: s.backlog, problem: s.problem, stopped: s.stopped }));
  if (config.mode === 'enrol') {
    await link.enrol({ hubUrl: config.hubUrl ?? '', pairingCode: config.pairingCode ?? '', counterName: config.name }, { id: 'm1', name: '李经理' });
    process.stdout.write('ready\n');
    db.close();
    process.exit(0);
  }
  const terminalId = getHubLink(db)?.terminal_id;
  if (terminalId === undefined) throw new Error('not enrolled');
  const wechat = createWechatPayClient({
    apiVersion: 'v2',
    credentials: config.credentials,
    baseUrl: config.credentials.baseUrl,
    timeouts: { connectMs: 1_000, totalMs: 2_000 },
    clock,
    logger: silentLogger,
    spbillCreateIp: '127.0.0.1',
  });
  const service = createPaymentService({ db, client: wechat, clock, logger: silentLogger, terminalId, random, tickMs: 10, maxInflight: 8 });
  service.on('sale.paid', ({ sale }) => {
    if (config.journalFile) appendFileSync(config.journalFile, `${JSON.stringify({ t: 'paid', sale: sale.id, at: clock.now() })}\n`);
  });
  service.start();
  link.start();
  process.stdout.write('ready\n');
  if (config.mode === 'drain') {
    await drain(service, link, db);
    return;
  }
  await takeSales(service, random, config, () => clock.now(), note);
}

async function drain(service: PaymentService, link: HubLink, db: ReturnType<typeof openPaymentsDb>): Promise<void> {
  for (;;) {
    const open = listAllAttempts(db).filter((a) => !isFinalAttemptState(a.state));
    for (const a of open) {
      if (a.mode === 'native' && (a.state === 'awaiting-scan' || a.state === 'creating')) service.cancelNativeQr(a.id);
    }
    const head = getFactHead(db);
    if (open.length === 0 && service.syncStatus().queueLength === 0 && head.acked === head.seq) break;
    await sleep(50);
  }
  await link.stop();
  await service.stop();
  db.close();
  process.exit(0);
}

function pickWalletCode(random: () => number, serial: number): string {
  const r = random();
  if (r < 0.5) return walletCode(WALLETS.instant, serial);
  if (r < 0.75) return walletCode(WALLETS.password, serial, 3 + Math.floor(random() * 10));
  if (r < 0.85) return walletCode(WALLETS.notEnough, serial);
  return walletCode(WALLETS.bankError, serial);
}

async function takeSales(
  service: PaymentService,
  random: () => number,
  config: HubCounterChildConfig,
  now: () => number,
  note: (what: string, fields: Record<string, unknown>) => void,
): Promise<void> {
  let serial = (config.seed % 1000) * 100_000;
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
        note('sale', { id: sale.id, kind });
        if (kind < 0.5) {
          const code = pickWalletCode(random, ++serial);
          if (config.journalFile) appendFileSync(config.journalFile, `${JSON.stringify({ t: 'scanned', sale: sale.id, at: now() })}\n`);
          service.scanPaymentCode(sale.id, code);
          await sleep(Math.floor(random() * 150));
          if (random() < 0.2 && service.getSale(sale.id).state === 'open') service.payCash(sale.id, sale.totalFen);
        } else if (kind < 0.8) {
          service.payCash(sale.id, sale.totalFen + Math.floor(random() * 1000));
        } else if (service.syncStatus().wechatAvailable) {
          const qr = service.startNativeQr(sale.id);
          await sleep(Math.floor(random() * 300));
          if (random() < 0.3) service.cancelNativeQr(qr.id);
        }
      }
    } catch {
      // Refusals (sale already paid, offline...) are part of the stream.
    }
    await sleep(10 + Math.floor(random() * 60));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`hub counter child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
