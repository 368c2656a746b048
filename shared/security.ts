/**
 * People, permissions, secrets, audit and risk as the windows see them. Pure: no Node, no DOM. Nothing here ever
 * carries a secret value: secrets appear only as masked summaries (“已设置 · 序列号 …1A2B”).
 */
import { z } from 'zod';
import type { Localized } from './i18n';

export const ROLES = ['cashier', 'manager', 'owner'] as const;
/** cashier < manager < owner. An owner is a manager who may also manage managers and owners. */
export type Role = (typeof ROLES)[number];

export function roleAtLeast(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least);
}

export const ROLE_LABELS: Record<Role, Localized> = {
  cashier: { zh: '收银员', en: 'Cashier' },
  manager: { zh: '店长', en: 'Manager' },
  owner: { zh: '老板', en: 'Owner' },
};

export interface UserSummary {
  id: string;
  name: string;
  role: Role;
  active: boolean;
  /** Seeded for the sandbox demo (PINs 1111 / 9999); never usable in live mode. */
  demo: boolean;
  /** Set after a manager reset the PIN: the user must choose a new one at next sign-in. */
  mustChangePin: boolean;
  /** Epoch ms until which PIN entry is refused after too many wrong PINs; null when not locked. */
  lockedUntil: number | null;
  lastSignInAt: number | null;
}

/** The terminal's wrong-PIN budget as the staff tab shows it (every PIN typed here counts, by name or alone). */
export interface TerminalPinLockView {
  /** Wrong PINs counted now (they are forgotten after a quiet lock-time, or when a manager clears them). */
  failures: number;
  /** While set and in the future: PIN entry here takes only managers' and owners' PINs. */
  lockedUntil: number | null;
  /** No PIN is checked before this time (the backoff that grows with each wrong PIN). */
  waitUntil: number | null;
}

/** Whether the install still needs its first owner (live mode with nobody to approve anything yet). */
export interface SetupState {
  needsOwner: boolean;
  demoUsersActive: boolean;
  /**
   * The PINs in this database were made on another install (a backup restored here): they cannot be checked on
   * this machine. The owner is created again (needsOwner is true), then resets everyone else's PIN.
   */
  pinsUnreadable: boolean;
}

/**
 * Actions that need a manager's PIN, whoever is signed in. Services call `requireApproval(gate, token, action)`
 * with the token the approval returned; a token is single-use, short-lived and bound to one action.
 */
export const GATED_ACTIONS = [
  'refund',
  'void-after-payment',
  'no-sale-drawer',
  'shift-close-difference',
  'shift-close-pending',
  'settings-change',
  'limit-override',
  'user-manage',
  'alert-acknowledge',
  'reconciliation-resolve',
  'items-change',
  'reconciliation-redownload',
  'cash-out',
] as const;
export type GatedAction = (typeof GATED_ACTIONS)[number];

export const GATED_ACTION_LABELS: Record<GatedAction, Localized> = {
  refund: { zh: '退款', en: 'Refund' },
  'void-after-payment': { zh: '付款后作废', en: 'Void after payment' },
  'no-sale-drawer': { zh: '无销售开钱箱', en: 'Open drawer without a sale' },
  'shift-close-difference': { zh: '有差额时交班', en: 'Close a shift with a cash difference' },
  'shift-close-pending': { zh: '有未决交易时交班', en: 'Close a shift with unresolved payments' },
  'settings-change': { zh: '修改设置', en: 'Change settings' },
  'limit-override': { zh: '超限授权', en: 'Override a limit' },
  'user-manage': { zh: '管理员工', en: 'Manage staff' },
  'alert-acknowledge': { zh: '处理警报', en: 'Acknowledge an alert' },
  'reconciliation-resolve': { zh: '处理对账差异', en: 'Resolve a reconciliation difference' },
  'items-change': { zh: '修改商品', en: 'Change items' },
  'reconciliation-redownload': { zh: '重新下载对账单', en: 'Download a day’s bill again' },
  'cash-out': { zh: '大额或超出钱箱的现金取出', en: 'Cash out above the limit or the drawer' },
};

/** What a window gets back from a manager's approval: the token to pass to the gated call, nothing secret. */
export interface ApprovalGrant {
  token: string;
  action: GatedAction;
  /** The approval is valid only for this subject (e.g. 'sale:42') when set. */
  subject: string | null;
  managerId: string;
  managerName: string;
  grantedAt: number;
  expiresAt: number;
}

export interface AuditEntryView {
  seq: number;
  at: number;
  actorId: string;
  actorName: string;
  action: string;
  /** Masked when written: never a secret, PIN, full auth code or full openid. */
  details: Record<string, unknown>;
}

export type AuditProblem = 'edited' | 'broken-link' | 'missing-row' | 'truncated';

export type AuditChainReport =
  | { ok: true; rows: number; headSeq: number; headHash: string }
  | { ok: false; rows: number; brokenAtSeq: number; problem: AuditProblem; message: Localized };

export const SECRET_FIELDS = [
  'apiKeyV2',
  'apiV3Key',
  'merchantPrivateKeyPem',
  'merchantCertSerial',
  'wechatPayPublicKeyPem',
  'wechatPayPublicKeyId',
  'platformCertificates',
  'clientCertPem',
  'clientKeyPem',
] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

export interface SecretFieldStatus {
  field: SecretField;
  /** unreadable: stored, but the key that encrypted it is gone (re-enter it). */
  state: 'unset' | 'set' | 'unreadable';
  /** Masked only: “已设置”, the last 4 of a serial, a public-key fingerprint, an expiry date. */
  summary: Localized;
  updatedAt: number | null;
  updatedBy: string | null;
}

export interface SecretsStatus {
  /** How secrets are kept at rest, in words (“Electron safeStorage (gnome_libsecret)”, “key file … weaker”). */
  storage: string;
  /** False when secrets cannot be stored here (e.g. Linux without a keyring); `problem` says why. */
  available: boolean;
  problem: Localized | null;
  fields: SecretFieldStatus[];
  /** Mismatches between fields (certificate vs private key, serial vs certificate), in words. */
  warnings: Localized[];
}

export type RiskCode = 'SALE_OVER_LIMIT' | 'REFUND_OVER_LIMIT' | 'REFUNDS_PER_DAY' | 'CASH_DRAWER_CAP';

export type RiskDecision =
  | { kind: 'allow' }
  | { kind: 'needs-override'; code: RiskCode; reason: Localized; limit: number; actual: number };

export type RiskAlertKind = 'failed-scans' | 'refund-burst' | 'bill-unreadable' | 'pin-guessing';

export interface RiskAlertView {
  id: number;
  at: number;
  kind: RiskAlertKind;
  actorId: string;
  /** Who the alert is about, as the manager reads it: a person's name, or this terminal / the system. */
  actorName: Localized;
  count: number;
  windowMs: number;
  message: Localized;
  acknowledgedAt: number | null;
  /** The name of the manager who acknowledged it. */
  acknowledgedBy: string | null;
}

export interface BackupView {
  file: string;
  at: number;
  bytes: number;
  /** Sealed with the secret store's key (.sqlite.enc); false for plain copies (older versions, or no keyring). */
  encrypted: boolean;
}

// ---- Request shapes proposed for shared/api.ts (validated where they enter the main side) ----

const pin = z.string().regex(/^\d{4,8}$/, 'PIN 为 4–8 位数字 / a PIN is 4–8 digits');
const token = z.string().min(16).max(128);
const name = z.string().trim().min(1, '姓名不能为空 / a name is required').max(20);

export const securityRequests = {
  /** With userId: the person picked their name; without: the PIN alone identifies them (PINs are unique). */
  signIn: z.object({ pin, userId: z.string().min(1).max(64).optional() }).strict(),
  signOut: z.object({}).strict(),
  changeOwnPin: z.object({ oldPin: pin, newPin: pin }).strict(),
  /** setupCode: the one-time code shown only where the app runs (see electron/security/setup-code.ts). */
  createOwner: z.object({ name, pin, setupCode: z.string().trim().min(1, '请输入设置码 / the setup code is required').max(64) }).strict(),
  approve: z
    .object({
      action: z.enum(GATED_ACTIONS),
      pin,
      /** The manager who approves; without it the PIN is matched against every manager. */
      managerId: z.string().min(1).max(64).optional(),
      subject: z.string().min(1).max(64).optional(),
    })
    .strict(),
  createUser: z.object({ name, role: z.enum(ROLES), pin, approvalToken: token }).strict(),
  resetPin: z.object({ userId: z.string().min(1).max(64), pin, approvalToken: token }).strict(),
  setUserActive: z.object({ userId: z.string().min(1).max(64), active: z.boolean(), approvalToken: token }).strict(),
  unlockUser: z.object({ userId: z.string().min(1).max(64), approvalToken: token }).strict(),
  clearTerminalLock: z.object({ approvalToken: token }).strict(),
  listAudit: z
    .object({ beforeSeq: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(100) })
    .strict(),
  acknowledgeAlert: z.object({ alertId: z.number().int().positive(), approvalToken: token }).strict(),
  replaceSecret: z.discriminatedUnion('field', [
    z.object({ field: z.enum(['apiKeyV2', 'apiV3Key', 'merchantCertSerial', 'wechatPayPublicKeyId']), value: z.string().max(200), approvalToken: token }).strict(),
    z
      .object({
        field: z.enum(['merchantPrivateKeyPem', 'wechatPayPublicKeyPem', 'clientCertPem', 'clientKeyPem', 'platformCertificates']),
        value: z.string().max(40_000),
        approvalToken: token,
      })
      .strict(),
    /** The v2 client certificate as the .p12 file WeChat Pay issues (password: the mchid unless changed). */
    z.object({ field: z.literal('clientPkcs12'), pkcs12Base64: z.string().max(40_000), password: z.string().max(100), approvalToken: token }).strict(),
  ]),
  clearSecret: z.object({ field: z.enum(SECRET_FIELDS), approvalToken: token }).strict(),
} as const;

export type SecurityRequest<K extends keyof typeof securityRequests> = z.output<(typeof securityRequests)[K]>;
