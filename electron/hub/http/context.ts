import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import type { SetupGate } from '../admin-auth';
import type { HubDatabase } from '../db/database';
import type { EnrolmentLimiter } from '../enrolment';
import type { HubMerchantDirectory } from '../merchants/directory';

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
  /** The WeChat Pay merchants the hub acts for (bills, reconciliation, closing orphaned QR orders). */
  merchants: HubMerchantDirectory;
}
