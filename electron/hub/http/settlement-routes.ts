import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HUB_SETTLEMENT_PATHS as S, addReceiverRequestSchema, decideRulesRequestSchema, proposeRulesRequestSchema, refundClearanceRequestSchema,
  setCapRequestSchema, settlementMerchantRequestSchema, settlementNoteSchema, settlementReportQuerySchema, type CapView, type ReceiverView,
  type RuleSetView,
} from '../../../shared/hub-settlement-api';
import { splitRuleProblems } from '../../../shared/split-rules';
import { mayRead, readableStores } from '../access';
import { insertHubAudit } from '../db/hub-audit';
import {
  decideRuleSet, findOrder, findRuleSet, ordersOfTransaction, insertRuleSet, listCaps, listReceivers, listRuleSets, listSettlementMerchants, rulesOf,
  setCap, splitOrderNo, splitRuleOf, updateOrder, upsertReceiver, upsertSettlementMerchant, type RuleSetRow,
} from '../db/settlement';
import { findStore } from '../db/stores';
import type { UserRow } from '../db/users';
import { clearRefund } from '../settlement/returns';
import { orderView, settlementReport } from '../settlement/report';
import type { HubContext } from './context';
import { HubHttpError, badRequest, describeIssues, sendJson } from './io';

const ORDER = /^\/api\/admin\/v1\/settlement\/orders\/([0-9A-Za-z]{1,64})\/(\d{8,16})\/(retry|resolve)$/;
const DECIDE = /^\/api\/admin\/v1\/settlement\/rules\/([^/]{1,64})\/(approve|reject)$/;
const MERCHANT = /^\/api\/admin\/v1\/settlement\/merchants\/(\d{8,16})$/;

const forbidden = (zh: string, en: string): HubHttpError => new HubHttpError(403, 'FORBIDDEN', `${zh} / ${en}`);
const ownerOnly = (user: UserRow): void => {
  if (user.role !== 'owner') throw forbidden('只有老板可以这样做', 'Only the owner may do this');
};

/**
 * The settlement admin API (shared/hub-settlement-api.ts). Roles: the owner does everything and is the only one to
 * approve rules, add receivers, set caps, retry and resolve; a store manager may propose rules for its own stores
 * and read its stores' rules and reports; finance reads everything and changes nothing. Every change is written to
 * hub_audit (who, from which address, what) in the transaction of the change.
 */
export async function routeSettlement(
  ctx: HubContext, req: IncomingMessage, res: ServerResponse, url: URL, user: UserRow, body: () => Promise<Record<string, unknown>>,
): Promise<boolean> {
  if (!url.pathname.startsWith('/api/admin/v1/settlement/')) return false;
  const method = req.method ?? 'GET';
  const path = url.pathname;
  const db = ctx.database.db;
  const now = ctx.clock.now();
  const scope = await readableStores(db, user);
  const address = req.socket.remoteAddress ?? 'unknown';
  const audit = (trx: typeof db, action: string, target: string, detail: Record<string, unknown>): Promise<void> =>
    insertHubAudit(trx, { at: now, user_id: user.user_id, user_name: user.name, address, action, target, detail: JSON.stringify(detail), revision: null });
  const parse = async <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Parameters<typeof describeIssues>[0] } } }): Promise<T> => {
    const parsed = schema.safeParse(await body());
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    return parsed.data;
  };

  const merchant = MERCHANT.exec(path);
  if (merchant && method === 'PUT') {
    ownerOnly(user);
    const mchid = merchant[1] ?? '';
    const data = await parse(settlementMerchantRequestSchema);
    if (!ctx.merchants.credentialsFor(mchid)) throw new HubHttpError(404, 'NOT_FOUND', '没有这个商户号 / No such merchant');
    await db.transaction().execute(async (trx) => {
      await upsertSettlementMerchant(trx, { mchid, since_day: data.sinceDay, max_share_bp: data.maxShareBasisPoints, updated_by: user.user_id, updated_at: now });
      await audit(trx, 'settlement.merchant.set', mchid, data);
    });
    sendJson(res, 200, { mchid, sinceDay: data.sinceDay, maxShareBasisPoints: data.maxShareBasisPoints });
    return true;
  }
  if (path === S.receivers && method === 'GET') {
    if (user.role === 'manager') throw forbidden('接收方由老板和财务查看', 'Receivers are for the owner and finance');
    sendJson(res, 200, (await listReceivers(db)).map((r): ReceiverView => ({
      mchid: r.mchid, account: r.account, type: r.type, relationType: r.relation_type, name: r.name, state: r.state, lastError: r.last_error,
    })));
    return true;
  }
  if (path === S.receivers && method === 'POST') {
    ownerOnly(user);
    const data = await parse(addReceiverRequestSchema);
    const client = ctx.settlement.clientFor(data.mchid);
    if (!client) throw new HubHttpError(404, 'NOT_FOUND', '这个商户号的凭据不能分账（v3 需微信支付公钥或平台证书，v2 需 API 证书）/ This merchant\'s credentials cannot split (v3 needs the WeChat Pay key, v2 the API client certificate)');
    const outcome = await client.addReceiver({ type: data.type, account: data.account, name: data.name, relationType: data.relationType, customRelation: data.customRelation });
    if (outcome.kind === 'unknown') throw new HubHttpError(502, 'CONFLICT', '微信未答复，请重试 / WeChat did not answer: try again');
    const lastError = outcome.kind === 'failure' ? `${outcome.code}: ${outcome.reason.zh}${outcome.detail ? ` (${outcome.detail.slice(0, 200)})` : ''}` : null;
    const row = {
      mchid: data.mchid, account: data.account, type: data.type, relation_type: data.relationType, custom_relation: data.customRelation ?? null,
      name: data.name, state: outcome.kind === 'success' ? ('added' as const) : ('failed' as const), last_error: lastError, created_by: user.user_id, updated_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await upsertReceiver(trx, row);
      await audit(trx, 'settlement.receiver.add', `${data.mchid}/${data.account}`, { relationType: data.relationType, state: row.state, error: lastError });
    });
    const view: ReceiverView = { mchid: row.mchid, account: row.account, type: row.type, relationType: row.relation_type, name: row.name, state: row.state, lastError };
    sendJson(res, outcome.kind === 'success' ? 201 : 409, view);
    return true;
  }
  if (path === S.rules && method === 'GET') {
    const store = url.searchParams.get('store');
    if (store !== null && !mayRead(scope, store)) throw forbidden('您不能查看这个门店', 'You may not see this store');
    sendJson(res, 200, await ruleSetViews(ctx, store !== null ? [store] : scope));
    return true;
  }
  if (path === S.rules && method === 'POST') {
    if (user.role === 'finance') throw forbidden('财务账户不能修改分账规则', 'A finance account cannot change settlement rules');
    const data = await parse(proposeRulesRequestSchema);
    if (!mayRead(scope, data.storeId)) throw forbidden('您只能为自己的门店提出分账规则', 'You may propose rules for your own stores only');
    if (!(await findStore(db, data.storeId))) throw new HubHttpError(404, 'NOT_FOUND', '没有这个门店 / No such store');
    const rules = data.rules.map((r) => splitRuleOf({ rule_set_id: '', position: 0, account: r.account, type: r.type, relation_type: r.relationType, share_kind: r.share.kind, basis_points: r.share.kind === 'percent' ? r.share.basisPoints : null, fixed_fen: r.share.kind === 'fixed' ? r.share.fen : null, description: r.description }));
    const problems = splitRuleProblems(rules, 10_000);
    if (problems.length > 0) throw badRequest(problems.join('; '));
    const set: RuleSetRow = {
      rule_set_id: randomUUID(), store_id: data.storeId, effective_from: data.effectiveFrom, state: 'pending-approval', proposed_by: user.user_id,
      proposed_at: now, proposed_from: address, decided_by: null, decided_at: null, decision_note: null,
    };
    await db.transaction().execute(async (trx) => {
      await insertRuleSet(trx, set, data.rules.map((r, i) => ({
        rule_set_id: set.rule_set_id, position: i + 1, account: r.account, type: r.type, relation_type: r.relationType, share_kind: r.share.kind,
        basis_points: r.share.kind === 'percent' ? r.share.basisPoints : null, fixed_fen: r.share.kind === 'fixed' ? r.share.fen : null, description: r.description,
      })));
      await audit(trx, 'settlement.rules.propose', set.rule_set_id, { storeId: data.storeId, effectiveFrom: data.effectiveFrom, rules: data.rules });
    });
    sendJson(res, 201, (await ruleSetViews(ctx, [data.storeId])).find((v) => v.ruleSetId === set.rule_set_id));
    return true;
  }
  const decide = DECIDE.exec(path);
  if (decide && method === 'POST') {
    ownerOnly(user);
    const id = decodeURIComponent(decide[1] ?? '');
    const data = await parse(decideRulesRequestSchema);
    const state = decide[2] === 'approve' ? ('approved' as const) : ('rejected' as const);
    const set = await db.transaction().execute(async (trx) => {
      const found = await findRuleSet(trx, id);
      if (!found) throw new HubHttpError(404, 'NOT_FOUND', '没有这组分账规则 / No such rule set');
      if (state === 'approved') {
        const modes = await listSettlementMerchants(trx);
        const mchid = ctx.merchants.list().find((m) => m.storeIds.includes(found.store_id))?.mchid;
        const cap = modes.find((m) => m.mchid === mchid)?.max_share_bp ?? 3_000;
        const problems = splitRuleProblems((await rulesOf(trx, [id])).get(id)?.map(splitRuleOf) ?? [], cap);
        if (problems.length > 0) throw badRequest(problems.join('; '));
      }
      if (!(await decideRuleSet(trx, id, { state, decided_by: user.user_id, decided_at: now, decision_note: data.note ?? null }))) {
        throw new HubHttpError(409, 'CONFLICT', '这组规则已处理 / This rule set was already decided');
      }
      await audit(trx, `settlement.rules.${decide[2] ?? ''}`, id, { storeId: found.store_id, effectiveFrom: found.effective_from, note: data.note ?? null });
      return found;
    });
    sendJson(res, 200, (await ruleSetViews(ctx, [set.store_id])).find((v) => v.ruleSetId === id));
    return true;
  }
  if (path === S.caps && method === 'GET') {
    if (user.role === 'manager') throw forbidden('分账上限由老板和财务查看', 'Caps are for the owner and finance');
    sendJson(res, 200, (await listCaps(db)).map((c): CapView => ({ scope: c.scope, maxDayFen: c.max_day_fen })));
    return true;
  }
  if (path === S.caps && method === 'PUT') {
    ownerOnly(user);
    const data = await parse(setCapRequestSchema);
    if (data.scope !== '*' && !(await findStore(db, data.scope))) throw new HubHttpError(404, 'NOT_FOUND', '没有这个门店 / No such store');
    await db.transaction().execute(async (trx) => {
      await setCap(trx, data.scope, data.maxDayFen, user.user_id, now);
      await audit(trx, 'settlement.cap.set', data.scope, { maxDayFen: data.maxDayFen });
    });
    sendJson(res, 200, (await listCaps(db)).map((c): CapView => ({ scope: c.scope, maxDayFen: c.max_day_fen })));
    return true;
  }
  if (path === S.report && method === 'GET') {
    const query = settlementReportQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) throw badRequest(describeIssues(query.error.issues));
    if (query.data.store !== undefined && !mayRead(scope, query.data.store)) throw forbidden('您不能查看这个门店', 'You may not see this store');
    sendJson(res, 200, await settlementReport(db, query.data.date, query.data.store !== undefined ? [query.data.store] : scope));
    return true;
  }
  const order = ORDER.exec(path);
  if (order && method === 'POST') {
    ownerOnly(user);
    const [tx, account, action] = [order[1] ?? '', order[2] ?? '', order[3] ?? ''];
    const { note } = await parse(settlementNoteSchema);
    const view = await db.transaction().execute(async (trx) => {
      const row = await findOrder(trx, tx, account);
      if (!row) throw new HubHttpError(404, 'NOT_FOUND', '没有这笔分账 / No such split');
      if (row.state !== 'failed' || row.resolved_at !== null) throw new HubHttpError(409, 'CONFLICT', '只有未处理的失败分账可以重试或标记处理 / Only an open failed split can be retried or resolved');
      if (action === 'retry') {
        // A retry is a new split request for the order: every open failed part of it goes together, under the next
        // number (PS<transaction id>R<n>), so no part is sent under a number WeChat already knows for other parts.
        const siblings = (await ordersOfTransaction(trx, tx)).filter((o) => o.state === 'failed' && o.resolved_at === null);
        const retry = Math.max(...(await ordersOfTransaction(trx, tx)).map((o) => o.retries)) + 1;
        const change = { state: 'planned' as const, retries: retry, out_order_no: splitOrderNo(tx, retry), cap_override: 1, fail_code: null, fail_reason: null, updated_at: now };
        for (const o of siblings) await updateOrder(trx, tx, o.account, change);
        await audit(trx, 'settlement.order.retry', `${tx}/${account}`, { storeId: row.store_id, billDate: row.bill_date, accounts: siblings.map((o) => o.account), failCode: row.fail_code, note });
        return orderView({ ...row, ...change }, null);
      }
      const change = { resolved_by: user.user_id, resolved_at: now, note, updated_at: now };
      await updateOrder(trx, tx, account, change);
      await audit(trx, 'settlement.order.resolve', `${tx}/${account}`, { storeId: row.store_id, billDate: row.bill_date, amountFen: row.amount_fen, failCode: row.fail_code, note });
      return orderView({ ...row, ...change }, null);
    });
    // A retry goes out with the next run: started now, so the head office sees its outcome on the next refresh.
    if (action === 'retry') ctx.settlement.job.tick().catch((error: unknown) => ctx.log.error('hub: settlement run failed', { error: error instanceof Error ? error.message : String(error) }));
    sendJson(res, 200, view);
    return true;
  }
  if (path === S.refundClearance && method === 'POST') {
    if (user.role === 'finance') throw forbidden('财务账户不能退款', 'A finance account cannot refund');
    const data = await parse(refundClearanceRequestSchema);
    const answer = await clearRefund(db, (mchid) => ctx.settlement.clientFor(mchid), ctx.clock, ctx.log, data, user.user_id, (store) => mayRead(scope, store));
    await audit(db, 'settlement.refund-clearance', data.outRefundNo, { outTradeNo: data.outTradeNo, refundFen: data.refundFen, clear: answer.clear });
    sendJson(res, 200, answer);
    return true;
  }
  throw new HubHttpError(404, 'NOT_FOUND', '没有这个接口 / No such endpoint');
}

async function ruleSetViews(ctx: HubContext, storeIds: readonly string[] | null): Promise<RuleSetView[]> {
  const sets = await listRuleSets(ctx.database.db, storeIds);
  const rules = await rulesOf(ctx.database.db, sets.map((s) => s.rule_set_id));
  return sets.map((s) => ({
    ruleSetId: s.rule_set_id, storeId: s.store_id, effectiveFrom: s.effective_from, state: s.state, proposedBy: s.proposed_by, proposedAt: s.proposed_at,
    decidedBy: s.decided_by, decidedAt: s.decided_at, decisionNote: s.decision_note,
    rules: (rules.get(s.rule_set_id) ?? []).map((r) => ({
      account: r.account, type: 'MERCHANT_ID' as const, relationType: r.relation_type as RuleSetView['rules'][number]['relationType'], description: r.description,
      share: r.share_kind === 'percent' ? { kind: 'percent' as const, basisPoints: r.basis_points ?? 0 } : { kind: 'fixed' as const, fen: r.fixed_fen ?? 0 },
    })),
  }));
}
