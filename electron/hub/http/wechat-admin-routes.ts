import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HUB_WECHAT_ADMIN_PATHS, mchidSchema, putMerchantRequestSchema, putWechatHubSettingsRequestSchema,
} from '../../../shared/hub-wechat-admin-api';
import { listMerchantRows } from '../db/merchants';
import type { UserRow } from '../db/users';
import { merchantView, putMerchant, putWechatHubSettings, wechatHubSettings } from '../merchants/admin';
import { actorOf } from '../reference/accounts';
import { assertOwner } from '../reference/change';
import type { HubContext } from './context';
import { badRequest, describeIssues, sendJson } from './io';

const MERCHANT = /^\/api\/admin\/v1\/wechat\/merchants\/([^/]{1,64})$/;

/**
 * The admin API's WeChat Pay part (shared/hub-wechat-admin-api.ts): merchants' credentials and the hub's public
 * base URL, the owner's only (they decide where money is verified). Returns false for a path not its own.
 */
export async function routeWechatAdmin(
  ctx: HubContext, req: IncomingMessage, res: ServerResponse, path: string, user: UserRow, body: () => Promise<Record<string, unknown>>,
): Promise<boolean> {
  if (!path.startsWith('/api/admin/v1/wechat/')) return false;
  const method = req.method ?? 'GET';
  const db = ctx.database.db;
  const actor = await actorOf(db, user, req.socket.remoteAddress ?? 'unknown');
  assertOwner(actor);
  if (path === HUB_WECHAT_ADMIN_PATHS.merchants && method === 'GET') {
    const rows = new Map((await listMerchantRows(db)).map((r) => [r.mchid, r]));
    const views = ctx.merchants.list().map((m) => merchantView(m, rows.get(m.mchid)?.updated_at ?? 0, rows.get(m.mchid)?.updated_by ?? ''));
    sendJson(res, 200, views);
    return true;
  }
  const merchant = MERCHANT.exec(path);
  if (merchant && method === 'PUT') {
    const mchid = mchidSchema.safeParse(decodeURIComponent(merchant[1] ?? ''));
    if (!mchid.success) throw badRequest('mchid is digits');
    const parsed = putMerchantRequestSchema.safeParse(await body());
    // Issues name the field and the rule, never the value (it may be a key).
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues.map((i) => ({ path: i.path, message: i.code }))));
    await putMerchant(db, ctx.secretCipher, ctx.clock, actor, mchid.data, parsed.data);
    await ctx.merchants.reload();
    ctx.log.info('hub: merchant credentials set', { mchid: mchid.data, apiVersion: parsed.data.apiVersion, user: user.user_id });
    const stored = ctx.merchants.credentialsFor(mchid.data);
    sendJson(res, 200, stored ? merchantView(stored, ctx.clock.now(), user.user_id) : null);
    return true;
  }
  if (path === HUB_WECHAT_ADMIN_PATHS.settings && method === 'GET') {
    sendJson(res, 200, await wechatHubSettings(db));
    return true;
  }
  if (path === HUB_WECHAT_ADMIN_PATHS.settings && method === 'PUT') {
    const parsed = putWechatHubSettingsRequestSchema.safeParse(await body());
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    const view = await putWechatHubSettings(db, ctx.clock, actor, parsed.data);
    ctx.log.info('hub: public base URL set', { publicBaseUrl: view.publicBaseUrl, user: user.user_id });
    sendJson(res, 200, view);
    return true;
  }
  return false;
}
