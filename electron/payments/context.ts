import type { Database } from 'better-sqlite3';
import type { Logger } from '../../shared/log';
import type { Random } from '../sync/backoff';
import type { WechatPayClient } from '../wechat/types';
import type { ChangeSet } from './changes';
import type { AuthCodeVault } from './code-vault';
import type { PaymentPolicy } from './policy';
import type { RefundClearanceGate } from './refund-clearance';
import type { OrderNoIdentity } from './trade-no';

/** What the payment domain functions and outbox handlers share. Built once by the service. */
export interface PaymentContext {
  db: Database;
  client: WechatPayClient;
  policy: PaymentPolicy;
  random: Random;
  logger: Logger;
  ids: OrderNoIdentity;
  /** Seals payment codes for the database with this run's in-memory key (never stored in clear). */
  codes: AuthCodeVault;
  isOnline(): boolean;
  /** The hub's refund clearance (分账回退 first) for an enrolled profit-sharing counter; absent: never asked. */
  clearance?: RefundClearanceGate;
  /** Emits the events for what a committed transaction changed. */
  publish(changes: ChangeSet): void;
}
