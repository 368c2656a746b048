import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HUB_ADMIN_RECON_PATHS, reconDaySchema, resolveMismatchRequestSchema, type BillDayView, type ReconMismatchView,
  type ReconciliationDayView,
} from '../../../shared/hub-admin-api';
import { mayRead, readableStores, type StoreScope } from '../access';
import { listBillDays, type BillDayRow } from '../db/bill-days';
import { insertHubAudit } from '../db/hub-audit';
import { findMismatch, listMismatches, resolveMismatch, type ReconMismatchRow } from '../db/recon-mismatches';
import type { UserRow } from '../db/users';
import { actorOf } from '../reference/accounts';
import { conflict, forbidden, notFound, type Actor } from '../reference/change';
import type { HubContext } from './context';
import { badRequest, describeIssues, sendJson } from './io';

const RESOLVE = new RegExp(`^${HUB_ADMIN_RECON_PATHS.day}/mismatches/([^/]{1,64})/resolve$`);

/**
 * The chain's reconciliation (shared/hub-admin-api.ts, "Reconciliation"): a day's bills and mismatches, and
 * resolving one with a note. The owner sees every store (and mismatches no store could be named for); a manager
 * account sees and resolves only its own stores'. Each resolution is written to hub_audit in the same transaction.
 */
export async function routeReconciliation(
  ctx: HubContext, req: IncomingMessage, res: ServerResponse, url: URL, user: UserRow, body: () => Promise<Record<string, unknown>>,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const db = ctx.database.db;
  if (url.pathname === HUB_ADMIN_RECON_PATHS.day && method === 'GET') {
    // Read by what the account may read (access.ts): finance reconciles every store, like the owner.
    const scope = await readableStores(db, user);
    const date = reconDaySchema.safeParse(url.searchParams.get('date') ?? '');
    if (!date.success) throw badRequest(describeIssues(date.error.issues));
    const store = url.searchParams.get('store');
    if (store !== null && !mayRead(scope, store)) throw forbidden('您不能查看这个门店 / You do not manage this store');
    const storeIds = store !== null ? [store] : scope;
    const merchants = new Set(ctx.merchants.list().filter((m) => storeIds === null || m.storeIds.some((s) => storeIds.includes(s))).map((m) => m.mchid));
    const bills = (await listBillDays(db, date.data)).filter((b) => merchants.has(b.mchid)).map(billDayView);
    const mismatches = (await listMismatches(db, date.data, storeIds)).map(mismatchView);
    const answer: ReconciliationDayView = { date: date.data, bills, mismatches };
    sendJson(res, 200, answer);
    return true;
  }
  const resolve = RESOLVE.exec(url.pathname);
  if (resolve && method === 'POST') {
    const actor = await actorOf(db, user, req.socket.remoteAddress ?? 'unknown');
    const parsed = resolveMismatchRequestSchema.safeParse(await body());
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    const id = decodeURIComponent(resolve[1] ?? '');
    const view = await resolveWithAudit(ctx, actor, await readableStores(db, user), id, parsed.data.note);
    ctx.log.info('hub: reconciliation mismatch resolved', { mismatch: id, user: user.user_id });
    sendJson(res, 200, view);
    return true;
  }
  return false;
}

/**
 * Resolving a mismatch (a note on what was done about it) is reconciliation work: the owner and finance for every
 * store, a manager for its own stores; a mismatch without a store is the chain's (owner, finance).
 */
function mayHandle(scope: StoreScope, row: ReconMismatchRow): boolean {
  return scope === null || (row.store_id !== null && mayRead(scope, row.store_id));
}

async function resolveWithAudit(ctx: HubContext, actor: Actor, scope: StoreScope, id: string, note: string): Promise<ReconMismatchView> {
  const now = ctx.clock.now();
  return ctx.database.db.transaction().execute(async (trx) => {
    const row = await findMismatch(trx, id);
    // Another store's mismatch answers like a missing one: its existence is not a manager's business.
    if (!row || !mayHandle(scope, row)) throw notFound('没有这条对账差异 / No such mismatch');
    if (!(await resolveMismatch(trx, id, actor.userId, note, now))) throw conflict('这条差异已处理 / Already resolved');
    await insertHubAudit(trx, {
      at: now, user_id: actor.userId, user_name: actor.name, address: actor.address, action: 'reconciliation.resolve', target: id,
      detail: JSON.stringify({ mchid: row.mchid, billDate: row.bill_date, class: row.class, outTradeNo: row.out_trade_no, outRefundNo: row.out_refund_no || null, storeId: row.store_id, terminalId: row.terminal_id, note }),
      revision: null,
    });
    return mismatchView({ ...row, resolved_at: now, resolved_by: actor.userId, note });
  });
}

function mismatchView(r: ReconMismatchRow): ReconMismatchView {
  return {
    mismatchId: r.mismatch_id, mchid: r.mchid, billDate: r.bill_date, class: r.class, outTradeNo: r.out_trade_no,
    outRefundNo: r.out_refund_no || null, storeId: r.store_id, terminalId: r.terminal_id, receiptNo: r.receipt_no, shiftId: r.shift_id,
    cashierId: r.cashier_id, localFen: r.local_fen, wechatFen: r.wechat_fen, localState: r.local_state, wechatState: r.wechat_state,
    detectedAt: r.detected_at,
    resolved: r.resolved_at !== null ? { at: r.resolved_at, by: r.resolved_by ?? '', note: r.note ?? '' } : null,
  };
}

function billDayView(b: BillDayRow): BillDayView {
  return {
    mchid: b.mchid, bill: b.bill, state: b.state, attempts: b.attempts, nextAttemptAt: b.next_attempt_at, lastError: b.last_error,
    lineCount: b.line_count, storedAt: b.stored_at,
  };
}
