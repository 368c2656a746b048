import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { z } from 'zod';
import type { createManagerRequestSchema, ManagerView, ResetPasswordRequest, UpdateAccountRequest } from '../../../shared/hub-admin-api';
import type { HubDb } from '../db/database';
import { findStore } from '../db/stores';
import { setStoresOfUser, listAccounts, storesOfUser } from '../db/user-stores';
import { deleteSessionsOfUser } from '../db/sessions';
import { clearFailedSignIns, countActiveOwners, findUser, findUserByName, insertUser, setUserDisabled, setUserPassword, type UserRow } from '../db/users';
import { HubHttpError } from '../http/io';
import { hashPassword } from '../passwords';
import { assertOwner, conflict, forbidden, inChange, notFound, type Actor } from './change';

/**
 * Hub sign-in accounts. The owner is made at setup; the owner adds managers, each limited to given stores (their
 * items' store prices, cashiers and printed store settings: see change.ts, items.ts, staff.ts,
 * store-settings.ts). Accounts are not reference data for the counters, but making one is audit-logged the same way.
 */
export async function createManager(db: HubDb, clock: Clock, actor: Actor, request: z.output<typeof createManagerRequestSchema>): Promise<ManagerView> {
  assertOwner(actor);
  const passwordHash = await hashPassword(request.password);
  const now = clock.now();
  const userId = randomUUID();
  const storeIds = [...new Set(request.storeIds)].sort();
  await inChange(db, actor, now, async (trx) => {
    for (const storeId of storeIds) if (!(await findStore(trx, storeId))) throw notFound('没有这个门店 / No such store');
    if (await findUserByName(trx, request.name)) throw conflict('已有同名的账户 / An account already has this name');
    await insertUser(trx, { user_id: userId, name: request.name, role: request.role, password_hash: passwordHash, created_at: now });
    await setStoresOfUser(trx, userId, storeIds);
    return { result: null, change: { action: 'account.create', target: userId, detail: { name: request.name, role: request.role, storeIds }, lists: [] } };
  });
  return { userId, name: request.name, role: request.role, storeIds, createdAt: now, disabled: false, lockedUntil: null, failedSignIns: 0 };
}

export async function listManagerViews(db: HubDb, actor: Actor): Promise<ManagerView[]> {
  assertOwner(actor);
  const views: ManagerView[] = [];
  for (const account of await listAccounts(db)) {
    views.push({
      userId: account.user_id, name: account.name, role: account.role, storeIds: account.role !== 'manager' ? [] : await storesOfUser(db, account.user_id),
      createdAt: account.created_at, disabled: account.disabled_at !== null, lockedUntil: account.locked_until, failedSignIns: account.failed_sign_ins,
    });
  }
  return views;
}

/**
 * The owner changes a manager's stores, or disables / enables an account. Nobody disables their own account nor
 * the last active owner's (the hub would have nobody to manage it); a disabled account's sessions end at once.
 */
export async function updateAccount(db: HubDb, clock: Clock, actor: Actor, userId: string, request: UpdateAccountRequest): Promise<ManagerView> {
  assertOwner(actor);
  const now = clock.now();
  await inChange(db, actor, now, async (trx) => {
    const before = await findUser(trx, userId);
    if (!before) throw noSuchAccount();
    const storesBefore = before.role === 'manager' ? await storesOfUser(trx, userId) : [];
    let storesAfter = storesBefore;
    if (request.storeIds) {
      if (before.role !== 'manager') throw new HubHttpError(400, 'BAD_REQUEST', '只有店长账户分配门店 / Only a manager account is given stores');
      storesAfter = [...new Set(request.storeIds)].sort();
      for (const storeId of storesAfter) if (!(await findStore(trx, storeId))) throw notFound('没有这个门店 / No such store');
      await setStoresOfUser(trx, userId, storesAfter);
    }
    const disabledBefore = before.disabled_at !== null;
    const disabledAfter = request.disabled ?? disabledBefore;
    if (disabledAfter && !disabledBefore) {
      if (userId === actor.userId) throw forbidden('不能停用自己的账户 / You cannot disable your own account');
      if (before.role === 'owner' && (await countActiveOwners(trx)) <= 1) throw forbidden('不能停用唯一的老板账户 / The only owner account cannot be disabled');
      await setUserDisabled(trx, userId, now);
      await deleteSessionsOfUser(trx, userId);
    } else if (!disabledAfter && disabledBefore) await setUserDisabled(trx, userId, null);
    const action = disabledAfter && !disabledBefore ? 'account.disable' : !disabledAfter && disabledBefore ? 'account.enable' : 'account.update';
    return {
      result: null,
      change: {
        action, target: userId,
        detail: { before: { name: before.name, storeIds: storesBefore, active: !disabledBefore }, after: { name: before.name, storeIds: storesAfter, active: !disabledAfter } },
        lists: [],
      },
    };
  });
  return accountView(db, userId);
}

/** The owner sets a new password (told to the person out of band): the lock is cleared and old sessions end. */
export async function resetAccountPassword(db: HubDb, clock: Clock, actor: Actor, userId: string, request: ResetPasswordRequest): Promise<ManagerView> {
  assertOwner(actor);
  const passwordHash = await hashPassword(request.password);
  await inChange(db, actor, clock.now(), async (trx) => {
    const user = await findUser(trx, userId);
    if (!user) throw noSuchAccount();
    await setUserPassword(trx, userId, passwordHash);
    await deleteSessionsOfUser(trx, userId);
    // Never the password, nor its hash.
    return { result: null, change: { action: 'account.password', target: userId, detail: { name: user.name }, lists: [] } };
  });
  return accountView(db, userId);
}

/** The owner lifts a lock (the person remembered the password, or the tries were someone else's). */
export async function unlockAccount(db: HubDb, clock: Clock, actor: Actor, userId: string): Promise<ManagerView> {
  assertOwner(actor);
  await inChange(db, actor, clock.now(), async (trx) => {
    const user = await findUser(trx, userId);
    if (!user) throw noSuchAccount();
    await clearFailedSignIns(trx, userId);
    return { result: null, change: { action: 'account.unlock', target: userId, detail: { name: user.name, failedSignIns: user.failed_sign_ins, lockedUntil: user.locked_until }, lists: [] } };
  });
  return accountView(db, userId);
}

async function accountView(db: HubDb, userId: string): Promise<ManagerView> {
  const user: UserRow | undefined = await findUser(db, userId);
  if (!user) throw noSuchAccount();
  return {
    userId, name: user.name, role: user.role, storeIds: user.role === 'manager' ? await storesOfUser(db, userId) : [], createdAt: user.created_at,
    disabled: user.disabled_at !== null, lockedUntil: user.locked_until, failedSignIns: user.failed_sign_ins,
  };
}

const noSuchAccount = () => notFound('没有这个账户 / No such account');

/**
 * The signed-in account as an actor: the owner manages all stores, a manager the stores given to the account,
 * finance none (it reads every store's reports, but changes no store: access.ts).
 */
export async function actorOf(db: HubDb, user: { user_id: string; name: string; role: 'owner' | 'manager' | 'finance' }, address: string): Promise<Actor> {
  const storeIds = user.role === 'owner' ? null : user.role === 'finance' ? [] : await storesOfUser(db, user.user_id);
  return { userId: user.user_id, name: user.name, role: user.role, storeIds, address };
}
