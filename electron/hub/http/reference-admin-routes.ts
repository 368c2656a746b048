import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HUB_ADMIN_REFERENCE_PATHS, changePinRequestSchema, createItemRequestSchema, createManagerRequestSchema, createStaffRequestSchema,
  itemOverrideRequestSchema, storeSettingsRequestSchema, updateItemRequestSchema, updateStaffRequestSchema, type AuditView,
} from '../../../shared/hub-admin-api';
import type { z } from 'zod';
import { assertMayOperate } from '../access';
import { listHubAudit } from '../db/hub-audit';
import type { UserRow } from '../db/users';
import { actorOf, createManager, listManagerViews } from '../reference/accounts';
import { assertOwner } from '../reference/change';
import { createItem, listItemViews, setItemOverride, updateItem } from '../reference/items';
import { changeStaffPin, createStaff, listStaffViews, updateStaff } from '../reference/staff';
import { putStoreSettings, storeSettingsView } from '../reference/store-settings';
import type { HubContext } from './context';
import { badRequest, describeIssues, sendJson } from './io';

const SEGMENT = '([^/]{1,64})';
const P = '^/api/admin/v1';
const ITEM = new RegExp(`${P}/items/${SEGMENT}$`);
const ITEM_OVERRIDE = new RegExp(`${P}/items/${SEGMENT}/stores/${SEGMENT}$`);
const STAFF = new RegExp(`${P}/staff/${SEGMENT}$`);
const STAFF_PIN = new RegExp(`${P}/staff/${SEGMENT}/pin$`);
const STORE_SETTINGS = new RegExp(`${P}/stores/${SEGMENT}/settings$`);

const REFERENCE_PATHS = [ITEM, ITEM_OVERRIDE, STAFF, STAFF_PIN, STORE_SETTINGS];
function isReferencePath(path: string): boolean {
  return (Object.values(HUB_ADMIN_REFERENCE_PATHS) as unknown[]).includes(path) || REFERENCE_PATHS.some((r) => r.test(path));
}

/**
 * The admin API's reference-data part (shared/hub-admin-api.ts, "Reference data"): items and store overrides,
 * staff, store settings, manager accounts, the audit log. Called by admin-routes.ts once the session is checked;
 * each body is validated with its zod schema here, where it enters. Returns false for a path that is not its own.
 */
export async function routeReferenceAdmin(
  ctx: HubContext, req: IncomingMessage, res: ServerResponse, path: string, user: UserRow,
  body: () => Promise<Record<string, unknown>>,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const db = ctx.database.db;
  // Finance reads the item list (prices explain the reports) and changes nothing here: no staff, settings or accounts.
  if (user.role === 'finance' && isReferencePath(path) && !(method === 'GET' && path === HUB_ADMIN_REFERENCE_PATHS.items)) assertMayOperate(user);
  const clock = ctx.clock;
  const actor = await actorOf(db, user, req.socket.remoteAddress ?? 'unknown');
  const parse = async <S extends z.ZodType>(schema: S): Promise<z.output<S>> => {
    const parsed = schema.safeParse(await body());
    if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
    return parsed.data;
  };
  const answer = (status: number, value: unknown): true => {
    sendJson(res, status, value);
    return true;
  };
  const changed = (what: string, target: string): void => ctx.log.info('hub: reference data changed', { what, target, user: user.user_id });
  const arg = (match: RegExpExecArray, index: number): string => decodeURIComponent(match[index] ?? '');

  if (path === HUB_ADMIN_REFERENCE_PATHS.items) {
    if (method === 'GET') return answer(200, await listItemViews(db, actor));
    if (method === 'POST') {
      const view = await createItem(db, clock, actor, await parse(createItemRequestSchema));
      changed('item.create', view.itemId);
      return answer(201, view);
    }
  }
  const override = ITEM_OVERRIDE.exec(path);
  if (override && method === 'PUT') {
    const [itemId, storeId] = [arg(override, 1), arg(override, 2)];
    const view = await setItemOverride(db, clock, actor, itemId, storeId, await parse(itemOverrideRequestSchema));
    changed('item.override', `${itemId}@${storeId}`);
    return answer(200, view);
  }
  const item = ITEM.exec(path);
  if (item && method === 'PATCH') {
    const view = await updateItem(db, clock, actor, arg(item, 1), await parse(updateItemRequestSchema));
    changed('item.update', view.itemId);
    return answer(200, view);
  }
  if (path === HUB_ADMIN_REFERENCE_PATHS.staff) {
    if (method === 'GET') return answer(200, await listStaffViews(db, actor));
    if (method === 'POST') {
      const view = await createStaff(db, clock, actor, await parse(createStaffRequestSchema));
      changed('staff.create', view.staffId);
      return answer(201, view);
    }
  }
  const pin = STAFF_PIN.exec(path);
  if (pin && method === 'POST') {
    const view = await changeStaffPin(db, clock, actor, arg(pin, 1), await parse(changePinRequestSchema));
    changed('staff.pin', view.staffId);
    return answer(200, view);
  }
  const staff = STAFF.exec(path);
  if (staff && method === 'PATCH') {
    const view = await updateStaff(db, clock, actor, arg(staff, 1), await parse(updateStaffRequestSchema));
    changed('staff.update', view.staffId);
    return answer(200, view);
  }
  const settings = STORE_SETTINGS.exec(path);
  if (settings) {
    const storeId = arg(settings, 1);
    if (method === 'GET') return answer(200, await storeSettingsView(db, actor, storeId));
    if (method === 'PUT') {
      const view = await putStoreSettings(db, clock, actor, storeId, await parse(storeSettingsRequestSchema));
      changed('store.settings', storeId);
      // The store may now name another merchant id: the merchant directory's store lists follow.
      await ctx.merchants.reload();
      return answer(200, view);
    }
  }
  if (path === HUB_ADMIN_REFERENCE_PATHS.users) {
    if (method === 'GET') return answer(200, await listManagerViews(db, actor));
    if (method === 'POST') {
      const view = await createManager(db, clock, actor, await parse(createManagerRequestSchema));
      changed('account.create', view.userId);
      return answer(201, view);
    }
  }
  if (path === HUB_ADMIN_REFERENCE_PATHS.audit && method === 'GET') {
    assertOwner(actor);
    const rows = await listHubAudit(db, 500);
    return answer(200, rows.map((r): AuditView => ({
      auditId: r.audit_id, at: r.at, userId: r.user_id, userName: r.user_name, address: r.address, action: r.action,
      target: r.target, detail: JSON.parse(r.detail) as unknown, revision: r.revision,
    })));
  }
  return false;
}
