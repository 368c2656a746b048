import { randomBytes } from 'node:crypto';
import { getUser, type UserRow } from '../db/users';
import { roleAtLeast, GATED_ACTION_LABELS, type ApprovalGrant, type GatedAction, type Role } from '../../shared/security';
import type { Localized } from '../../shared/i18n';
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type Actor } from './audit-log';
import { SecurityError, securityError } from './errors';
import { checkUserPin, identifyByPin, type PinCheckDeps } from './pin-check';

/** An approval as the main side keeps it: the grant plus the approver's role. */
export interface ApprovalRecord extends ApprovalGrant {
  managerRole: Role;
  requestedBy: Actor | null;
  /** The window connection the token was handed to ('approval.request'), or null for a PIN used within one call. */
  boundTo: string | null;
}

/** What `requireApproval` needs: something that can take a token back, exactly once. */
export interface ApprovalGate {
  /** Returns the approval and forgets the token, or a reason why it is not good for this action. */
  consume(token: string, action: GatedAction, subject: string | null): ApprovalRecord | Localized;
}

export interface ApproveRequest {
  action: GatedAction;
  pin: string;
  /** The approving manager; without it the PIN is tried against every active manager and owner. */
  managerId?: string | undefined;
  subject?: string | undefined;
  requestedBy?: Actor | null;
  /** The connection of the window that asked: the token is good for calls over that connection only. */
  boundTo?: string | undefined;
}

/**
 * The one check every manager-gated action makes, in whichever service performs it: no token, an unknown,
 * expired, already used or differently scoped token, or an approver below `least`, and the action is refused.
 * On success the approval is used up and audit-logged with what it was used for.
 */
export function requireApproval(
  gate: ApprovalGate,
  token: string | null | undefined,
  action: GatedAction,
  options: { subject?: string | null; least?: Role } = {},
): ApprovalRecord {
  const label = GATED_ACTION_LABELS[action];
  if (!token) {
    throw securityError('APPROVAL_REQUIRED', `${label.zh}需要店长授权（输入店长 PIN）`, `${label.en} needs a manager’s approval (manager PIN)`);
  }
  const result = gate.consume(token, action, options.subject ?? null);
  if (!('token' in result)) throw new SecurityError('APPROVAL_INVALID', result);
  const least = options.least ?? 'manager';
  if (!roleAtLeast(result.managerRole, least)) {
    throw securityError('APPROVAL_ROLE', `${label.zh}需要老板授权`, `${label.en} needs the owner’s approval`);
  }
  return result;
}

/**
 * The same gate for calls that carry the manager's PIN inline (e.g. 'refund.request' with managerPin): checks
 * the PIN exactly as an approval would (lockout, audit) and uses the approval at once.
 */
export function requireManagerPin(
  approvals: ApprovalService,
  request: ApproveRequest & { least?: Role },
): ApprovalRecord {
  const grant = approvals.approve(request);
  return requireApproval(approvals, grant.token, request.action, { subject: request.subject ?? null, least: request.least });
}

/**
 * Manager approvals: a manager's PIN turns into a short-lived, single-use token bound to one action (and
 * optionally one subject such as 'sale:42'). Tokens live in memory only: a restart forgets them, which is right
 * for something meant to be used within a minute or two.
 */
export class ApprovalService implements ApprovalGate {
  private readonly grants = new Map<string, ApprovalRecord>();

  constructor(private readonly deps: PinCheckDeps) {}

  approve(request: ApproveRequest): ApprovalGrant {
    const manager = request.managerId !== undefined ? this.checkNamedManager(request) : this.findManagerByPin(request);
    const now = this.deps.clock.now();
    const record: ApprovalRecord = {
      token: randomBytes(24).toString('base64url'),
      action: request.action,
      subject: request.subject ?? null,
      managerId: manager.id,
      managerName: manager.name,
      managerRole: manager.role,
      requestedBy: request.requestedBy ?? null,
      boundTo: request.boundTo ?? null,
      grantedAt: now,
      expiresAt: now + this.deps.settings().approvalTtlSeconds * 1000,
    };
    this.purgeExpired(now);
    this.grants.set(record.token, record);
    this.deps.audit.append({ id: manager.id, name: manager.name }, AUDIT_ACTIONS.approvalGranted, {
      action: record.action,
      subject: record.subject,
      requestedBy: record.requestedBy?.id ?? null,
    });
    const { managerRole: _role, requestedBy: _by, boundTo: _to, ...grant } = record;
    return grant;
  }

  /**
   * Whether a token may be presented over this connection: false for a live approval handed to another window.
   * An unknown or expired token passes here and is refused, in words, by the gate that consumes it.
   */
  usableBy(token: string, connectionId: string): boolean {
    const record = this.grants.get(token);
    return !record || record.boundTo === null || record.boundTo === connectionId;
  }

  /** A window closed or reloaded: the approvals handed to it can no longer be used. */
  forgetConnection(connectionId: string): void {
    for (const [token, record] of this.grants) if (record.boundTo === connectionId) this.grants.delete(token);
  }

  consume(token: string, action: GatedAction, subject: string | null): ApprovalRecord | Localized {
    const now = this.deps.clock.now();
    this.purgeExpired(now);
    const record = this.grants.get(token);
    if (!record) return { zh: '授权无效或已过期，请店长重新输入 PIN', en: 'The approval is invalid or expired: manager PIN again, please' };
    if (record.action !== action) {
      return { zh: `此授权用于“${GATED_ACTION_LABELS[record.action].zh}”，不能用于其他操作`, en: `That approval was for “${GATED_ACTION_LABELS[record.action].en}” only` };
    }
    if (record.subject !== null && record.subject !== subject) {
      return { zh: '此授权针对的是另一笔交易', en: 'That approval was for something else' };
    }
    this.grants.delete(token);
    this.deps.audit.append({ id: record.managerId, name: record.managerName }, AUDIT_ACTIONS.approvalUsed, {
      action,
      subject: subject ?? record.subject,
    });
    return record;
  }

  private purgeExpired(now: number): void {
    for (const [token, record] of this.grants) if (record.expiresAt <= now) this.grants.delete(token);
  }

  private checkNamedManager(request: ApproveRequest): UserRow {
    const user = getUser(this.deps.db, request.managerId ?? '');
    if (user && !roleAtLeast(user.role, 'manager')) {
      this.refused(request, user.id);
      throw securityError('NOT_A_MANAGER', '只有店长或老板可以授权', 'Only a manager or the owner can approve');
    }
    return checkUserPin(this.deps, user, request.pin, 'approval');
  }

  /**
   * A manager's PIN given without a name: the same terminal budget as PIN-only sign-in (one budget, not five more
   * guesses), matched against active managers and owners only.
   */
  private findManagerByPin(request: ApproveRequest): UserRow {
    return identifyByPin(
      this.deps,
      request.pin,
      (u) => roleAtLeast(u.role, 'manager'),
      () => this.refused(request, null),
      () => securityError('PIN_WRONG', '店长 PIN 错误', 'Wrong manager PIN'),
    );
  }

  private refused(request: ApproveRequest, userId: string | null): void {
    this.deps.audit.append(request.requestedBy ?? SYSTEM_ACTOR, AUDIT_ACTIONS.approvalRefused, {
      action: request.action,
      subject: request.subject ?? null,
      userId,
    });
  }
}
