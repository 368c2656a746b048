import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HUB_ADMIN_PATHS, HUB_ADMIN_PREFIX, HUB_SESSION_COOKIE, MAX_ADMIN_BODY_BYTES, createStoreRequestSchema,
  setupRequestSchema, signInRequestSchema, type AdminStateAnswer, type AlertView, type PairingCodeAnswer,
  type SignedInAnswer, type StoreView, type TerminalView,
} from '../../../shared/hub-admin-api';
import { SESSION_TTL_MS, requireLiveSession, requireSession, runSetup, signIn, type SignedIn } from '../admin-auth';
import { assertMayOperate, assertMayRead, mayRead, readableStores } from '../access';
import { listAlerts, type AlertRow } from '../db/alerts';
import { insertHubAudit } from '../db/hub-audit';
import { deleteSession } from '../db/sessions';
import { findStore, insertStore, listStores, type StoreRow } from '../db/stores';
import { findTerminal, listTerminals, revokeTerminal, type TerminalRow } from '../db/terminals';
import { countUsers } from '../db/users';
import { createPairingCode, groupCode } from '../enrolment';
import { sha256Hex } from '../passwords';
import type { HubContext } from './context';
import { routeOperations } from './operations-routes';
import { routeReconciliation } from './reconciliation-routes';
import { routeReferenceAdmin } from './reference-admin-routes';
import { routeRefdataAdmin } from './refdata-admin-routes';
import { routeReports } from './report-routes';
import { routeSettlement } from './settlement-routes';
import { settlementAlertMessage } from '../settlement/report';
import { routeWechatAdmin } from './wechat-admin-routes';
import { HubHttpError, badRequest, describeIssues, parseJsonObject, readBody, sendJson } from './io';
import { randomUUID } from 'node:crypto';

/**
 * The head office's JSON API (shared/hub-admin-api.ts). Writes need the session cookie (HttpOnly, SameSite=Strict)
 * AND a JSON content type: a cross-site form cannot send that without a CORS preflight the hub never grants, so
 * the cookie alone cannot be ridden. Returns false for a path outside the admin API.
 */
export async function routeAdmin(ctx: HubContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (!url.pathname.startsWith(`${HUB_ADMIN_PREFIX}/`)) return false;
  const method = req.method ?? 'GET';
  const path = url.pathname;
  const db = ctx.database.db;
  const body = async (): Promise<Record<string, unknown>> => {
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw badRequest('content-type must be application/json');
    return parseJsonObject(await readBody(req, MAX_ADMIN_BODY_BYTES));
  };

  if (path === HUB_ADMIN_PATHS.state && method === 'GET') {
    const answer: AdminStateAnswer = { hubId: ctx.hubId, setUp: (await countUsers(db)) > 0 };
    sendJson(res, 200, answer);
    return true;
  }
  if (path === HUB_ADMIN_PATHS.setup && method === 'POST') {
    const parsed = setupRequestSchema.safeParse(await body());
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    const signedIn = await runSetup(db, ctx.clock, ctx.setupGate, parsed.data);
    ctx.log.info('hub: set up; the owner was created', { user: signedIn.answer.user.userId });
    sendSignedIn(res, signedIn);
    return true;
  }
  if (path === HUB_ADMIN_PATHS.session && method === 'POST') {
    const parsed = signInRequestSchema.safeParse(await body());
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    try {
      const signedIn = await signIn(db, ctx.clock, parsed.data);
      await insertHubAudit(db, {
        at: ctx.clock.now(), user_id: signedIn.answer.user.userId, user_name: signedIn.answer.user.name, address: addressOf(req),
        action: 'session.sign-in', target: signedIn.answer.user.userId, detail: '{}', revision: null,
      });
      sendSignedIn(res, signedIn);
    } catch (error) {
      if (error instanceof HubHttpError) ctx.log.warn('hub: sign-in refused', { code: error.code });
      throw error;
    }
    return true;
  }
  const token = sessionToken(req);
  if (path === HUB_ADMIN_PATHS.session && method === 'DELETE') {
    if (token) await deleteSession(db, sha256Hex(token));
    sendJson(res, 200, { ok: true }, { 'set-cookie': cookie('', 0) });
    return true;
  }

  if (path === HUB_ADMIN_PATHS.session && method === 'GET') {
    const { user, expiresAt } = await requireLiveSession(db, ctx.clock, token);
    const answer: SignedInAnswer = { user: { userId: user.user_id, name: user.name, role: user.role }, expiresAt };
    sendJson(res, 200, answer);
    return true;
  }
  const user = await requireSession(db, ctx.clock, token);
  const scope = await readableStores(db, user);
  // Changes that are not reference data (stores, pairing codes, revocations) are audit-logged here, like those.
  const audit = (action: string, target: string, detail: Record<string, unknown>): Promise<void> =>
    insertHubAudit(db, { at: ctx.clock.now(), user_id: user.user_id, user_name: user.name, address: addressOf(req), action, target, detail: JSON.stringify(detail), revision: null });
  if (path === HUB_ADMIN_PATHS.stores && method === 'GET') {
    sendJson(res, 200, (await listStores(db)).filter((s) => mayRead(scope, s.store_id)).map(storeView));
    return true;
  }
  if (path === HUB_ADMIN_PATHS.stores && method === 'POST') {
    requireOwner(user.role);
    const parsed = createStoreRequestSchema.safeParse(await body());
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    const store: StoreRow = { store_id: randomUUID(), name: parsed.data.name, created_at: ctx.clock.now() };
    await insertStore(db, store);
    await audit('store.create', store.store_id, { name: store.name });
    sendJson(res, 201, storeView(store));
    return true;
  }
  const pairing = /^\/api\/admin\/v1\/stores\/([^/]{1,64})\/pairing-codes$/.exec(path);
  if (pairing && method === 'POST') {
    const storeId = decodeURIComponent(pairing[1] ?? '');
    // A manager account pairs counters of its own stores only; finance pairs none.
    assertMayOperate(user);
    assertMayRead(scope, storeId);
    if (!(await findStore(db, storeId))) throw new HubHttpError(404, 'NOT_FOUND', '没有这个门店 / No such store');
    const { code, expiresAt } = await createPairingCode(db, ctx.clock, storeId, user.user_id);
    ctx.log.info('hub: pairing code made', { store: storeId, user: user.user_id });
    await audit('pairing-code.create', storeId, { expiresAt });
    const answer: PairingCodeAnswer = { storeId, code: groupCode(code), expiresAt, qrText: `${ctx.baseUrl()}#pair=${code}` };
    sendJson(res, 201, answer);
    return true;
  }
  if (path === HUB_ADMIN_PATHS.terminals && method === 'GET') {
    sendJson(res, 200, (await listTerminals(db)).filter((t) => mayRead(scope, t.store_id)).map((t) => terminalView(t, t.heartbeat_at, t.heartbeat)));
    return true;
  }
  const revoke = /^\/api\/admin\/v1\/terminals\/([A-Z0-9]{2,6})\/revoke$/.exec(path);
  if (revoke && method === 'POST') {
    const terminalId = revoke[1] ?? '';
    assertMayOperate(user);
    const terminal = await findTerminal(db, terminalId);
    // Another store's terminal is answered like an unknown one: its existence is that store's business.
    if (!terminal || !mayRead(scope, terminal.store_id)) throw new HubHttpError(404, 'NOT_FOUND', '没有这个终端 / No such terminal');
    if (await revokeTerminal(db, terminalId, ctx.clock.now())) {
      ctx.log.warn('hub: terminal revoked', { terminal: terminalId, user: user.user_id });
      ctx.hints.disconnect(terminalId);
      await audit('terminal.revoke', terminalId, { storeId: terminal.store_id, counterName: terminal.counter_name });
    }
    const row = await findTerminal(db, terminalId);
    sendJson(res, 200, row ? terminalView(row, null, null) : null);
    return true;
  }
  if (path === HUB_ADMIN_PATHS.alerts && method === 'GET') {
    // A manager sees the alerts of its stores; chain-wide ones (no store) are the owner's and finance's.
    sendJson(res, 200, (await listAlerts(db, 200)).filter((a) => mayRead(scope, a.store_id)).map(alertView));
    return true;
  }
  if (await routeReferenceAdmin(ctx, req, res, path, user, body)) return true;
  if (await routeRefdataAdmin(ctx, req, res, url, user, body)) return true;
  if (await routeReconciliation(ctx, req, res, url, user, body)) return true;
  if (await routeWechatAdmin(ctx, req, res, path, user, body)) return true;
  if (await routeOperations(ctx, req, res, path, user)) return true;
  if (await routeReports(ctx, req, res, url, user)) return true;
  if (await routeSettlement(ctx, req, res, url, user, body)) return true;
  throw new HubHttpError(404, 'NOT_FOUND', '没有这个接口 / No such endpoint');
}

function requireOwner(role: string): void {
  if (role !== 'owner') throw new HubHttpError(403, 'FORBIDDEN', '只有老板可以这样做 / Only the owner may do this');
}

/** The caller's address as the hub saw it (behind a reverse proxy: the proxy's; see README). */
export function addressOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function sendSignedIn(res: ServerResponse, signedIn: SignedIn): void {
  sendJson(res, 200, signedIn.answer, { 'set-cookie': cookie(signedIn.token, SESSION_TTL_MS / 1000) });
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it). Behind HTTPS the proxy adds Secure. */
function cookie(token: string, maxAgeS: number): string {
  return `${HUB_SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeS}`;
}

function sessionToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === HUB_SESSION_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}

const storeView = (s: StoreRow): StoreView => ({ storeId: s.store_id, name: s.name, createdAt: s.created_at });

function terminalView(t: TerminalRow, heartbeatAt: number | null, heartbeat: string | null): TerminalView {
  return {
    terminalId: t.terminal_id, storeId: t.store_id, counterName: t.counter_name, appVersion: t.app_version,
    enrolledAt: t.enrolled_at, revokedAt: t.revoked_at, lastSeenAt: t.last_seen_at, highWater: t.high_water,
    heartbeat: heartbeatAt !== null && heartbeat !== null ? { receivedAt: heartbeatAt, state: JSON.parse(heartbeat) as unknown } : null,
  };
}

function alertView(a: AlertRow): AlertView {
  const detail = JSON.parse(a.detail) as Record<string, unknown>;
  const message =
    a.kind === 'fact-gap'
      ? `终端 ${a.terminal_id} 缺少第 ${String(detail.missingFrom)} 号起的记录 / Terminal ${a.terminal_id} is missing facts from number ${String(detail.missingFrom)}`
      : a.kind === 'orphan-qr-paid'
        ? `门店 ${a.store_id ?? ''} 终端 ${a.terminal_id} 的扫码订单 ${String(detail.outTradeNo)} 在关单时已被支付，请核实后退款或补记 / A QR order ${String(detail.outTradeNo)} of terminal ${a.terminal_id} was paid when the hub closed it: review it, then refund or record it`
      : a.kind === 'notification-mismatch'
        ? `微信通知与收银台记录不符（${String(detail.outTradeNo)}：${String(detail.problem)}），未记为已付 / A WeChat notification disagrees with the counter's record (${String(detail.outTradeNo)}: ${String(detail.problem)}); nothing was recorded as paid`
      : a.kind.startsWith('settlement-')
        ? settlementAlertMessage(a.kind, a.store_id, detail)
      : a.kind === 'z-report-mismatch'
        ? `终端 ${a.terminal_id} 的 Z 报表 ${String(detail.zNo)} 校验值与内容不符 / Terminal ${a.terminal_id}'s Z report ${String(detail.zNo)} does not match its SHA-256`
        : `终端 ${a.terminal_id} 第 ${String(detail.seq)} 号记录与总部已有的不同，以总部为准 / Terminal ${a.terminal_id} sent a different fact under number ${String(detail.seq)}; the hub keeps its copy`;
  return { alertId: a.alert_id, kind: a.kind, storeId: a.store_id, terminalId: a.terminal_id, message, raisedAt: a.raised_at };
}
