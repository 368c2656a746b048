import type { Database } from 'better-sqlite3';
import type { Role } from '../../shared/security';

/**
 * The hub's reference data at this counter (migration 0013): the revision held, the last store settings, and the
 * hub-owned rows of `items` and `users` (marked with the hub's ids). Plain functions, called inside the one
 * transaction that applies a hub answer (electron/hub-link/reference.ts).
 */
export interface HubReferenceRow {
  revision: number;
  store: string | null;
  pins_wrapped_with: string;
  local_staff_retired_at: number | null;
  pulled_at: number;
}

export function getHubReference(db: Database): HubReferenceRow | undefined {
  return db.prepare('SELECT revision, store, pins_wrapped_with, local_staff_retired_at, pulled_at FROM hub_reference WHERE id = 1').get() as HubReferenceRow | undefined;
}

export function saveHubReference(db: Database, row: HubReferenceRow): void {
  db.prepare(
    `INSERT INTO hub_reference (id, revision, store, pins_wrapped_with, local_staff_retired_at, pulled_at)
     VALUES (1, @revision, @store, @pins_wrapped_with, @local_staff_retired_at, @pulled_at)
     ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, store = excluded.store, pins_wrapped_with = excluded.pins_wrapped_with,
       local_staff_retired_at = excluded.local_staff_retired_at, pulled_at = excluded.pulled_at`,
  ).run(row);
}

/** Forgets the copy (a counter enrolled with another hub starts from revision 0). */
export function clearHubReference(db: Database): void {
  db.prepare('DELETE FROM hub_reference').run();
}

/**
 * The hub's URL when this counter's items, staff and store settings are the hub's: enrolled, and still after a
 * revocation (the last copy stands until someone enrols again; nobody should quietly fork the store's lists).
 */
export function hubManagedBy(db: Database): string | null {
  const row = db.prepare('SELECT hub_url FROM hub_link WHERE id = 1').get() as { hub_url: string } | undefined;
  return row?.hub_url ?? null;
}

// ---- items -------------------------------------------------------------------------------------------------------

export interface HubItemFields {
  hubItemId: string;
  name: string;
  barcode: string | null;
  priceFen: number;
  quick: boolean;
  position: number;
  active: boolean;
}

/**
 * Frees every barcode the new list will hand out, so one answer may move a barcode from one item to another
 * (the unique index holds at every statement, not only at commit): the hub's items give theirs up until they are
 * written again below, and an item made at this counter loses a barcode the hub now gives to its own item.
 */
export function freeBarcodesFor(db: Database, barcodes: readonly string[]): void {
  db.prepare('UPDATE items SET barcode = NULL WHERE hub_item_id IS NOT NULL AND barcode IS NOT NULL').run();
  // The hub's list decides the quick keys too (its places 0–11 are keys A–L): every key is handed out again below.
  db.prepare('UPDATE items SET quick_key = NULL WHERE quick_key IS NOT NULL').run();
  const free = db.prepare('UPDATE items SET barcode = NULL WHERE barcode = ?');
  for (const barcode of barcodes) free.run(barcode);
}

/** Writes one hub item onto the row that carries its hub id, or a new row; returns the row's id. */
export function upsertHubItem(db: Database, item: HubItemFields, now: number): number {
  const bit = (flag: boolean): number => (flag ? 1 : 0);
  const key = item.quick && item.active && item.position <= 11 ? item.position : null;
  const updated = db
    .prepare(
      `UPDATE items SET name = ?, barcode = ?, price_fen = ?, quick = ?, position = ?, active = ?, quick_key = ?, updated_at = ?
       WHERE hub_item_id = ? RETURNING id`,
    )
    .get(item.name, item.barcode, item.priceFen, bit(item.quick), item.position, bit(item.active), key, now, item.hubItemId) as { id: number } | undefined;
  if (updated) return updated.id;
  const inserted = db
    .prepare(
      `INSERT INTO items (name, barcode, price_fen, quick, position, active, quick_key, created_at, updated_at, hub_item_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(item.name, item.barcode, item.priceFen, bit(item.quick), item.position, bit(item.active), key, now, now, item.hubItemId);
  return Number(inserted.lastInsertRowid);
}

/** Items the hub no longer lists for this store, and every item made at this counter: not sold any more. */
export function deactivateItemsNotIn(db: Database, hubItemIds: readonly string[], now: number): number {
  const keep = JSON.stringify(hubItemIds);
  return db
    .prepare(
      `UPDATE items SET active = 0, quick_key = NULL, updated_at = ?
       WHERE active = 1 AND (hub_item_id IS NULL OR hub_item_id NOT IN (SELECT value FROM json_each(?)))`,
    )
    .run(now, keep).changes;
}

// ---- staff -------------------------------------------------------------------------------------------------------

export interface HubStaffFields {
  hubStaffId: string;
  name: string;
  role: Role;
  /** Already under this counter's protection (PinHasher.wrapHubHash). */
  pinHash: string;
  active: boolean;
}

/** Switches every hub person off for the moment, so names can move between people within one answer. */
export function parkHubStaff(db: Database, now: number): void {
  db.prepare('UPDATE users SET active = 0, updated_at = ? WHERE hub_staff_id IS NOT NULL AND active = 1').run(now);
}

/** A person made at this counter with the same name as an active hub person gives way (one active name). */
export function deactivateLocalNamed(db: Database, name: string, now: number): number {
  return db.prepare('UPDATE users SET active = 0, updated_at = ? WHERE hub_staff_id IS NULL AND active = 1 AND name = ?').run(now, name).changes;
}

/** Every person made at this counter (the hub's list replaces them). */
export function deactivateLocalStaff(db: Database, now: number): number {
  return db.prepare('UPDATE users SET active = 0, updated_at = ? WHERE hub_staff_id IS NULL AND active = 1').run(now).changes;
}

/**
 * Writes one hub person onto the row that carries their hub id, or a new row (id `hub-<staff id>`). Lockout
 * (failed_attempts, locked_until) is this counter's and is left as it is; a hub person never has to change a PIN
 * here (the PIN is set at the hub) and is neither a demo nor a sandbox account.
 */
export function upsertHubStaff(db: Database, person: HubStaffFields, now: number): void {
  const updated = db
    .prepare(
      `UPDATE users SET name = ?, role = ?, pin_hash = ?, active = ?, must_change_pin = 0, demo = 0, sandbox = 0, updated_at = ?
       WHERE hub_staff_id = ?`,
    )
    .run(person.name, person.role, person.pinHash, person.active ? 1 : 0, now, person.hubStaffId);
  if (updated.changes > 0) return;
  db.prepare(
    `INSERT INTO users (id, name, role, pin_hash, active, demo, sandbox, must_change_pin, created_at, updated_at, hub_staff_id)
     VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?)`,
  ).run(`hub-${person.hubStaffId}`.slice(0, 64), person.name, person.role, person.pinHash, person.active ? 1 : 0, now, now, person.hubStaffId);
}

/** True when this user's row came from the hub. */
export function isHubStaff(db: Database, userId: string): boolean {
  const row = db.prepare('SELECT hub_staff_id FROM users WHERE id = ?').get(userId) as { hub_staff_id: string | null } | undefined;
  return row?.hub_staff_id != null;
}
