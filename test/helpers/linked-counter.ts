import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { appMigrations } from '../../electron/db/migrations';
import { openDatabase } from '../../electron/db/open';
import { HubClient } from '../../electron/hub-link/client';
import { fetchHubHttp } from '../../electron/hub-link/http';
import { HubLink, type HubLinkDeps } from '../../electron/hub-link/link';
import { AuditLog } from '../../electron/security/audit-log';
import { openKeyFileCipher } from '../../electron/security/key-file-cipher';
import { SecretStore } from '../../electron/security/secret-store';
import type { Clock } from '../../shared/clock';
import { MemoryLogger } from '../../shared/log';

export interface LinkedCounter {
  db: Database;
  logger: MemoryLogger;
  secrets: SecretStore;
  client: HubClient;
  link: HubLink;
}

export interface LinkedCounterOptions {
  /** The time the counter signs its requests with (default: `clock`): a test moves it to play a wrong PC clock. */
  requestNow?: () => number;
  paymentsBusy?: () => boolean;
  onEnrolled?: HubLinkDeps['onEnrolled'];
  timeoutMs?: number;
}

/**
 * A counter's database in `dir` (all migrations) with its hub link wired as electron/app.ts wires it: the real
 * signed HTTP client, the private key sealed in the secret store (a key file cipher in `dir`), the audit log.
 */
export function openLinkedCounter(dir: string, clock: Clock, options: LinkedCounterOptions = {}): LinkedCounter {
  const db = openDatabase(join(dir, 'pos.db'), appMigrations);
  const logger = new MemoryLogger();
  const audit = new AuditLog(db, clock);
  const secrets = new SecretStore({
    db, clock, audit, logger,
    approvals: { consume: () => ({ zh: '不需要', en: 'not needed' }) },
    cipher: openKeyFileCipher(join(dir, 'secret.key'), { logger }),
  });
  const client = new HubClient({ http: fetchHubHttp, now: options.requestNow ?? (() => clock.now()), timeoutMs: options.timeoutMs ?? 5_000 });
  const link = new HubLink({
    db, clock, logger, audit, client,
    vault: { save: (pem, by) => secrets.saveHubPrivateKey(pem, by), load: () => secrets.hubPrivateKey() },
    appVersion: '1.0.0-test',
    paymentsBusy: options.paymentsBusy ?? (() => false),
    heartbeatState: () => ({ wechatReachable: true, printer: 'ok', scanner: 'none', openShift: null }),
    onEnrolled: options.onEnrolled,
  });
  return { db, logger, secrets, client, link };
}
