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
import { HubEvents } from './operations/live';
import { resolveDatabaseTarget } from './settings';

export interface HubOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** postgres://… ; else the data dir's settings file decides, else SQLite in the data dir. */
  databaseUrl?: string;
  clock?: Clock;
  log?: Logger;
  /** The built pages (dist/renderer); defaults to the repo's dist/renderer (a 503 says to build while it is missing). null: no pages. */
  pagesDir?: string | null;
}

export interface RunningHub {
  url: string;
  /** The one-time setup link while no owner exists, else null (the head office signs in through the admin API). */
  adminUrl: string | null;
  hubId: string;
  database: HubDatabase;
  close(): Promise<void>;
}

const NONCE_SWEEP_MS = 60_000;

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
    let url = '';
    const ctx: HubContext = {
      hubId, baseUrl: () => url, database, clock, log, setupGate, enrolmentLimiter: new EnrolmentLimiter(clock),
      pagesDir: options.pagesDir === undefined ? defaultPagesDir() : options.pagesDir,
      events: new HubEvents(),
    };
    const server = createHubServer(ctx);
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
    log.info('hub: ready', { url, engine: database.engine, hubId });
    return {
      url,
      adminUrl: setupToken === null ? null : `${url}/setup?token=${setupToken}`,
      hubId,
      database,
      async close(): Promise<void> {
        clearInterval(sweep);
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
