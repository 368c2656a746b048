import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import type { SetupGate } from '../admin-auth';
import type { HubDatabase } from '../db/database';
import type { EnrolmentLimiter } from '../enrolment';
import type { SecretCipher } from '../../security/cipher';
import type { ReloadableMerchantDirectory } from '../merchants/directory';
import type { NotificationDecoders } from '../notify/decode';
import type { HintBus } from '../notify/hints';
import type { NotificationRecorder } from '../notify/recorder';
import type { HubEvents } from '../operations/live';
import type { ProfitSharingClient } from '../../wechat/profit-sharing/types';
import type { HubSettlementJob } from '../settlement/run';
import type { RollupJob } from '../projections/rollup-job';

/** What the HTTP layer needs, built once by the composition root (../app.ts). */
export interface HubContext {
  hubId: string;
  /** The hub's own base URL as counters reach it (for the pairing QR). */
  baseUrl(): string;
  database: HubDatabase;
  clock: Clock;
  log: Logger;
  setupGate: SetupGate;
  enrolmentLimiter: EnrolmentLimiter;
  /** The WeChat Pay merchants the hub acts for (notifications, bills, reconciliation, orphaned QR orders): credentials sealed with `secretCipher` (the hub's key file) in the database. */
  merchants: ReloadableMerchantDirectory;
  secretCipher: SecretCipher;
  /** WeChat notifications: verified with the merchants' keys; hints to the counters connected for them. */
  notifications: NotificationDecoders;
  hints: HintBus;
  /** Records each verified notification once with its effect (group commit on SQLite). */
  notificationRecorder: NotificationRecorder;
  /** The built renderer folder holding hub/index.html and assets/ (dist/renderer), or null: pages not served. */
  pagesDir: string | null;
  /** Pushes and heartbeats, for the live page's event stream. */
  events: HubEvents;
  /** Settlement runs (profit sharing): each merchant's profit-sharing client, and the job (a retry starts it). */
  settlement: { clientFor(mchid: string): ProfitSharingClient | null; job: HubSettlementJob };
  /** Rebuilds the dashboards' rollups of the store-days pushes marked; dashboards and exports settle it first. */
  rollups: RollupJob;
}
