import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SIGNATURE_MAX_SKEW_MS } from '../../shared/hub-protocol';
import { systemClock, type Clock } from '../../shared/clock';
import { silentLogger, type Logger } from '../../shared/log';
import { ensurePrivateFolder } from '../db/private-files';
import { SetupGate } from './admin-auth';
import { openHubDatabase, type HubDatabase } from './db/database';
import { ensureMeta } from './db/meta';
import { forgetNoncesBefore } from './db/request-nonces';
import { countUsers } from './db/users';
import { EnrolmentLimiter } from './enrolment';
import type { HubContext } from './http/context';
import { createHubServer } from './http/server';
import { attachPushSocket } from './http/push-socket';
import { createMerchantDirectory, withFixedMerchants } from './merchants/directory';
import { openHubSecretCipher } from './merchants/sealed';
import { createNotificationDecoders } from './notify/decode';
import { HintBus } from './notify/hints';
import { createNotificationRecorder } from './notify/recorder';
import { settleAwaiting } from './notify/record';
import { DEFAULT_MAX_NOTIFICATION_BYTES } from '../wechat/notification';
import { HubEvents } from './operations/live';
import { resolveDatabaseTarget } from './settings';
import type { HubMerchant, HubMerchantDirectory } from './merchants/directory';
import { HubBillJob } from './reconciliation/bill-job';
import { HubOrphanQrCloser } from './reconciliation/orphan-qr';
import { HubPriceScheduleJob, PRICE_JOB_INTERVAL_MS } from './reference/price-job';
import { RollupJob } from './projections/rollup-job';
import { createWechatPayClient } from '../wechat/factory';
import type { WechatPayClient } from '../wechat/types';
import { createProfitSharingClient } from '../wechat/profit-sharing/factory';
import type { ProfitSharingClient } from '../wechat/profit-sharing/types';
import { HubSettlementJob } from './settlement/run';

export interface HubOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** postgres://… ; else the data dir's settings file decides, else SQLite in the data dir. */
  databaseUrl?: string;
  clock?: Clock;
  log?: Logger;
  /**
   * WeChat Pay merchants given at start, beside those the owner enters at the hub (sealed in its database): tests
   * pass the sandbox's. By default only the entered ones.
   */
  merchants?: HubMerchantDirectory;
  /** Tests may pass their own; by default the real client for the merchant's API version and base URL. */
  wechatClientFor?: (merchant: HubMerchant) => WechatPayClient;
  /** The built pages (dist/renderer); defaults to the repo's dist/renderer (a 503 says to build while it is missing). null: no pages. */
  pagesDir?: string | null;
  /** How long after a push the dashboards' rollups of its store-days are rebuilt (projections/rollup-job.ts). */
  rollupDebounceMs?: number;
}

export interface RunningHub {
  url: string;
  /** The one-time setup link while no owner exists, else null (the head office signs in through the admin API). */
  adminUrl: string | null;
  hubId: string;
  database: HubDatabase;
  /** The periodic jobs (also run by a timer every JOB_INTERVAL_MS): tests call tick() with their clock. */
  jobs: { bills: HubBillJob; orphanQr: HubOrphanQrCloser; settlement: HubSettlementJob; rollups: RollupJob; prices: HubPriceScheduleJob };
  /** Each store's WeChat merchant (credentials unsealed in memory): what recon downloads bills and closes orders with. */
  merchants: HubMerchantDirectory;
  /** Paid / refunded hints to connected counters (the push channel subscribes here). */
  hints: HintBus;
  close(): Promise<void>;
}

const NONCE_SWEEP_MS = 60_000;
/** How often the bill download and the orphaned-QR close look for work (each is cheap when there is none). */
const JOB_INTERVAL_MS = 5 * 60_000;
const AWAITING_SWEEP_MS = 60_000;

/** `npm run build` puts the pages in <repo>/dist/renderer; the hub runs from electron/hub/ under tsx. */
function defaultPagesDir(): string {
  return fileURLToPath(new URL('../../dist/renderer', import.meta.url));
}

/**
 * The hub's composition root (the counter's is electron/app.ts): data dir, database and migrations, the services'
 * state, the HTTP server. Tests start it in-process with a ManualClock; `npm run hub` starts it from cli.ts.
 */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  ensurePrivateFolder(options.dataDir);
  const database = await openHubDatabase(resolveDatabaseTarget(options.dataDir, options.databaseUrl));
  try {
    const hubId = await ensureMeta(database.db, 'hub_id', () => randomUUID());
    const setupGate = new SetupGate();
    const setupToken = (await countUsers(database.db)) === 0 ? setupGate.open() : null;
    const secretCipher = openHubSecretCipher(options.dataDir, log);
    const sealedMerchants = createMerchantDirectory(database.db, secretCipher, log);
    await sealedMerchants.reload();
    // Merchants given at start (tests, scripted installs) stand beside those the owner entered at the hub.
    const merchants = options.merchants ? withFixedMerchants(sealedMerchants, options.merchants) : sealedMerchants;
    const hints = new HintBus();
    let url = '';
    const psClientFor = profitSharingClientCache(clock, log);
    const settlement = new HubSettlementJob({ db: database.db, merchants, psClientFor, clock, log });
    const rollups = new RollupJob({ database, log, debounceMs: options.rollupDebounceMs });
    const ctx: HubContext = {
      hubId, baseUrl: () => url, database, clock, log, setupGate, enrolmentLimiter: new EnrolmentLimiter(clock), merchants, secretCipher,
      notifications: createNotificationDecoders(merchants, clock, DEFAULT_MAX_NOTIFICATION_BYTES), hints,
      notificationRecorder: createNotificationRecorder(database),
      pagesDir: options.pagesDir === undefined ? defaultPagesDir() : options.pagesDir,
      events: new HubEvents(),
      settlement: {
        job: settlement,
        clientFor: (mchid) => {
          const merchant = merchants.credentialsFor(mchid);
          return merchant ? psClientFor(merchant) : null;
        },
      },
      rollups,
    };
    const clientFor = options.wechatClientFor ?? wechatClientCache(clock, log);
    const jobs = {
      bills: new HubBillJob({ db: database.db, merchants, clientFor, clock, log }),
      orphanQr: new HubOrphanQrCloser({ db: database.db, merchants, clientFor, clock, log }),
      settlement,
      rollups,
    };
    const server = createHubServer(ctx);
    const pushSocket = attachPushSocket(server, ctx);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    url = `http://${shownHost}:${port}`;
    const sweep = setInterval(() => {
      forgetNoncesBefore(database.db, clock.now() - 2 * SIGNATURE_MAX_SKEW_MS).catch((error: unknown) =>
        log.warn('hub: could not forget old nonces', { error: error instanceof Error ? error.message : String(error) }));
    }, NONCE_SWEEP_MS);
    sweep.unref();
    const runJobs = (): void => {
      for (const [name, job] of Object.entries(jobs)) {
        job.tick().catch((error: unknown) => log.error('hub: job failed', { job: name, error: error instanceof Error ? error.message : String(error) }));
      }
    };
    const jobTimer = setInterval(runJobs, JOB_INTERVAL_MS);
    jobTimer.unref();
    // Scheduled prices have their own, shorter beat: a 09:00 change should reach the counters' next pull at 09:00.
    const prices = new HubPriceScheduleJob({ db: database.db, clock, log });
    const runPrices = (): void => {
      prices.tick().catch((error: unknown) => log.error('hub: job failed', { job: 'prices', error: error instanceof Error ? error.message : String(error) }));
    };
    runPrices();
    const priceTimer = setInterval(runPrices, PRICE_JOB_INTERVAL_MS);
    priceTimer.unref();
    // A notification and the push naming its order may commit at the same moment on PostgreSQL, each without
    // seeing the other: this sweep matches whatever both missed (and, at start, what a crash left waiting).
    const settle = (): void => {
      database.db.transaction().execute((trx) => settleAwaiting(trx, clock.now())).catch((error: unknown) =>
        log.warn('hub: could not match waiting WeChat notifications', { error: error instanceof Error ? error.message : String(error) }));
    };
    settle();
    // Store-days a push marked before the hub stopped (or crashed) are rebuilt shortly after the start.
    rollups.marked();
    const awaitingSweep = setInterval(settle, AWAITING_SWEEP_MS);
    awaitingSweep.unref();
    log.info('hub: ready', { url, engine: database.engine, hubId });
    return {
      url,
      adminUrl: setupToken === null ? null : `${url}/setup?token=${setupToken}`,
      hubId,
      database,
      jobs: { ...jobs, prices },
      merchants,
      hints,
      async close(): Promise<void> {
        clearInterval(sweep);
        clearInterval(jobTimer);
        clearInterval(priceTimer);
        clearInterval(awaitingSweep);
        pushSocket.close();
        // A job in flight finishes before the database closes (its transaction commits or rolls back whole).
        await Promise.allSettled([jobs.bills.idle(), jobs.orphanQr.idle(), jobs.settlement.idle(), prices.idle(), jobs.rollups.close()]);
        ctx.events.endStreams();
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** One WeChat Pay client per merchant (its keep-alive connections are reused), rebuilt when its settings change. */
function wechatClientCache(clock: Clock, log: Logger): (merchant: HubMerchant) => WechatPayClient {
  const cache = new Map<string, { merchant: HubMerchant; client: WechatPayClient }>();
  return (merchant) => {
    const kept = cache.get(merchant.mchid);
    if (kept && kept.merchant === merchant) return kept.client;
    const client = createWechatPayClient({
      apiVersion: merchant.apiVersion, credentials: merchant.credentials, baseUrl: merchant.baseUrl,
      timeouts: { connectMs: 5_000, totalMs: 30_000 }, clock, logger: log, spbillCreateIp: '127.0.0.1',
      ...(merchant.partner ? { partner: merchant.partner } : {}),
    });
    cache.set(merchant.mchid, { merchant, client });
    return client;
  };
}

/**
 * One profit-sharing client per merchant, in the merchant's API version (v3, or v2 with the API client
 * certificate), for a sub-merchant through its service provider; null when the merchant's credentials cannot make
 * one (e.g. v3 without the WeChat Pay key, v2 without the client certificate): said once.
 */
function profitSharingClientCache(clock: Clock, log: Logger): (merchant: HubMerchant) => ProfitSharingClient | null {
  const cache = new Map<string, { merchant: HubMerchant; client: ProfitSharingClient | null }>();
  return (merchant) => {
    const kept = cache.get(merchant.mchid);
    if (kept && kept.merchant === merchant) return kept.client;
    let client: ProfitSharingClient | null = null;
    try {
      client = createProfitSharingClient({
        apiVersion: merchant.apiVersion, credentials: merchant.credentials, baseUrl: merchant.baseUrl, timeouts: { connectMs: 5_000, totalMs: 30_000 },
        clock, logger: log, spbillCreateIp: '127.0.0.1', ...(merchant.partner ? { partner: merchant.partner } : {}),
      });
    } catch (error) {
      log.error('hub: no profit-sharing client for a merchant', { mchid: merchant.mchid, error: error instanceof Error ? error.message : String(error) });
    }
    cache.set(merchant.mchid, { merchant, client });
    return client;
  };
}
