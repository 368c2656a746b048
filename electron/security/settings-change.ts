import { AUDIT_ACTIONS, type Actor, type AuditLog } from './audit-log';
import { requireApproval, type ApprovalGate } from './approvals';

/** The part of the settings store this needs (electron/settings/settings-store.ts's SettingsStore fits). */
export interface ApprovableSettings<S> {
  get(): S;
  update(change: (draft: S) => S): S;
}

export interface SettingChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** Every leaf that differs between two settings objects, by dotted path. */
export function diffSettings(before: unknown, after: unknown, prefix = ''): SettingChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffSettings(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: prefix || '(root)', from: before ?? null, to: after ?? null }];
}

/**
 * A settings change from the manager screen: needs a manager's 'settings-change' approval, is validated by the
 * store (an invalid change throws and changes nothing), and is audit-logged with what changed from what to what
 * (settings hold no secrets; the audit details are masked all the same).
 */
export function changeSettingsWithApproval<S>(
  deps: { settings: ApprovableSettings<S>; approvals: ApprovalGate; audit: AuditLog },
  change: (draft: S) => S,
  approvalToken: string | undefined,
  actor: Actor,
): S {
  const approval = requireApproval(deps.approvals, approvalToken, 'settings-change');
  const before = deps.settings.get();
  const after = deps.settings.update(change);
  const changes = diffSettings(before, after);
  if (changes.length > 0) {
    deps.audit.append(actor, AUDIT_ACTIONS.settingsChanged, {
      changes: changes.map((c) => ({ path: c.path, from: c.from, to: c.to })),
      approvedBy: approval.managerId,
    });
  }
  return after;
}
