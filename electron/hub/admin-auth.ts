import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock';
import type { SetupRequest, SignedInAnswer, SignInRequest } from '../../shared/hub-admin-api';
import type { HubDb } from './db/database';
import { deleteExpiredSessions, findLiveSession, insertSession } from './db/sessions';
import { insertStore } from './db/stores';
import { clearFailedSignIns, countUsers, findUser, findUserByName, insertUser, recordFailedSignIn, type UserRow } from './db/users';
import { HubHttpError } from './http/io';
import { hashPassword, randomToken, sha256Hex, verifyPassword } from './passwords';

/** A session lasts a working day; then the head office signs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;
/** Failures before each further try must wait (1 s, 2 s, 4 s, … doubling), and before the account locks. */
export const BACKOFF_AFTER_FAILURES = 3;
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MS = 30 * 60_000;

export interface SignedIn {
  answer: SignedInAnswer;
  token: string;
}

/**
 * The one-time setup token: made at start while no owner exists, printed in the ready line's `admin` URL, kept in
 * memory as its hash only. It is used up before the first await of the setup, so two racing setups cannot both
 * create an owner; a refused setup (a short password) leaves it usable. A restart before setup prints a new one.
 */
export class SetupGate {
  private tokenHash: string | null = null;

  open(): string {
    const token = randomToken();
    this.tokenHash = sha256Hex(token);
    return token;
  }

  get isOpen(): boolean {
    return this.tokenHash !== null;
  }

  take(token: string): boolean {
    if (this.tokenHash === null || sha256Hex(token) !== this.tokenHash) return false;
    this.tokenHash = null;
    return true;
  }

  reopenWith(token: string): void {
    this.tokenHash = sha256Hex(token);
  }
}

export async function runSetup(db: HubDb, clock: Clock, gate: SetupGate, request: SetupRequest): Promise<SignedIn> {
  if (!gate.take(request.token)) {
    throw new HubHttpError(403, 'SETUP_DONE', '设置链接无效或已使用 / The setup link is invalid or was already used');
  }
  try {
    const now = clock.now();
    const userId = randomUUID();
    const passwordHash = await hashPassword(request.password);
    await db.transaction().execute(async (trx) => {
      if ((await countUsers(trx)) > 0) throw new HubHttpError(403, 'SETUP_DONE', '总部已设置 / The hub is already set up');
      await insertUser(trx, { user_id: userId, name: request.ownerName, role: 'owner', password_hash: passwordHash, created_at: now });
      await insertStore(trx, { store_id: randomUUID(), name: request.storeName, created_at: now });
    });
    return openSession(db, clock, { user_id: userId, name: request.ownerName, role: 'owner' });
  } catch (error) {
    if (!(error instanceof HubHttpError && error.code === 'SETUP_DONE')) gate.reopenWith(request.token);
    throw error;
  }
}

const signInFailed = (): HubHttpError => new HubHttpError(401, 'SIGN_IN_FAILED', '用户名或密码错误 / Wrong name or password');
// Verified against when the name is unknown, so the answer takes as long as for a known name.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Password sign-in with failures counted per account: after 3 failures each try waits 1 s, 2 s, 4 s … since the
 * last failure, and the 10th locks the account for 30 minutes (another failure after that locks it again).
 * A locked or waiting account is answered without checking the password, so guessing gains nothing.
 */
export async function signIn(db: HubDb, clock: Clock, request: SignInRequest): Promise<SignedIn> {
  const user = await findUserByName(db, request.name);
  const now = clock.now();
  if (!user) {
    await verifyPassword(request.password, DUMMY_HASH);
    throw signInFailed();
  }
  if (user.locked_until !== null && user.locked_until > now) {
    throw new HubHttpError(429, 'LOCKED', '密码错误次数过多，账户已锁定 30 分钟 / Too many wrong passwords: the account is locked for 30 minutes', { 'retry-after': String(Math.ceil((user.locked_until - now) / 1000)) });
  }
  const waitUntil = backoffUntil(user);
  if (waitUntil > now) {
    throw new HubHttpError(429, 'LOCKED', '请稍候再试 / Wait a moment before trying again', { 'retry-after': String(Math.ceil((waitUntil - now) / 1000)) });
  }
  if (!(await verifyPassword(request.password, user.password_hash))) {
    const failures = user.failed_sign_ins + 1;
    await recordFailedSignIn(db, user.user_id, now, failures >= LOCK_AFTER_FAILURES ? now + LOCK_MS : null);
    throw signInFailed();
  }
  // Said only after the right password: a guesser learns nothing about which accounts exist or are disabled.
  if (user.disabled_at !== null) throw new HubHttpError(403, 'DISABLED', '此账户已停用，请联系老板 / This account is disabled: ask the owner');
  await clearFailedSignIns(db, user.user_id);
  return openSession(db, clock, user);
}

function backoffUntil(user: UserRow): number {
  if (user.failed_sign_ins < BACKOFF_AFTER_FAILURES || user.last_failed_at === null) return 0;
  return user.last_failed_at + 1000 * 2 ** Math.min(user.failed_sign_ins - BACKOFF_AFTER_FAILURES, 10);
}

async function openSession(db: HubDb, clock: Clock, user: Pick<UserRow, 'user_id' | 'name' | 'role'>): Promise<SignedIn> {
  const now = clock.now();
  const token = randomToken();
  const expiresAt = now + SESSION_TTL_MS;
  await deleteExpiredSessions(db, now);
  await insertSession(db, { token_hash: sha256Hex(token), user_id: user.user_id, created_at: now, expires_at: expiresAt });
  return { token, answer: { user: { userId: user.user_id, name: user.name, role: user.role }, expiresAt } };
}

/** The signed-in person behind a session cookie's token, or a 401. */
export async function requireSession(db: HubDb, clock: Clock, token: string | undefined): Promise<UserRow> {
  return (await requireLiveSession(db, clock, token)).user;
}

/** The session behind a cookie's token with its end (for `GET session`: a reloaded page learns who is signed in). */
export async function requireLiveSession(db: HubDb, clock: Clock, token: string | undefined): Promise<{ user: UserRow; expiresAt: number }> {
  const session = token ? await findLiveSession(db, sha256Hex(token), clock.now()) : undefined;
  const user = session ? await findUser(db, session.user_id) : undefined;
  if (!session || !user || user.disabled_at !== null) throw new HubHttpError(401, 'UNAUTHENTICATED', '请先登录 / Please sign in');
  return { user, expiresAt: session.expires_at };
}
