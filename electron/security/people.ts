import { randomBytes } from 'node:crypto';
import {
  countActiveUsers,
  deactivateSandboxUsers,
  getUser,
  insertUser,
  listUsers,
  setUserActive,
  setUserPin,
  unlockUser,
  type UserRow,
} from '../db/users';
import { roleAtLeast, type Role, type SetupState, type TerminalPinLockView, type UserSummary } from '../../shared/security';
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type Actor } from './audit-log';
import { requireApproval, type ApprovalGate } from './approvals';
import { SecurityError, securityError } from './errors';
import { liveModeSetAt, recordLiveMode } from './live-mode';
import type { PinPepperState } from './secret-store';
import { checkUserPin, type PinCheckDeps } from './pin-check';
import { pinProblem } from './pin';
import { hubManagedBy } from '../db/hub-reference';

export interface PeopleDeps extends PinCheckDeps {
  approvals: ApprovalGate;
  /** The PIN pepper's state, and its renewal after a restore from another install (the secret store). */
  pinPepper?: { state(): PinPepperState; renew(): void };
  newUserId?: () => string;
}

/** The sandbox demo's two accounts: stable ids so a demo script can name them. */
export const DEMO_USERS = [
  { id: 'demo-cashier', name: '演示收银员', role: 'cashier', pin: '1111' },
  { id: 'demo-manager', name: '演示店长', role: 'manager', pin: '9999' },
] as const satisfies readonly { id: string; name: string; role: Role; pin: string }[];

export function toUserSummary(row: UserRow): UserSummary {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    active: row.active === 1,
    demo: row.demo === 1,
    mustChangePin: row.must_change_pin === 1,
    lockedUntil: row.locked_until,
    lastSignInAt: row.last_sign_in_at,
  };
}

/**
 * Staff accounts. First run, decided: a live install cannot be used until someone creates the owner (name + a
 * 6–8 digit PIN) on the first-run screen, which is possible only while no real owner exists. In sandbox mode the
 * demo accounts 演示收银员 1111 and 演示店长 9999 are seeded and flagged demo; they stop working in live mode
 * and are switched off for good the first time settings say live (`goneLive`), together with everyone created
 * before that (sandbox staff, e.g. an owner made on a sandbox run): live staff start from the first-run screen.
 */
export class PeopleService {
  constructor(private readonly deps: PeopleDeps) {}

  list(): UserSummary[] {
    return listUsers(this.deps.db).map(toUserSummary);
  }

  setupState(): SetupState {
    const { db } = this.deps;
    const pinsUnreadable = this.deps.pinPepper?.state() === 'unreadable';
    return {
      needsOwner: pinsUnreadable || countActiveUsers(db, { role: 'owner', demo: false }) === 0,
      demoUsersActive: countActiveUsers(db, { demo: true }) > 0,
      pinsUnreadable,
    };
  }

  /**
   * First run: the owner account. Refused once any real owner exists — unless this database's PINs were made on
   * another install (a restored backup): nobody's PIN can be checked here, so the owner is created again with a
   * new pepper (audit-logged as such) and then resets everyone else's PIN on the staff tab.
   */
  createOwner(name: string, pin: string): UserSummary {
    const setup = this.setupState();
    if (!setup.needsOwner) {
      throw securityError('SETUP_DONE', '已有老板账号，请由老板添加员工', 'An owner already exists: the owner adds staff');
    }
    if (setup.pinsUnreadable) this.deps.pinPepper?.renew();
    const user = this.insert(name, 'owner', pin, false);
    this.deps.audit.append({ id: user.id, name: user.name }, AUDIT_ACTIONS.ownerCreated, { userId: user.id, pinsReset: setup.pinsUnreadable });
    return user;
  }

  /** Sandbox only, and only into an empty staff list. Returns whether anything was seeded. */
  seedDemoUsers(): boolean {
    const { db, clock } = this.deps;
    if (!this.deps.demoAllowed() || listUsers(db).length > 0) return false;
    db.transaction(() => {
      for (const demo of DEMO_USERS) {
        insertUser(db, { id: demo.id, name: demo.name, role: demo.role, pinHash: this.deps.pins.hash(demo.pin), demo: true, sandbox: true, mustChangePin: false, createdAt: clock.now() });
      }
      this.deps.audit.append(SYSTEM_ACTOR, AUDIT_ACTIONS.demoSeeded, { users: DEMO_USERS.map((u) => u.id) });
    })();
    return true;
  }

  /**
   * Settings say live: recorded for good the first time (audit-logged), and the demo accounts and every account
   * created before it are switched off (they were made where anyone at the counter could make them). Called at
   * every start in live mode and when a settings change sets live; does nothing more once done.
   */
  goneLive(actor: Actor = SYSTEM_ACTOR): number {
    const { db, clock, audit } = this.deps;
    return db.transaction(() => {
      const now = clock.now();
      if (recordLiveMode(db, now)) audit.append(actor, AUDIT_ACTIONS.liveModeSet, {});
      const count = deactivateSandboxUsers(db, now);
      if (count > 0) audit.append(actor, AUDIT_ACTIONS.demoDisabled, { count });
      return count;
    })();
  }

  /** Managers add cashiers; adding a manager or owner takes the owner's approval. */
  createUser(input: { name: string; role: Role; pin: string }, approvalToken: string | undefined, actor: Actor): UserSummary {
    this.refuseWhileHubManaged();
    const approval = requireApproval(this.deps.approvals, approvalToken, 'user-manage', { least: this.leastApproverFor(input.role) });
    const user = this.insert(input.name, input.role, input.pin, false);
    this.deps.audit.append(actor, AUDIT_ACTIONS.userCreated, { userId: user.id, name: user.name, role: user.role, approvedBy: approval.managerId });
    return user;
  }

  /** A forgotten PIN: a manager sets a temporary one, which the person must change at the next sign-in. */
  resetPin(userId: string, pin: string, approvalToken: string | undefined, actor: Actor): UserSummary {
    this.refuseWhileHubManaged();
    const target = this.requireUser(userId);
    const approval = requireApproval(this.deps.approvals, approvalToken, 'user-manage', {
      subject: `user:${userId}`,
      least: this.leastApproverFor(target.role),
    });
    this.checkNewPin(pin, target.role, target.id);
    const { db, clock, audit } = this.deps;
    db.transaction(() => {
      setUserPin(db, userId, this.deps.pins.hash(pin), true, clock.now());
      audit.append(actor, AUDIT_ACTIONS.pinReset, { userId, approvedBy: approval.managerId });
    })();
    return toUserSummary(this.requireUser(userId));
  }

  changeOwnPin(userId: string, oldPin: string, newPin: string): UserSummary {
    this.refuseWhileHubManaged();
    const user = checkUserPin(this.deps, getUser(this.deps.db, userId), oldPin, 'pin-change');
    this.checkNewPin(newPin, user.role, user.id);
    if (newPin === oldPin) throw securityError('PIN_UNCHANGED', '新 PIN 不能与旧 PIN 相同', 'The new PIN must differ from the old one');
    const { db, clock, audit } = this.deps;
    db.transaction(() => {
      setUserPin(db, userId, this.deps.pins.hash(newPin), false, clock.now());
      audit.append({ id: user.id, name: user.name }, AUDIT_ACTIONS.pinChanged, { userId });
    })();
    return toUserSummary(this.requireUser(userId));
  }

  setActive(userId: string, active: boolean, approvalToken: string | undefined, actor: Actor): UserSummary {
    this.refuseWhileHubManaged();
    const target = this.requireUser(userId);
    const approval = requireApproval(this.deps.approvals, approvalToken, 'user-manage', {
      subject: `user:${userId}`,
      least: this.leastApproverFor(target.role),
    });
    const { db, clock, audit } = this.deps;
    if (active && (target.demo === 1 || target.sandbox === 1) && liveModeSetAt(db) !== null) {
      throw securityError('SANDBOX_STAFF', '沙箱模式下创建的账号不能在正式模式使用，请新建员工', 'Accounts made in sandbox mode cannot be used live: add the person again');
    }
    if (!active && target.role === 'owner' && target.demo === 0 && countActiveUsers(db, { role: 'owner', demo: false }) <= 1) {
      throw securityError('LAST_OWNER', '不能停用唯一的老板账号', 'The only owner account cannot be switched off');
    }
    db.transaction(() => {
      setUserActive(db, userId, active, clock.now());
      audit.append(actor, active ? AUDIT_ACTIONS.userActivated : AUDIT_ACTIONS.userDeactivated, { userId, approvedBy: approval.managerId });
    })();
    return toUserSummary(this.requireUser(userId));
  }

  unlock(userId: string, approvalToken: string | undefined, actor: Actor): UserSummary {
    this.requireUser(userId);
    const approval = requireApproval(this.deps.approvals, approvalToken, 'user-manage', { subject: `user:${userId}` });
    const { db, clock, audit } = this.deps;
    db.transaction(() => {
      unlockUser(db, userId, clock.now());
      audit.append(actor, AUDIT_ACTIONS.unlocked, { userId, approvedBy: approval.managerId });
    })();
    return toUserSummary(this.requireUser(userId));
  }

  /** The terminal's wrong-PIN count, wait and lock (for the staff tab). */
  terminalLock(): TerminalPinLockView {
    return this.deps.guard.view();
  }

  /**
   * A manager clears the terminal's PIN lock, wait and count (say after a customer typed wrong PINs at the PIN
   * screen): approved ('user-manage'), audit-logged with what was cleared. People locked by name stay locked
   * until unlocked one by one: their lock says someone tried *their* PIN.
   */
  clearTerminalLock(approvalToken: string | undefined, actor: Actor): TerminalPinLockView {
    const approval = requireApproval(this.deps.approvals, approvalToken, 'user-manage', { subject: 'pin-lock:terminal' });
    const { db, audit, guard } = this.deps;
    db.transaction(() => {
      const before = guard.view();
      guard.clear();
      audit.append(actor, AUDIT_ACTIONS.terminalUnlocked, { failures: before.failures, lockedUntil: before.lockedUntil, approvedBy: approval.managerId });
    })();
    return guard.view();
  }

  /**
   * A counter enrolled with a hub takes its staff from the hub (electron/hub-link/reference.ts): people, roles, PINs
   * and who is active are changed there, and the next pull brings them. Refused before any approval is used.
   * Unlocking someone and the terminal's PIN lock stay here: lockout is this counter's.
   */
  private refuseWhileHubManaged(): void {
    const hubUrl = hubManagedBy(this.deps.db);
    if (hubUrl !== null) {
      throw securityError('HUB_MANAGED', `员工和 PIN 由总部管理，请在总部修改（${hubUrl}）`, `Staff and PINs are managed at the hub: change them there (${hubUrl})`);
    }
  }

  private leastApproverFor(role: Role): Role {
    return roleAtLeast(role, 'manager') ? 'owner' : 'manager';
  }

  private requireUser(userId: string): UserRow {
    const user = getUser(this.deps.db, userId);
    if (!user) throw securityError('NOT_FOUND', '找不到该员工', 'Staff member not found');
    return user;
  }

  private insert(name: string, role: Role, pin: string, mustChangePin: boolean): UserSummary {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 20) throw securityError('BAD_NAME', '姓名须为 1–20 个字', 'A name is 1–20 characters');
    this.checkNewPin(pin, role, null);
    const { db, clock } = this.deps;
    const id = (this.deps.newUserId ?? (() => `u-${randomBytes(5).toString('hex')}`))();
    try {
      const sandbox = liveModeSetAt(db) === null;
      insertUser(db, { id, name: trimmed, role, pinHash: this.deps.pins.hash(pin), demo: false, sandbox, mustChangePin, createdAt: clock.now() });
    } catch (error) {
      if (error instanceof Error && /UNIQUE/.test(error.message)) {
        throw securityError('NAME_TAKEN', '已有同名的在职员工', 'An active staff member already has that name');
      }
      throw error;
    }
    return toUserSummary(this.requireUser(id));
  }

  /**
   * Policy, and one more rule: no two active people share a PIN, so a PIN typed without a name (PIN-only sign-in
   * and approval) identifies exactly one person. The refusal does not say why, to tell nobody whose PIN it is.
   */
  private checkNewPin(pin: string, role: Role, selfId: string | null): void {
    const problem = pinProblem(pin, role);
    if (problem) throw new SecurityError('PIN_WEAK', problem);
    const clash = listUsers(this.deps.db).some((u) => u.active === 1 && u.id !== selfId && this.deps.pins.verify(pin, u.pin_hash));
    if (clash) throw securityError('PIN_UNAVAILABLE', '此 PIN 不可用，请换一个', 'That PIN cannot be used: choose another');
  }
}
