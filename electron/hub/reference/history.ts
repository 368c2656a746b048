import { sql } from 'kysely';
import type { HistoryChange, HistoryEntryView, HistoryQuery, HistoryValue } from '../../../shared/hub-admin-api';
import type { HubDb } from '../db/database';
import type { HubAuditRow } from '../db/hub-audit';
import { assertManagesStores, assertOwner, forbidden, mayManageStore, notFound, type Actor } from './change';
import { listStaffViews } from './staff';

const MAX_ENTRIES = 200;

/**
 * The history of one item, person, store or account, read from the audit log (every change is written there in
 * its own transaction with who, from where and old → new: no second copy to drift). Each entry's JSON detail is
 * turned into typed changes (money, yes/no, stores, roles, times) that the page says in words; PINs and passwords
 * were never in it.
 *
 * Who reads what: an item's history everyone who reads the item list (a manager without other stores' prices,
 * finance read-only); a person's the owner, or a manager when the person works at one of its stores; a store's the
 * owner or its manager; an account's the owner. Finance reads no staff, store or account history.
 */
export async function historyOf(db: HubDb, actor: Actor, query: HistoryQuery): Promise<HistoryEntryView[]> {
  if (query.of !== 'item' && actor.role === 'finance') throw forbidden('财务账户不能查看员工、门店或账户的记录 / A finance account cannot see staff, store or account history');
  if (query.of === 'account') assertOwner(actor);
  if (query.of === 'store') assertManagesStores(actor, [query.id]);
  if (query.of === 'staff' && actor.storeIds !== null) {
    // A person is the manager's business only while they work at one of its stores.
    if (!(await listStaffViews(db, actor)).some((s) => s.staffId === query.id)) throw notFound('没有这个员工 / No such person');
  }
  let select = db.selectFrom('hub_audit').selectAll();
  select = query.of === 'item'
    // An item's store prices are audited under `<item>@<store>`: compared by prefix, not LIKE (the id is the caller's text).
    ? select.where((eb) => eb.or([eb('target', '=', query.id), eb(sql<string>`substr(target, 1, ${query.id.length + 1})`, '=', `${query.id}@`)]))
    : select.where('target', '=', query.id);
  const rows = await select.orderBy('at', 'desc').orderBy('revision', 'desc').limit(MAX_ENTRIES).execute();
  return rows
    .map(entryOf)
    .filter((entry) => actor.role !== 'manager' || entry.storeId === null || mayManageStore(actor, entry.storeId));
}

function entryOf(row: HubAuditRow): HistoryEntryView {
  const at = row.target.indexOf('@');
  const storeId = at > 0 ? row.target.slice(at + 1) : null;
  return { auditId: row.audit_id, at: row.at, userName: row.user_name, address: row.address, action: row.action, storeId, changes: changesOf(row.action, parse(row.detail), storeId !== null) };
}

/** Field by field: old → new for a change that recorded both, else what was set (a creation, a schedule). */
export function changesOf(action: string, detail: Record<string, unknown>, storePrice: boolean): HistoryChange[] {
  // Secrets are never in the detail: these say that one was set, not what it was.
  if (action === 'staff.pin') return [{ field: 'pin', before: null, after: null }];
  if (action === 'account.password') return [{ field: 'password', before: null, after: null }];
  if (action === 'account.unlock') return [{ field: 'locked', before: { type: 'flag', on: true }, after: { type: 'flag', on: false } }];
  const before = isRecord(detail.before) ? flatten(detail.before) : null;
  const after = isRecord(detail.after) ? flatten(detail.after) : null;
  if (before && after) {
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return fields
      .filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null))
      .map((field) => ({ field, before: valueOf(field, before[field], storePrice), after: valueOf(field, after[field], storePrice) }));
  }
  const set = flatten(after ?? detail);
  return Object.keys(set)
    .filter((field) => field !== 'scheduleId')
    .map((field) => ({ field, before: null, after: valueOf(field, set[field], storePrice) }));
}

const FEN_FIELDS = new Set(['priceFen', 'maxCashOutFen', 'maxRefundFen']);
const FLAG_FIELDS = new Set(['active', 'available', 'quick']);
const TIME_FIELDS = new Set(['applyAt', 'expiresAt', 'lockedUntil']);

function valueOf(field: string, value: unknown, storePrice: boolean): HistoryValue | null {
  if (FEN_FIELDS.has(field)) {
    if (typeof value === 'number') return { type: 'fen', fen: value };
    return field === 'priceFen' && storePrice ? { type: 'chain-price' } : null;
  }
  if (FLAG_FIELDS.has(field)) return typeof value === 'boolean' ? { type: 'flag', on: value } : null;
  if (TIME_FIELDS.has(field)) return typeof value === 'number' ? { type: 'time', at: value } : null;
  if (field === 'storeIds') return Array.isArray(value) ? { type: 'stores', storeIds: value.map(String) } : null;
  if (field === 'role') return typeof value === 'string' ? { type: 'role', role: value } : null;
  if (value === null || value === undefined) return null;
  return { type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) };
}

/** `{wechat: {mchid}}` → `{'wechat.mchid'}`: one level, the depth the details have. */
function flatten(record: Record<string, unknown>): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (isRecord(value)) for (const [inner, v] of Object.entries(value)) flat[`${key}.${inner}`] = v;
    else flat[key] = value;
  }
  return flat;
}

function parse(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
