import type { HubDb } from '../db/database';
import { insertHubAudit } from '../db/hub-audit';
import { markChanged, nextRevision, type ReferenceList } from '../db/revisions';
import { HubHttpError } from '../http/io';

/** Who changes reference data, and from where: every change is audit-logged with both. */
export interface Actor {
  userId: string;
  name: string;
  role: 'owner' | 'manager' | 'finance';
  /** The stores a manager may manage; null for the owner (all of them); none for finance. */
  storeIds: readonly string[] | null;
  /** The request's address as the hub saw it. */
  address: string;
}

export interface Change {
  action: string;
  target: string;
  /** What changed, as JSON (never a PIN nor a PIN hash). */
  detail: Record<string, unknown>;
  lists: readonly { scope: string; list: ReferenceList }[];
}

/**
 * Runs one reference change in one transaction: the revision is taken first (serializing changes, see
 * nextRevision), then `apply` checks and writes and names what changed, then the changed lists are marked and the
 * audit entry written. A refusal thrown by `apply` rolls all of it back, the revision included.
 */
export async function inChange<T>(db: HubDb, actor: Actor, now: number, apply: (trx: HubDb, revision: number) => Promise<{ result: T; change: Change }>): Promise<T> {
  try {
    return await db.transaction().execute(async (trx) => {
      const revision = await nextRevision(trx);
      const { result, change } = await apply(trx, revision);
      await markChanged(trx, revision, change.lists);
      await insertHubAudit(trx, {
        at: now, user_id: actor.userId, user_name: actor.name, address: actor.address, action: change.action,
        target: change.target, detail: JSON.stringify(change.detail), revision,
      });
      return result;
    });
  } catch (error) {
    // The checks inside the transaction make this rare (changes are serialized), but a unique index is the last word.
    if (isUniqueViolation(error)) throw conflict('已被占用 / Already taken');
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '23505' || (typeof message === 'string' && message.includes('UNIQUE constraint failed'));
}

export const conflict = (message: string): HubHttpError => new HubHttpError(409, 'CONFLICT', message);
export const notFound = (message: string): HubHttpError => new HubHttpError(404, 'NOT_FOUND', message);
export const forbidden = (message: string): HubHttpError => new HubHttpError(403, 'FORBIDDEN', message);

/** The owner manages every store; a manager only the stores given to the account. */
export function mayManageStore(actor: Actor, storeId: string): boolean {
  return actor.storeIds === null || actor.storeIds.includes(storeId);
}

export function assertManagesStores(actor: Actor, storeIds: readonly string[]): void {
  const outside = storeIds.filter((s) => !mayManageStore(actor, s));
  if (outside.length > 0) throw forbidden('您不能管理这个门店 / You do not manage this store');
}

export function assertOwner(actor: Actor): void {
  if (actor.role !== 'owner') throw forbidden('只有老板可以这样做 / Only the owner may do this');
}
