import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import type { Database } from '../../db/open';
import { parseXml } from '../../wechat/v2/xml';
import type { SandboxIdentity } from '../certs';
import type { FaultSwitches } from '../faults';
import { getOrder } from '../ledger/orders';
import { getRefund } from '../ledger/refunds';
import { isPaid, settleOrder, settleRefund } from '../state';
import type { V3SigningMode } from '../v3/protocol';
import type { PostNotification } from './deliver';
import {
  dueNotifications,
  insertAttempt,
  insertNotification,
  listAttempts,
  listNotificationRows,
  openTargets,
  refundNotifiedFor,
  settleTarget,
  updateNotification,
  type AttemptRow,
  type NotificationRow,
  type NotifyTarget,
} from './ledger';
import { eventTypeOfRefund, paymentPayload, refundPayload, tamperPayload, type PayloadFaults } from './payloads';

/**
 * The sandbox as WeChat's notification sender. No timers decide anything: `pump()` looks at the injected clock,
 * turns every order paid and every refund finished by then (for those that carried a notify_url) into a
 * notification, and makes every delivery due by then. Tests call pump() after moving a ManualClock; the CLI and
 * the embedded sandbox also run it on a real-time interval (startAutoPump), which only decides how often it looks.
 *
 * Retries follow WeChat's published schedule after each answer that is not a success (v3: any 2xx; v2: an XML
 * answer with return_code SUCCESS), each wait divided by the time factor (1 = real time).
 */

/** 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h (24 h 4 min in all), then WeChat gives up. */
export const RETRY_SCHEDULE_MS: readonly number[] = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600].map(
  (s) => s * 1000,
);
/** The duplicate fault's second copy, "about a second apart", as seen live. */
export const DUPLICATE_AFTER_MS = 1_000;
/** How long the out-of-order fault holds a payment notification when no refund notification comes. */
export const OUT_OF_ORDER_HOLD_MS = 10 * 60_000;

export interface NotificationServiceDeps {
  db: Database;
  clock: Clock;
  identity: SandboxIdentity;
  signingMode: () => V3SigningMode;
  switches: FaultSwitches;
  post: PostNotification;
  logger: Logger;
  timeFactor?: number;
}

export interface SandboxNotificationView {
  id: string;
  kind: NotificationRow['kind'];
  api: NotificationRow['api'];
  eventType: string;
  outTradeNo: string;
  /** out_trade_no for a payment, out_refund_no for a refund. */
  ref: string;
  url: string;
  state: NotificationRow['state'];
  createdAt: number;
  failures: number;
  nextAttemptAt: number | null;
  attempts: AttemptRow[];
}

const MAX_ANSWER_KEPT = 500;

export class NotificationService {
  private tail: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private timeFactor: number;

  constructor(private readonly deps: NotificationServiceDeps) {
    this.timeFactor = deps.timeFactor ?? 1;
  }

  /** Divides every wait of the schedule (retries, the out-of-order hold) by `factor`: 60 turns 15 s into 250 ms. */
  setTimeFactor(factor: number): void {
    if (!Number.isFinite(factor) || factor < 1 || factor > 100_000) throw new RangeError('time factor must be between 1 and 100000');
    this.timeFactor = factor;
  }

  getTimeFactor(): number {
    return this.timeFactor;
  }

  /** Makes every delivery due at the clock's now; resolves with how many were sent. Calls never overlap. */
  pump(): Promise<number> {
    const run = this.tail.then(() => this.runOnce());
    this.tail = run.catch(() => undefined);
    return run;
  }

  startAutoPump(intervalMs: number): void {
    this.stopAutoPump();
    this.timer = setInterval(() => {
      this.pump().catch((error: unknown) => this.deps.logger.error('sandbox: notification pump failed', { error: String(error) }));
    }, intervalMs);
    this.timer.unref();
  }

  stopAutoPump(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops the interval and waits for a pump under way (before the ledger closes). */
  async close(): Promise<void> {
    this.stopAutoPump();
    await this.tail;
  }

  list(): SandboxNotificationView[] {
    const attempts = listAttempts(this.deps.db);
    return listNotificationRows(this.deps.db).map((n) => ({
      id: n.id,
      kind: n.kind,
      api: n.api,
      eventType: n.eventType,
      outTradeNo: n.outTradeNo,
      ref: n.ref,
      url: n.url,
      state: n.state,
      createdAt: n.createdAt,
      failures: n.failures,
      nextAttemptAt: n.nextAttemptAt,
      attempts: attempts.filter((a) => a.notificationId === n.id),
    }));
  }

  private wait(ms: number): number {
    return Math.max(1, Math.round(ms / this.timeFactor));
  }

  private async runOnce(): Promise<number> {
    let sent = 0;
    // A few passes: a refund sent in one pass releases a payment the out-of-order fault held back.
    for (let pass = 0; pass < 4; pass += 1) {
      const now = this.deps.clock.now();
      this.discover(now);
      let progressed = false;
      for (const n of dueNotifications(this.deps.db, now)) {
        const outcome = await this.step(n, now);
        sent += outcome.sent;
        progressed ||= outcome.released;
      }
      if (!progressed) break;
    }
    return sent;
  }

  /** Orders paid and refunds finished by `now` whose notify_url has no notification yet get one. */
  private discover(now: number): void {
    const { db } = this.deps;
    db.transaction(() => {
      for (const target of openTargets(db)) {
        const row = target.kind === 'payment' ? this.paymentDue(target, now) : this.refundDue(target, now);
        if (row) insertNotification(db, row);
      }
    })();
  }

  private newRow(target: NotifyTarget, outTradeNo: string, eventType: string, at: number): NotificationRow {
    return {
      id: randomUUID(),
      subject: target.subject,
      kind: target.kind,
      api: target.api,
      outTradeNo,
      ref: target.ref,
      eventType,
      url: target.url,
      createdAt: at,
      state: 'pending',
      failures: 0,
      nextAttemptAt: at,
      duplicateAt: null,
      heldUntil: null,
    };
  }

  private paymentDue(target: NotifyTarget, now: number): NotificationRow | null {
    const found = getOrder(this.deps.db, target.ref);
    if (!found) {
      settleTarget(this.deps.db, target.subject);
      return null;
    }
    const order = settleOrder(this.deps.db, found, now);
    if (order.paidAt !== null && (isPaid(order) || order.state === 'REVOKED')) {
      return this.newRow(target, order.outTradeNo, 'TRANSACTION.SUCCESS', order.paidAt);
    }
    // An order that can no longer be paid (ended, or past time_expire with no payment under way) never will be:
    // stop looking at it on every pump.
    const expired = order.state === 'NOTPAY' && order.paysAt === null && order.timeExpire !== null && order.timeExpire < now;
    if (expired || order.state === 'CLOSED' || order.state === 'REVOKED' || order.state === 'PAYERROR') settleTarget(this.deps.db, target.subject);
    return null;
  }

  private refundDue(target: NotifyTarget, now: number): NotificationRow | null {
    const found = getRefund(this.deps.db, target.ref);
    if (!found) {
      settleTarget(this.deps.db, target.subject);
      return null;
    }
    const refund = settleRefund(this.deps.db, found, now);
    if (refund.status === 'PROCESSING') return null;
    return this.newRow(target, refund.outTradeNo, eventTypeOfRefund(refund.status), refund.successAt ?? now);
  }

  private async step(n: NotificationRow, now: number): Promise<{ sent: number; released: boolean }> {
    const { db, switches } = this.deps;
    const path = new URL(n.url).pathname;
    let row = n;
    let sent = 0;
    if (row.state === 'held') {
      const release = refundNotifiedFor(db, row.outTradeNo) || (row.heldUntil !== null && row.heldUntil <= now);
      if (!release) return { sent, released: false };
      row = { ...row, state: 'pending', nextAttemptAt: now };
      updateNotification(db, row);
    }
    if (row.duplicateAt !== null && row.duplicateAt <= now) {
      await this.deliver(row, now, { tamper: false, stale: false, wrongAmount: false }, true, []);
      row = { ...row, duplicateAt: null };
      updateNotification(db, row);
      sent += 1;
    }
    if (row.state !== 'pending' || row.nextAttemptAt === null || row.nextAttemptAt > now) return { sent, released: row !== n };
    if (row.kind === 'payment' && row.failures === 0 && row.heldUntil === null && switches.takeNotifyFault('notify-out-of-order', path)) {
      updateNotification(db, { ...row, state: 'held', heldUntil: now + this.wait(OUT_OF_ORDER_HOLD_MS) });
      return { sent, released: false };
    }
    const faults: PayloadFaults = {
      tamper: switches.takeNotifyFault('notify-tamper', path),
      stale: row.api === 'v3' && switches.takeNotifyFault('notify-stale', path),
      wrongAmount: switches.takeNotifyFault('notify-wrong-amount', path),
    };
    const duplicate = switches.takeNotifyFault('notify-duplicate', path);
    const names = [
      ...(row.heldUntil !== null ? ['out-of-order'] : []),
      ...(faults.tamper ? ['tamper'] : []),
      ...(faults.stale ? ['stale'] : []),
      ...(faults.wrongAmount ? ['wrong-amount'] : []),
      ...(duplicate ? ['duplicate'] : []),
    ];
    const accepted = await this.deliver(row, now, faults, false, names);
    sent += 1;
    const failures = accepted ? row.failures : row.failures + 1;
    const retryIn = RETRY_SCHEDULE_MS[failures - 1];
    const next: NotificationRow = {
      ...row,
      failures,
      state: accepted ? 'delivered' : retryIn === undefined ? 'given-up' : 'pending',
      nextAttemptAt: accepted || retryIn === undefined ? null : now + this.wait(retryIn),
      duplicateAt: duplicate ? now + DUPLICATE_AFTER_MS : row.duplicateAt,
    };
    updateNotification(db, next);
    return { sent, released: true };
  }

  /** Builds, sends and records one delivery; true when the receiver's answer means "received". */
  private async deliver(n: NotificationRow, now: number, faults: PayloadFaults, duplicate: boolean, names: string[]): Promise<boolean> {
    const { db, identity } = this.deps;
    const payload = this.payloadFor(n, now, faults);
    if (!payload) return false;
    const body = faults.tamper ? tamperPayload(n, payload.body) : payload.body;
    const attempt = duplicate ? n.failures : n.failures + 1;
    let status: number | null = null;
    let answer: string | null = null;
    let error: string | null = null;
    try {
      const reply = await this.deps.post(n.url, payload.headers, body);
      status = reply.status;
      answer = reply.body.slice(0, MAX_ANSWER_KEPT);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const accepted = status !== null && status >= 200 && status < 300 && (n.api === 'v3' || v2Success(answer ?? ''));
    insertAttempt(db, {
      notificationId: n.id,
      attempt,
      duplicate,
      at: now,
      faults: duplicate ? ['duplicate-copy'] : names,
      headers: payload.headers,
      body,
      status,
      answer,
      error,
      accepted,
    });
    this.deps.logger.info('sandbox notification sent', {
      id: n.id,
      event: n.eventType,
      mchid: identity.mchid,
      attempt,
      status: status ?? undefined,
      accepted,
      error: error ?? undefined,
    });
    return accepted;
  }

  private payloadFor(n: NotificationRow, now: number, faults: PayloadFaults): { headers: Record<string, string>; body: string } | null {
    const { db, identity } = this.deps;
    const ctx = { identity, signingMode: this.deps.signingMode(), now };
    const order = getOrder(db, n.outTradeNo);
    if (!order) return null;
    if (n.kind === 'payment') return paymentPayload(ctx, n, order, faults);
    const refund = getRefund(db, n.ref);
    return refund ? refundPayload(ctx, n, order, refund, faults) : null;
  }
}

function v2Success(answer: string): boolean {
  try {
    return parseXml(answer).return_code === 'SUCCESS';
  } catch {
    return false;
  }
}
