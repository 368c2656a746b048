import type { WechatNotification } from '../../wechat/notification';
import { raiseAlert } from '../db/alerts';
import type { HubDatabase, HubDb } from '../db/database';
import { mchidOfStore } from '../db/merchants';
import {
  awaitingNotifications, expectedOrder, expectedRefund, insertNotificationOnce, markOrderPaid, markOrderRefunded, markRefund,
  settleNotification, type NotificationOutcome, type NotificationRow,
} from '../db/notifications';
import { terminalOfOrderNo } from '../../../shared/hub-protocol';

/**
 * Records a verified notification exactly once, with its effect, in ONE transaction:
 * 1. the notification row goes in under its (mchid, id) primary key with ON CONFLICT DO NOTHING: a copy (WeChat's
 *    retry, or the same notice twice within a second by two routes) inserts nothing and changes nothing;
 * 2. the counters' facts say which order it is (hub_wechat_attempts / hub_tenders / hub_refunds). Unknown yet →
 *    `awaiting-order` (kept; matched when a counter's fact names it: facts-intake calls settleAwaiting, and a
 *    sweep retries what a push and a notification racing each other both missed);
 * 3. amount and merchant (the store's settings name the mchid) are checked: a difference raises an alert
 *    (`notification-mismatch`) and records nothing paid;
 * 4. the state moves only by a guarded upsert: a payment only if the order is not final at the hub (paid or
 *    refunded: an out-of-order payment notice after its refund's is `ignored-final`), a refund only from ABNORMAL.
 * Never check-then-insert outside the transaction: on PostgreSQL a concurrent copy waits on the primary key.
 */

export interface RecordResult {
  /** 'duplicate': this id was recorded before (answered as received, nothing changed). */
  outcome: NotificationOutcome | 'duplicate';
  /** The terminal the order belongs to (from the facts, else from the out_trade_no), for the push hint. */
  terminalId: string | null;
}

export async function recordNotification(database: HubDatabase, n: WechatNotification, now: number): Promise<RecordResult> {
  return database.db.transaction().execute((trx) => recordInTransaction(trx, n, now));
}

/**
 * The same inside the caller's transaction (notify/recorder.ts puts several notifications in one SQLite commit, each
 * in its own savepoint). The facts are read once: the lookup that decides the outcome also names the terminal.
 */
export async function recordInTransaction(trx: HubDb, n: WechatNotification, now: number): Promise<RecordResult> {
  const row: NotificationRow = {
    mchid: n.mchid, notification_id: n.id, api: n.api, kind: n.kind, event_type: n.eventType, out_trade_no: n.outTradeNo,
    out_refund_no: n.kind === 'refund' ? n.outRefundNo : null, transaction_id: n.transactionId,
    refund_id: n.kind === 'refund' ? n.refundId : null, order_total_fen: n.kind === 'refund' ? n.totalFen : null,
    amount_fen: n.kind === 'refund' ? n.refundFen : n.totalFen, state: n.kind === 'refund' ? n.refundStatus : n.tradeState,
    success_time: n.successTime, outcome: 'awaiting-order', detail: '', store_id: null, terminal_id: null, received_at: now, settled_at: null,
  };
  if (!(await insertNotificationOnce(trx, row))) return { outcome: 'duplicate', terminalId: null };
  const expected = await expectedOf(trx, row);
  const outcome = expected ? await evaluateAgainst(trx, row, expected, now) : null;
  return { outcome: outcome ?? 'awaiting-order', terminalId: expected?.terminalId ?? terminalOfOrderNo(row.out_trade_no) };
}

type Expected = NonNullable<Awaited<ReturnType<typeof expectedOrder>>>;

function expectedOf(db: HubDb, row: NotificationRow): Promise<Expected | undefined> {
  return row.kind === 'payment' ? expectedOrder(db, row.out_trade_no) : expectedRefund(db, row.out_refund_no ?? '');
}

/**
 * Matches an awaiting notification against the facts and applies it; null when no fact names its order yet.
 * Moves the row from awaiting-order with a guarded update, so two transactions settling it at once apply it once.
 */
async function evaluate(db: HubDb, row: NotificationRow, now: number): Promise<NotificationOutcome | null> {
  const expected = await expectedOf(db, row);
  return expected ? evaluateAgainst(db, row, expected, now) : null;
}

async function evaluateAgainst(db: HubDb, row: NotificationRow, expected: Expected, now: number): Promise<NotificationOutcome | null> {
  const key = { mchid: row.mchid, notificationId: row.notification_id };
  const at = { store_id: expected.storeId, terminal_id: expected.terminalId, settled_at: now };
  const storeMchid = await mchidOfStore(db, expected.storeId);
  const problems = [
    ...(storeMchid !== row.mchid ? [`merchant ${row.mchid} is not the store's (${storeMchid ?? 'none set'})`] : []),
    ...(expected.amountFen !== row.amount_fen ? [`amount ${row.amount_fen} fen, the counter recorded ${expected.amountFen} fen`] : []),
  ];
  if (problems.length > 0) {
    const detail = problems.join('; ');
    if (!(await settleNotification(db, key, 'awaiting-order', { outcome: 'mismatch', detail, ...at }))) return null;
    await raiseAlert(db, {
      dedupe_key: `notification:${row.mchid}:${row.notification_id}`, kind: 'notification-mismatch', store_id: expected.storeId, terminal_id: expected.terminalId,
      detail: JSON.stringify({ kind: row.kind, outTradeNo: row.out_trade_no, outRefundNo: row.out_refund_no, mchid: row.mchid, notifiedFen: row.amount_fen, recordedFen: expected.amountFen, problem: detail }),
      raised_at: now,
    });
    return 'mismatch';
  }
  const base = { mchid: row.mchid, out_trade_no: row.out_trade_no, transaction_id: row.transaction_id, success_time: row.success_time, store_id: expected.storeId, terminal_id: expected.terminalId, notification_id: row.notification_id, updated_at: now };
  let moved: boolean;
  if (row.kind === 'payment') {
    moved = row.state === 'SUCCESS' && (await markOrderPaid(db, { ...base, state: 'SUCCESS', total_fen: row.amount_fen }));
  } else {
    const status = row.state as 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
    moved = await markRefund(db, {
      mchid: row.mchid, out_refund_no: row.out_refund_no ?? '', out_trade_no: row.out_trade_no, status, refund_fen: row.amount_fen, refund_id: row.refund_id ?? '',
      success_time: row.success_time, store_id: expected.storeId, terminal_id: expected.terminalId, notification_id: row.notification_id, updated_at: now,
    });
    if (moved && status === 'SUCCESS') await markOrderRefunded(db, { ...base, state: 'REFUND', total_fen: row.order_total_fen ?? 0 });
  }
  const outcome: NotificationOutcome = moved ? 'applied' : 'ignored-final';
  const detail = moved ? '' : 'the order (or refund) was already final at the hub';
  return (await settleNotification(db, key, 'awaiting-order', { outcome, detail, ...at })) ? outcome : null;
}

/** Settles the awaiting notifications a push's facts name (or, without names, every one: the sweep). */
export async function settleAwaiting(db: HubDb, now: number, names?: { outTradeNos: string[]; outRefundNos: string[] }): Promise<NotificationRow[]> {
  const settled: NotificationRow[] = [];
  for (const row of await awaitingNotifications(db, names)) {
    const outcome = await evaluate(db, row, now);
    if (outcome !== null) settled.push({ ...row, outcome });
  }
  return settled;
}

/** The out_trade_no / out_refund_no a push's new facts name (sale tenders, WeChat attempts, refunds). */
export function namedWechatOrders(facts: readonly { kind: string; value?: Record<string, unknown> }[]): { outTradeNos: string[]; outRefundNos: string[] } {
  const outTradeNos = new Set<string>();
  const outRefundNos = new Set<string>();
  const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
  for (const fact of facts) {
    const body = fact.value ?? {};
    if (fact.kind === 'wechat-attempt') {
      const no = text(body.outTradeNo);
      if (no) outTradeNos.add(no);
    }
    if (fact.kind === 'sale' && Array.isArray(body.tenders)) {
      for (const tender of body.tenders as { outTradeNo?: unknown }[]) {
        const no = text(tender.outTradeNo);
        if (no) outTradeNos.add(no);
      }
    }
    if (fact.kind === 'refund') {
      const no = text(body.outRefundNo);
      if (no) outRefundNos.add(no);
    }
  }
  return { outTradeNos: [...outTradeNos], outRefundNos: [...outRefundNos] };
}
