import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import type { SetupGate } from '../admin-auth';
import type { HubDatabase } from '../db/database';
import type { EnrolmentLimiter } from '../enrolment';
import type { HubEvents } from '../operations/live';

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
  /** The built renderer folder holding hub/index.html and assets/ (dist/renderer), or null: pages not served. */
  pagesDir: string | null;
  /** Pushes and heartbeats, for the live page's event stream. */
  events: HubEvents;
}
