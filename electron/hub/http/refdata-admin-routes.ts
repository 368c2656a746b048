import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import {
  HUB_ADMIN_REFDATA_PATHS, historyQuerySchema, resetPasswordRequestSchema, schedulePriceRequestSchema, updateAccountRequestSchema,
} from '../../../shared/hub-admin-api';
import { assertMayOperate } from '../access';
import type { UserRow } from '../db/users';
import { actorOf, resetAccountPassword, unlockAccount, updateAccount } from '../reference/accounts';
import { historyOf } from '../reference/history';
import { cancelPriceChange, listPriceScheduleViews, schedulePriceChange } from '../reference/price-schedule';
import type { HubContext } from './context';
import { badRequest, describeIssues, sendJson } from './io';

const SEGMENT = '([^/]{1,64})';
const P = '^/api/admin/v1';
const CANCEL_SCHEDULE = new RegExp(`${P}/price-schedules/${SEGMENT}/cancel$`);
const ACCOUNT = new RegExp(`${P}/users/${SEGMENT}$`);
const ACCOUNT_PASSWORD = new RegExp(`${P}/users/${SEGMENT}/password$`);
const ACCOUNT_UNLOCK = new RegExp(`${P}/users/${SEGMENT}/unlock$`);

/**
 * The reference pages' routes beside reference-admin-routes.ts (shared/hub-admin-refdata.ts): scheduled price
 * changes, the history of a thing, and the owner's account management. Called by admin-routes.ts once the session is
 * checked; bodies and queries are validated with their zod schemas here. Returns false for a path not its own.
 */
export async function routeRefdataAdmin(
  ctx: HubContext, req: IncomingMessage, res: ServerResponse, url: URL, user: UserRow,
  body: () => Promise<Record<string, unknown>>,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  const db = ctx.database.db;
  const clock = ctx.clock;
  const parse = async <S extends z.ZodType>(schema: S, value?: unknown): Promise<z.output<S>> => {
    const parsed = schema.safeParse(value === undefined ? await body() : value);
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    return parsed.data;
  };
  const answer = (status: number, value: unknown): true => {
    sendJson(res, status, value);
    return true;
  };
  const actor = () => actorOf(db, user, req.socket.remoteAddress ?? 'unknown');
  const arg = (match: RegExpExecArray): string => decodeURIComponent(match[1] ?? '');
  const changed = (what: string, target: string): void => ctx.log.info('hub: reference data changed', { what, target, user: user.user_id });

  if (path === HUB_ADMIN_REFDATA_PATHS.priceSchedules) {
    if (method === 'GET') {
      const item = url.searchParams.get('item');
      if (item !== null && (item.length === 0 || item.length > 64)) throw badRequest('item: an item id');
      return answer(200, await listPriceScheduleViews(db, await actor(), item));
    }
    if (method === 'POST') {
      assertMayOperate(user);
      const view = await schedulePriceChange(db, clock, await actor(), await parse(schedulePriceRequestSchema));
      changed('price.schedule', view.scheduleId);
      return answer(201, view);
    }
  }
  const cancel = CANCEL_SCHEDULE.exec(path);
  if (cancel && method === 'POST') {
    assertMayOperate(user);
    const view = await cancelPriceChange(db, clock, await actor(), arg(cancel));
    changed('price.cancel', view.scheduleId);
    return answer(200, view);
  }
  if (path === HUB_ADMIN_REFDATA_PATHS.history && method === 'GET') {
    const query = await parse(historyQuerySchema, Object.fromEntries(url.searchParams));
    return answer(200, await historyOf(db, await actor(), query));
  }
  const password = ACCOUNT_PASSWORD.exec(path);
  if (password && method === 'POST') {
    const view = await resetAccountPassword(db, clock, await actor(), arg(password), await parse(resetPasswordRequestSchema));
    ctx.log.info('hub: account password reset', { account: view.userId, user: user.user_id });
    return answer(200, view);
  }
  const unlock = ACCOUNT_UNLOCK.exec(path);
  if (unlock && method === 'POST') {
    const view = await unlockAccount(db, clock, await actor(), arg(unlock));
    ctx.log.info('hub: account unlocked', { account: view.userId, user: user.user_id });
    return answer(200, view);
  }
  const account = ACCOUNT.exec(path);
  if (account && method === 'PATCH') {
    const view = await updateAccount(db, clock, await actor(), arg(account), await parse(updateAccountRequestSchema));
    ctx.log.info('hub: account changed', { account: view.userId, user: user.user_id, disabled: view.disabled });
    return answer(200, view);
  }
  return false;
}
