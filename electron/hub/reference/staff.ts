import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { ChangePinRequest, CreateStaffRequest, HubStaffRole, StaffView, UpdateStaffRequest } from '../../../shared/hub-admin-api';
import type { HubStaffMember } from '../../../shared/hub-protocol';
import { pinProblem } from '../../../shared/pin-rules';
import type { HubDb } from '../db/database';
import { allStaffStores, findActiveStaffByName, findStaff, insertStaff, listStaff, listStaffOfStore, setStoresOfStaff, storesOfStaff, updateStaffRow, type HubStaffRow } from '../db/staff';
import { findStore } from '../db/stores';
import { HubHttpError } from '../http/io';
import { assertManagesStores, conflict, forbidden, inChange, notFound, type Actor } from './change';
import { verifyPassword } from '../passwords';
import { hashStaffPin } from './pin-hash';

/**
 * Staff: the people who sign in at the counters with a PIN, the stores they work at and their role there. The
 * owner manages everyone; a hub manager manages cashiers who work only at the manager's stores (making managers
 * and owners, and moving people to other stores, is the owner's). A person is disabled, never deleted: the
 * counters keep their name on old sales and refuse their PIN after the next pull.
 */
export async function createStaff(db: HubDb, clock: Clock, actor: Actor, request: CreateStaffRequest): Promise<StaffView> {
  const storeIds = unique(request.storeIds);
  assertMayManage(actor, request.role, storeIds);
  assertPin(request.pin, request.role);
  await assertPinFree(db, request.pin, storeIds, null);
  const pinHash = await hashStaffPin(request.pin);
  const now = clock.now();
  const staffId = randomUUID();
  await inChange(db, actor, now, async (trx) => {
    await assertStoresExist(trx, storeIds);
    if (await findActiveStaffByName(trx, request.name)) throw nameTaken();
    await insertStaff(trx, { staff_id: staffId, name: request.name, role: request.role, pin_hash: pinHash, active: 1, created_at: now, updated_at: now });
    await setStoresOfStaff(trx, staffId, storeIds);
    return {
      result: null,
      change: { action: 'staff.create', target: staffId, detail: { name: request.name, role: request.role, storeIds }, lists: storeIds.map((scope) => ({ scope, list: 'staff' as const })) },
    };
  });
  return staffView(db, staffId);
}

export async function updateStaff(db: HubDb, clock: Clock, actor: Actor, staffId: string, request: UpdateStaffRequest): Promise<StaffView> {
  const now = clock.now();
  await inChange(db, actor, now, async (trx) => {
    const before = await findStaff(trx, staffId);
    if (!before) throw noSuchPerson();
    const storesBefore = await storesOfStaff(trx, staffId);
    const storesAfter = request.storeIds ? unique(request.storeIds) : storesBefore;
    const role = request.role ?? before.role;
    assertMayManage(actor, before.role, storesBefore);
    assertMayManage(actor, role, storesAfter);
    await assertStoresExist(trx, storesAfter);
    const name = request.name ?? before.name;
    const active = request.active === undefined ? before.active : request.active ? 1 : 0;
    if (active === 1 && (name !== before.name || before.active === 0)) {
      const holder = await findActiveStaffByName(trx, name);
      if (holder && holder.staff_id !== staffId) throw nameTaken();
    }
    await updateStaffRow(trx, staffId, { name, role, active, updated_at: now });
    if (request.storeIds) await setStoresOfStaff(trx, staffId, storesAfter);
    // Every store the person worked at or works at now: a store they left must drop them at its next pull.
    const touched = unique([...storesBefore, ...storesAfter]);
    return {
      result: null,
      change: {
        action: request.active === false ? 'staff.disable' : 'staff.update', target: staffId,
        detail: { before: { name: before.name, role: before.role, active: before.active === 1, storeIds: storesBefore }, after: { name, role, active: active === 1, storeIds: storesAfter } },
        lists: touched.map((scope) => ({ scope, list: 'staff' as const })),
      },
    };
  });
  return staffView(db, staffId);
}

export async function changeStaffPin(db: HubDb, clock: Clock, actor: Actor, staffId: string, request: ChangePinRequest): Promise<StaffView> {
  const found = await findStaff(db, staffId);
  if (!found) throw noSuchPerson();
  assertPin(request.pin, found.role);
  await assertPinFree(db, request.pin, await storesOfStaff(db, staffId), staffId);
  const pinHash = await hashStaffPin(request.pin);
  const now = clock.now();
  await inChange(db, actor, now, async (trx) => {
    const before = await findStaff(trx, staffId);
    if (!before) throw noSuchPerson();
    const stores = await storesOfStaff(trx, staffId);
    assertMayManage(actor, before.role, stores);
    await updateStaffRow(trx, staffId, { pin_hash: pinHash, updated_at: now });
    return { result: null, change: { action: 'staff.pin', target: staffId, detail: { name: before.name }, lists: stores.map((scope) => ({ scope, list: 'staff' as const })) } };
  });
  return staffView(db, staffId);
}

/** Everyone, or for a manager the people who work at one of the manager's stores. */
export async function listStaffViews(db: HubDb, actor: Actor): Promise<StaffView[]> {
  const stores = await allStaffStores(db);
  return (await listStaff(db))
    .map((row) => toView(row, stores.get(row.staff_id) ?? []))
    .filter((view) => actor.storeIds === null || view.storeIds.some((s) => actor.storeIds?.includes(s)));
}

/** The staff list one store's counters get: everyone who works there, disabled people included (as disabled). */
export async function staffForStore(db: HubDb, storeId: string): Promise<HubStaffMember[]> {
  return (await listStaffOfStore(db, storeId)).map((row) => ({
    staffId: row.staff_id, name: row.name, role: row.role, pinHash: row.pin_hash, active: row.active === 1,
  }));
}

async function staffView(db: HubDb, staffId: string): Promise<StaffView> {
  const row = await findStaff(db, staffId);
  if (!row) throw noSuchPerson();
  return toView(row, await storesOfStaff(db, staffId));
}

function toView(row: HubStaffRow, storeIds: string[]): StaffView {
  return { staffId: row.staff_id, name: row.name, role: row.role, storeIds, active: row.active === 1, createdAt: row.created_at, updatedAt: row.updated_at };
}

function assertMayManage(actor: Actor, role: HubStaffRole, storeIds: readonly string[]): void {
  if (actor.role === 'owner') return;
  if (role !== 'cashier') throw forbidden('店长只能管理收银员 / A manager manages cashiers only');
  assertManagesStores(actor, storeIds);
}

function assertPin(pin: string, role: HubStaffRole): void {
  const problem = pinProblem(pin, role);
  if (problem) throw new HubHttpError(400, 'BAD_REQUEST', `${problem.zh} / ${problem.en}`);
}

/**
 * The counters' rule, kept at the hub: no two active people of a store share a PIN, so a PIN typed without a name
 * (PIN-only sign-in, approvals) names exactly one person. Checked before the change's transaction (scrypt is slow
 * and the transaction holds the revision lock); the refusal does not say whose PIN it is.
 */
async function assertPinFree(db: HubDb, pin: string, storeIds: readonly string[], selfId: string | null): Promise<void> {
  const seen = new Set<string>();
  for (const storeId of storeIds) {
    for (const colleague of await listStaffOfStore(db, storeId)) {
      if (colleague.active !== 1 || colleague.staff_id === selfId || seen.has(colleague.staff_id)) continue;
      seen.add(colleague.staff_id);
      if (await verifyPassword(pin, colleague.pin_hash)) throw new HubHttpError(400, 'BAD_REQUEST', '此 PIN 不可用，请换一个 / That PIN cannot be used: choose another');
    }
  }
}

async function assertStoresExist(db: HubDb, storeIds: readonly string[]): Promise<void> {
  for (const storeId of storeIds) if (!(await findStore(db, storeId))) throw notFound('没有这个门店 / No such store');
}

const unique = (ids: readonly string[]): string[] => [...new Set(ids)].sort();
const noSuchPerson = () => notFound('没有这个员工 / No such person');
const nameTaken = () => conflict('已有同名的在职员工 / An active person already has this name');
