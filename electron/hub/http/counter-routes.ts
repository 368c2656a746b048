import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HUB_PATHS, MAX_COUNTER_BODY_BYTES, enrolRequestSchema, heartbeatRequestSchema, pushFactsRequestSchema,
  referenceQuerySchema, saleLookupQuerySchema, type HighWaterAnswer,
} from '../../../shared/hub-protocol';
import { refundClearanceRequestSchema } from '../../../shared/hub-settlement-api';
import { authenticateCounter } from '../counter-auth';
import { clearRefund } from '../settlement/returns';
import { upsertHeartbeat } from '../db/heartbeats';
import { lookupSale } from '../db/sales';
import { enrolTerminal } from '../enrolment';
import { pushFacts } from '../facts-intake';
import { referenceAnswer } from '../reference/answer';
import type { HubContext } from './context';
import { HubHttpError, badRequest, describeIssues, parseJsonObject, readBody, sendJson } from './io';

/**
 * The counter API (shared/hub-protocol.ts). Order for every signed call: read the body within the size limit
 * (413 unread), check the signature over the raw bytes (its timestamp against `receivedAt`, when the request
 * arrived, not when its body was finally read), then parse and validate. Returns false for a path that is
 * not the counter API's.
 */
export async function routeCounter(ctx: HubContext, req: IncomingMessage, res: ServerResponse, url: URL, receivedAt?: number): Promise<boolean> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path === HUB_PATHS.enrol && method === 'POST') {
    const address = req.socket.remoteAddress ?? 'unknown';
    ctx.enrolmentLimiter.assertAllowed(address);
    const body = parseJsonObject(await readBody(req, MAX_COUNTER_BODY_BYTES));
    const parsed = enrolRequestSchema.safeParse(body);
    if (!parsed.success) {
      if (parsed.error.issues.some((i) => i.path[0] === 'pairingCode')) {
        ctx.enrolmentLimiter.recordFailure(address);
        throw new HubHttpError(400, 'PAIRING_CODE_INVALID', '配对码无效、已使用或已过期 / The pairing code is wrong, used or expired');
      }
      throw badRequest(describeIssues(parsed.error.issues));
    }
    try {
      const answer = await enrolTerminal(ctx.database.db, ctx.clock, ctx.hubId, parsed.data);
      ctx.log.info('hub: a counter enrolled', { terminal: answer.terminalId, store: answer.storeId });
      sendJson(res, 200, answer);
    } catch (error) {
      if (error instanceof HubHttpError && error.code === 'PAIRING_CODE_INVALID') ctx.enrolmentLimiter.recordFailure(address);
      throw error;
    }
    return true;
  }

  const signedPaths: string[] = [HUB_PATHS.facts, HUB_PATHS.highWater, HUB_PATHS.heartbeat, HUB_PATHS.saleLookup, HUB_PATHS.reference, HUB_PATHS.refundClearance];
  if (!signedPaths.includes(path)) return false;
  const rawBody = method === 'GET' ? Buffer.alloc(0) : await readBody(req, MAX_COUNTER_BODY_BYTES);
  const isPush = path === HUB_PATHS.facts && method === 'POST';
  const terminal = await authenticateCounter(ctx.database.db, ctx.clock, {
    // The request line exactly as sent: what the counter signed (no re-encoding by URL parsing).
    method, pathWithQuery: req.url ?? '', headers: req.headers, rawBody, receivedAt,
  }, { deferBookkeeping: isPush });

  if (isPush) {
    const parsed = pushFactsRequestSchema.safeParse(parseJsonObject(rawBody));
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    sendJson(res, 200, await pushFacts(ctx.database, ctx.clock, ctx.log, terminal, parsed.data));
    ctx.rollups.marked();
    ctx.events.storeChanged(terminal.store_id);
    return true;
  }
  if (path === HUB_PATHS.highWater && method === 'GET') {
    const row = await ctx.database.db.selectFrom('terminals').select('high_water').where('terminal_id', '=', terminal.terminal_id).executeTakeFirstOrThrow();
    const answer: HighWaterAnswer = { highWater: row.high_water };
    sendJson(res, 200, answer);
    return true;
  }
  if (path === HUB_PATHS.reference && method === 'GET') {
    // The calling terminal's store only: its enrolment names it, the request cannot ask for another.
    const parsed = referenceQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    sendJson(res, 200, await referenceAnswer(ctx.database.db, terminal.store_id, parsed.data.since));
    return true;
  }
  if (path === HUB_PATHS.heartbeat && method === 'POST') {
    const parsed = heartbeatRequestSchema.safeParse(parseJsonObject(rawBody));
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    await upsertHeartbeat(ctx.database.db, terminal.terminal_id, ctx.clock.now(), JSON.stringify(parsed.data));
    sendJson(res, 200, { ok: true });
    ctx.events.storeChanged(terminal.store_id);
    return true;
  }
  if (path === HUB_PATHS.saleLookup && method === 'GET') {
    const parsed = saleLookupQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    // Only the calling terminal's store: a sale of another store is refused without a word of its content.
    const lookup = await lookupSale(ctx.database.db, terminal.store_id, parsed.data.terminal, parsed.data.receiptNo);
    if (lookup.found === 'elsewhere') throw new HubHttpError(403, 'FORBIDDEN', '这笔交易不属于本店 / This sale belongs to another store');
    if (lookup.found === 'nowhere') {
      throw new HubHttpError(404, 'NOT_FOUND', '总部没有这笔交易（或其收银台尚未上传） / The hub has no such sale (or its counter has not sent it yet)');
    }
    sendJson(res, 200, lookup.view);
    return true;
  }
  if (path === HUB_PATHS.refundClearance && method === 'POST') {
    const parsed = refundClearanceRequestSchema.safeParse(parseJsonObject(rawBody));
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    // The calling terminal's store only: another store's split order is answered as unknown.
    const answer = await clearRefund(ctx.database.db, (mchid) => ctx.settlement.clientFor(mchid), ctx.clock, ctx.log, parsed.data,
      `terminal:${terminal.terminal_id}`, (storeId) => storeId === terminal.store_id);
    sendJson(res, 200, answer);
    return true;
  }
  throw new HubHttpError(405, 'BAD_REQUEST', '不支持的请求方法 / Method not allowed');
}
