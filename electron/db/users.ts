import type { Database } from 'better-sqlite3';
import type { Language } from '../../shared/i18n';
import type { Role } from '../../shared/security';
import { cachedStatement } from './statements';

export interface UserRow {
  id: string;
  name: string;
  role: Role;
  pin_hash: string;
  active: number;
  demo: number;
  must_change_pin: number;
  failed_attempts: number;
  /** Created before the install was first set live: switched off for good when it is (migration 0009). */
  sandbox: number;
  locked_until: number | null;
  last_sign_in_at: number | null;
  created_at: number;
  updated_at: number;
  /** The language this person chose at the cashier window (migration 0017); null: never chose. */
  language: Language | null;
}

export interface NewUserRow {
  id: string;
  name: string;
  role: Role;
  pinHash: string;
  demo: boolean;
  mustChangePin: boolean;
  createdAt: number;
  /** Created while the install was never live (sandbox staff do not carry into live mode). */
  sandbox: boolean;
}

export function insertUser(db: Database, user: NewUserRow): void {
  cachedStatement(
    db,
    `INSERT INTO users (id, name, role, pin_hash, active, demo, sandbox, must_change_pin, created_at, updated_at)
     VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
  ).run(user.id, user.name, user.role, user.pinHash, user.demo ? 1 : 0, user.sandbox ? 1 : 0, user.mustChangePin ? 1 : 0, user.createdAt, user.createdAt);
}

export function getUser(db: Database, id: string): UserRow | undefined {
  return cachedStatement(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

export function listUsers(db: Database): UserRow[] {
  return cachedStatement(db, 'SELECT * FROM users ORDER BY active DESC, role DESC, name').all() as UserRow[];
}

/** Active users allowed to approve (manager or owner), for a PIN given without naming the manager. */
export function listActiveApprovers(db: Database): UserRow[] {
  return cachedStatement(db, "SELECT * FROM users WHERE active = 1 AND role IN ('manager', 'owner') ORDER BY id").all() as UserRow[];
}

export function countActiveUsers(db: Database, options: { role?: Role; demo?: boolean } = {}): number {
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM users WHERE active = 1
         AND (@role IS NULL OR role = @role) AND (@demo IS NULL OR demo = @demo)`,
    )
    .get({ role: options.role ?? null, demo: options.demo === undefined ? null : options.demo ? 1 : 0 }) as { n: number };
  return row.n;
}

/** One more wrong PIN; locks the user until `lockUntil` when the count reaches `maxAttempts`. Returns the new count. */
export function recordFailedPin(db: Database, id: string, maxAttempts: number, lockUntil: number, now: number): number {
  const row = db
    .prepare(
      `UPDATE users SET failed_attempts = failed_attempts + 1,
         locked_until = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_until END,
         updated_at = ?
       WHERE id = ? RETURNING failed_attempts`,
    )
    .get(maxAttempts, lockUntil, now, id) as { failed_attempts: number } | undefined;
  return row?.failed_attempts ?? 0;
}

/** After a lock ran out the count starts again from zero. */
export function clearExpiredLock(db: Database, id: string, now: number): void {
  cachedStatement(db, 'UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ? AND locked_until <= ?').run(
    now,
    id,
    now,
  );
}

export function recordSignIn(db: Database, id: string, now: number): void {
  cachedStatement(db, 'UPDATE users SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = ?, updated_at = ? WHERE id = ?').run(
    now,
    now,
    id,
  );
}

export function recordCorrectPin(db: Database, id: string, now: number): void {
  cachedStatement(db, 'UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?').run(now, id);
}

export function setUserPin(db: Database, id: string, pinHash: string, mustChange: boolean, now: number): void {
  cachedStatement(
    db,
    'UPDATE users SET pin_hash = ?, must_change_pin = ?, failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?',
  ).run(pinHash, mustChange ? 1 : 0, now, id);
}

export function setUserActive(db: Database, id: string, active: boolean, now: number): void {
  cachedStatement(db, 'UPDATE users SET active = ?, updated_at = ? WHERE id = ?').run(active ? 1 : 0, now, id);
}

export function unlockUser(db: Database, id: string, now: number): void {
  cachedStatement(db, 'UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?').run(now, id);
}

/** Demo users and staff created in sandbox mode stop working the moment the install goes live. Returns how many. */
export function deactivateSandboxUsers(db: Database, now: number): number {
  return cachedStatement(db, 'UPDATE users SET active = 0, updated_at = ? WHERE (demo = 1 OR sandbox = 1) AND active = 1').run(now).changes;
}

/** The person's language at the cashier window (kept at this counter, also for hub-managed staff). */
export function setUserLanguage(db: Database, id: string, language: Language): void {
  db.prepare('UPDATE users SET language = ? WHERE id = ?').run(language, id);
}
