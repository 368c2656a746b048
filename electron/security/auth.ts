import { getUser, recordSignIn, type UserRow } from '../db/users';
import { roleAtLeast, ROLE_LABELS, type Role, type UserSummary } from '../../shared/security';
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type Actor } from './audit-log';
import { securityError } from './errors';
import { toUserSummary } from './people';
import { checkUserPin, identifyByPin, type PinCheckDeps } from './pin-check';

export interface SignedInUser extends Actor {
  role: Role;
}

/**
 * Who is signed in at which window. A window is known by its connection id (the IPC sender or the WebSocket),
 * so the renderer never holds a session token; closing the window ends the session. Every check re-reads the
 * user, so deactivating someone ends their sessions at once.
 */
export class AuthService {
  private readonly sessions = new Map<string, { userId: string; since: number }>();

  constructor(private readonly deps: PinCheckDeps) {}

  /** The person picked their name, then typed the PIN. Five wrong PINs (configurable) lock that person. */
  signIn(connectionId: string, userId: string, pin: string): UserSummary {
    return this.start(connectionId, checkUserPin(this.deps, getUser(this.deps.db, userId), pin, 'sign-in'));
  }

  /**
   * PIN only: the PIN identifies the person (PINs are unique among active staff, see PeopleService). A wrong PIN
   * names nobody, so it spends the terminal's budget (backoff, then the terminal lock, during which only a
   * manager's or owner's PIN signs in); a right PIN does not give that budget back. Locked or inactive people
   * cannot sign in this way either.
   */
  signInWithPin(connectionId: string, pin: string): UserSummary {
    const match = identifyByPin(this.deps, pin, () => true, () => {
      this.deps.audit.append(SYSTEM_ACTOR, AUDIT_ACTIONS.signInFailed, { purpose: 'sign-in', scope: 'pin-only' });
    });
    return this.start(connectionId, match);
  }

  private start(connectionId: string, user: UserRow): UserSummary {
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    db.transaction(() => {
      recordSignIn(db, user.id, now);
      audit.append({ id: user.id, name: user.name }, AUDIT_ACTIONS.signIn, { window: connectionId.split('-')[0] ?? '' });
    })();
    this.sessions.set(connectionId, { userId: user.id, since: now });
    return toUserSummary(getUser(db, user.id) ?? user);
  }

  signOut(connectionId: string): void {
    const session = this.sessions.get(connectionId);
    if (!session) return;
    this.sessions.delete(connectionId);
    const user = getUser(this.deps.db, session.userId);
    if (user) this.deps.audit.append({ id: user.id, name: user.name }, AUDIT_ACTIONS.signOut, {});
  }

  /** The person signed in at this window, or null. */
  current(connectionId: string): SignedInUser | null {
    const session = this.sessions.get(connectionId);
    if (!session) return null;
    const user = getUser(this.deps.db, session.userId);
    if (!user || user.active !== 1 || (user.demo === 1 && !this.deps.demoAllowed())) {
      this.sessions.delete(connectionId);
      return null;
    }
    return { id: user.id, name: user.name, role: user.role };
  }

  /** Throws unless someone with at least `least` is signed in at this window. */
  requireSignedIn(connectionId: string, least: Role = 'cashier'): SignedInUser {
    const user = this.current(connectionId);
    if (!user) throw securityError('NOT_SIGNED_IN', '请先登录', 'Please sign in first');
    if (!roleAtLeast(user.role, least)) {
      const label = ROLE_LABELS[least];
      throw securityError('FORBIDDEN', `需要${label.zh}登录`, `A ${label.en.toLowerCase()} must be signed in`);
    }
    return user;
  }

  /** A window closed or disconnected: its session ends without an audit row (nobody chose to sign out). */
  forget(connectionId: string): void {
    this.sessions.delete(connectionId);
  }
}
