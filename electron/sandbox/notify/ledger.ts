import type { Database } from '../../db/open';

/** SQL for the sandbox's notification queue (tables in ledger/migrations.ts, version 2). */

export type NotifyKind = 'payment' | 'refund';
export type NotifyApi = 'v2' | 'v3';
export type NotificationState = 'pending' | 'held' | 'delivered' | 'given-up';

/** An order or refund that carried a notify_url: `ref` is its out_trade_no / out_refund_no. */
export interface NotifyTarget {
  subject: string;
  kind: NotifyKind;
  api: NotifyApi;
  ref: string;
  url: string;
}

export interface NotificationRow {
  id: string;
  subject: string;
  kind: NotifyKind;
  api: NotifyApi;
  outTradeNo: string;
  ref: string;
  eventType: string;
  url: string;
  createdAt: number;
  state: NotificationState;
  /** Answers that were not a success so far (the retry schedule's position). */
  failures: number;
  nextAttemptAt: number | null;
  /** The duplicate-delivery fault's second copy is due at this instant. */
  duplicateAt: number | null;
  /** The out-of-order fault holds a payment notification back until its refund's went, or until this instant. */
  heldUntil: number | null;
}

export interface AttemptRow {
  notificationId: string;
  attempt: number;
  duplicate: boolean;
  at: number;
  faults: string[];
  headers: Record<string, string>;
  body: string;
  status: number | null;
  answer: string | null;
  error: string | null;
  accepted: boolean;
}

export const subjectOf = (kind: NotifyKind, ref: string): string => `${kind === 'payment' ? 'pay' : 'refund'}:${ref}`;

/** Remembers where to notify; the first notify_url given for an order or refund wins, as an idempotent replay sends the same. */
export function recordNotifyTarget(db: Database, target: Omit<NotifyTarget, 'subject'>): void {
  db.prepare('INSERT INTO sandbox_notify_targets (subject, kind, api, ref, url) VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject) DO NOTHING').run(
    subjectOf(target.kind, target.ref),
    target.kind,
    target.api,
    target.ref,
    target.url,
  );
}

/** Targets whose notification does not exist yet and whose order / refund may still come to a result. */
export function openTargets(db: Database): NotifyTarget[] {
  return db
    .prepare(
      `SELECT t.subject, t.kind, t.api, t.ref, t.url FROM sandbox_notify_targets t
       LEFT JOIN sandbox_notifications n ON n.subject = t.subject
       WHERE n.id IS NULL AND t.settled = 0 ORDER BY t.rowid`,
    )
    .all() as NotifyTarget[];
}

/** The order ended without a payment (closed, revoked, failed): nothing will ever be sent for it. */
export function settleTarget(db: Database, subject: string): void {
  db.prepare('UPDATE sandbox_notify_targets SET settled = 1 WHERE subject = ?').run(subject);
}

interface RawNotification {
  id: string;
  subject: string;
  kind: NotifyKind;
  api: NotifyApi;
  out_trade_no: string;
  ref: string;
  event_type: string;
  url: string;
  created_at: number;
  state: NotificationState;
  failures: number;
  next_attempt_at: number | null;
  duplicate_at: number | null;
  held_until: number | null;
}

const fromRaw = (r: RawNotification): NotificationRow => ({
  id: r.id,
  subject: r.subject,
  kind: r.kind,
  api: r.api,
  outTradeNo: r.out_trade_no,
  ref: r.ref,
  eventType: r.event_type,
  url: r.url,
  createdAt: r.created_at,
  state: r.state,
  failures: r.failures,
  nextAttemptAt: r.next_attempt_at,
  duplicateAt: r.duplicate_at,
  heldUntil: r.held_until,
});

export function insertNotification(db: Database, n: NotificationRow): void {
  db.prepare(
    `INSERT INTO sandbox_notifications (id, subject, kind, api, out_trade_no, ref, event_type, url, created_at, state, failures,
       next_attempt_at, duplicate_at, held_until)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(n.id, n.subject, n.kind, n.api, n.outTradeNo, n.ref, n.eventType, n.url, n.createdAt, n.state, n.failures, n.nextAttemptAt, n.duplicateAt, n.heldUntil);
}

export function updateNotification(db: Database, n: NotificationRow): void {
  db.prepare(
    `UPDATE sandbox_notifications SET state = ?, failures = ?, next_attempt_at = ?, duplicate_at = ?, held_until = ? WHERE id = ?`,
  ).run(n.state, n.failures, n.nextAttemptAt, n.duplicateAt, n.heldUntil, n.id);
}

export function listNotificationRows(db: Database): NotificationRow[] {
  return (db.prepare('SELECT * FROM sandbox_notifications ORDER BY created_at, rowid').all() as RawNotification[]).map(fromRaw);
}

/** Notifications with something due at `now`: a (re)try, a released hold, or a duplicate's second copy. */
export function dueNotifications(db: Database, now: number): NotificationRow[] {
  const rows = db
    .prepare(
      `SELECT * FROM sandbox_notifications
       WHERE (state = 'pending' AND next_attempt_at <= @now) OR (state = 'held') OR (duplicate_at IS NOT NULL AND duplicate_at <= @now)
       ORDER BY COALESCE(next_attempt_at, duplicate_at, created_at), created_at, rowid`,
    )
    .all({ now }) as RawNotification[];
  return rows.map(fromRaw);
}

/** Whether a refund notification for this order has been sent at least once (the out-of-order fault waits for it). */
export function refundNotifiedFor(db: Database, outTradeNo: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM sandbox_notification_attempts a JOIN sandbox_notifications n ON n.id = a.notification_id
         WHERE n.kind = 'refund' AND n.out_trade_no = ? LIMIT 1`,
      )
      .get(outTradeNo) !== undefined
  );
}

export function insertAttempt(db: Database, a: AttemptRow): void {
  db.prepare(
    `INSERT INTO sandbox_notification_attempts (notification_id, attempt, duplicate, at, faults, headers_json, body, status, answer, error, accepted)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    a.notificationId,
    a.attempt,
    a.duplicate ? 1 : 0,
    a.at,
    a.faults.join(','),
    JSON.stringify(a.headers),
    a.body,
    a.status,
    a.answer,
    a.error,
    a.accepted ? 1 : 0,
  );
}

interface RawAttempt {
  notification_id: string;
  attempt: number;
  duplicate: number;
  at: number;
  faults: string;
  headers_json: string;
  body: string;
  status: number | null;
  answer: string | null;
  error: string | null;
  accepted: number;
}

export function listAttempts(db: Database): AttemptRow[] {
  return (db.prepare('SELECT * FROM sandbox_notification_attempts ORDER BY id').all() as RawAttempt[]).map((r) => ({
    notificationId: r.notification_id,
    attempt: r.attempt,
    duplicate: r.duplicate === 1,
    at: r.at,
    faults: r.faults === '' ? [] : r.faults.split(','),
    headers: JSON.parse(r.headers_json) as Record<string, string>,
    body: r.body,
    status: r.status,
    answer: r.answer,
    error: r.error,
    accepted: r.accepted === 1,
  }));
}
