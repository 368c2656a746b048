import type {
  ApprovalGrant,
  AuditChainReport,
  AuditEntryView,
  BackupView,
  RiskAlertView,
  SecretsStatus,
  SecurityRequest,
  SetupState,
  TerminalPinLockView,
  UserSummary,
  securityRequests,
} from '../../shared/security';
import type { CallContext } from '../host/dispatch';
import type { Actor } from './audit-log';
import type { SignedInUser } from './auth';
import type { Security } from './security';

type Handler<Req, Res> = (request: Req, context: CallContext) => Res | Promise<Res>;
type Req<K extends keyof typeof securityRequests> = SecurityRequest<K>;

/**
 * The handlers for the security part of the contract, ready to be listed in electron/app.ts once the methods are
 * in shared/api.ts (names as proposed there). Every result is a view made for windows: users without PIN hashes,
 * secrets as masked summaries, audit entries already masked. Who acts is the person signed in at the calling
 * window; gated calls also carry a manager's approval token.
 */
export function createSecurityHandlers(security: Security): {
  'auth.listUsers': Handler<Record<string, never>, UserSummary[]>;
  'auth.current': Handler<Record<string, never>, UserSummary | null>;
  'auth.signIn': Handler<Req<'signIn'>, UserSummary>;
  'auth.signOut': Handler<Req<'signOut'>, null>;
  'auth.changeOwnPin': Handler<Req<'changeOwnPin'>, UserSummary>;
  'setup.getState': Handler<Record<string, never>, SetupState>;
  'setup.createOwner': Handler<Req<'createOwner'>, UserSummary>;
  'setup.showCode': Handler<Record<string, never>, { shown: boolean }>;
  'approval.request': Handler<Req<'approve'>, ApprovalGrant>;
  'users.create': Handler<Req<'createUser'>, UserSummary>;
  'users.resetPin': Handler<Req<'resetPin'>, UserSummary>;
  'users.setActive': Handler<Req<'setUserActive'>, UserSummary>;
  'users.unlock': Handler<Req<'unlockUser'>, UserSummary>;
  'users.terminalLock': Handler<Record<string, never>, TerminalPinLockView>;
  'users.clearTerminalLock': Handler<Req<'clearTerminalLock'>, TerminalPinLockView>;
  'audit.list': Handler<Req<'listAudit'>, AuditEntryView[]>;
  'audit.verify': Handler<Record<string, never>, AuditChainReport>;
  'risk.listAlerts': Handler<{ openOnly?: boolean }, RiskAlertView[]>;
  'risk.acknowledgeAlert': Handler<Req<'acknowledgeAlert'>, RiskAlertView>;
  'secrets.describe': Handler<Record<string, never>, SecretsStatus>;
  'secrets.replace': Handler<Req<'replaceSecret'>, SecretsStatus>;
  'secrets.clear': Handler<Req<'clearSecret'>, SecretsStatus>;
  'backup.list': Handler<Record<string, never>, BackupView[]>;
  'backup.now': Handler<Record<string, never>, BackupView>;
} {
  const { auth, people, approvals, audit, risk, secrets, backups, setupCode } = security;
  const manager = (ctx: CallContext): SignedInUser => auth.requireSignedIn(ctx.connectionId, 'manager');
  const signedIn = (ctx: CallContext): SignedInUser => auth.requireSignedIn(ctx.connectionId);
  const me = (ctx: CallContext): UserSummary | null => {
    const user = auth.current(ctx.connectionId);
    return user ? (people.list().find((u) => u.id === user.id) ?? null) : null;
  };
  const actor = (user: SignedInUser): Actor => ({ id: user.id, name: user.name });

  return {
    'auth.listUsers': () => people.list().filter((u) => u.active),
    'auth.current': (_req, ctx) => me(ctx),
    'auth.signIn': (req, ctx) =>
      req.userId === undefined ? auth.signInWithPin(ctx.connectionId, req.pin) : auth.signIn(ctx.connectionId, req.userId, req.pin),
    'auth.signOut': (_req, ctx) => {
      auth.signOut(ctx.connectionId);
      return null;
    },
    'auth.changeOwnPin': (req, ctx) => people.changeOwnPin(signedIn(ctx).id, req.oldPin, req.newPin),
    'setup.getState': () => people.setupState(),
    // Only with the one-time code shown where the app runs: a window's URL or sign-in never gives it.
    'setup.createOwner': (req) => setupCode.use(req.setupCode, () => people.createOwner(req.name, req.pin)),
    'setup.showCode': () => ({ shown: setupCode.showAgain() }),
    'approval.request': (req, ctx) => {
      const requester = auth.current(ctx.connectionId);
      // Bound to this window's connection: the dispatcher refuses the token from any other window.
      return approvals.approve({ ...req, requestedBy: requester ? actor(requester) : null, boundTo: ctx.connectionId });
    },
    'users.create': (req, ctx) => people.createUser({ name: req.name, role: req.role, pin: req.pin }, req.approvalToken, actor(manager(ctx))),
    'users.resetPin': (req, ctx) => people.resetPin(req.userId, req.pin, req.approvalToken, actor(manager(ctx))),
    'users.setActive': (req, ctx) => people.setActive(req.userId, req.active, req.approvalToken, actor(manager(ctx))),
    'users.unlock': (req, ctx) => people.unlock(req.userId, req.approvalToken, actor(signedIn(ctx))),
    'users.terminalLock': (_req, ctx) => {
      manager(ctx);
      return people.terminalLock();
    },
    'users.clearTerminalLock': (req, ctx) => people.clearTerminalLock(req.approvalToken, actor(manager(ctx))),
    'audit.list': (req, ctx) => {
      manager(ctx);
      return audit.list(req.beforeSeq ?? null, req.limit);
    },
    'audit.verify': (_req, ctx) => {
      manager(ctx);
      return audit.verify();
    },
    'risk.listAlerts': (req, ctx) => {
      manager(ctx);
      return risk.listAlerts(req.openOnly ?? true);
    },
    'risk.acknowledgeAlert': (req, ctx) => risk.acknowledge(req.alertId, req.approvalToken, actor(manager(ctx))),
    'secrets.describe': (_req, ctx) => {
      manager(ctx);
      return secrets.describe();
    },
    'secrets.replace': (req, ctx) => {
      const user = actor(manager(ctx));
      const input = req.field === 'clientPkcs12' ? { field: req.field, pkcs12Base64: req.pkcs12Base64, password: req.password } : { field: req.field, value: req.value };
      return secrets.replace(input, req.approvalToken, user);
    },
    'secrets.clear': (req, ctx) => secrets.clear(req.field, req.approvalToken, actor(manager(ctx))),
    'backup.list': (_req, ctx) => {
      manager(ctx);
      return backups.list();
    },
    'backup.now': (_req, ctx) => {
      manager(ctx);
      return backups.backupNow();
    },
  };
}
