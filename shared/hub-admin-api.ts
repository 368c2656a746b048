/**
 * THE contract between the hub's web pages (the head office, 总部后台) and the hub: JSON over HTTP under
 * HUB_ADMIN_PREFIX, signed in with a session cookie (HttpOnly, SameSite=Strict). The hub validates every request
 * body against these schemas where it enters (electron/hub/http/admin-routes.ts); refusals use the same
 * `HubErrorBody` as the counter API, plus 'SIGN_IN_FAILED' / 'LOCKED' / 'SETUP_DONE' codes below.
 *
 * Paths (relative to the hub's base URL):
 *   GET  state                      → AdminStateAnswer            (no session needed)
 *   POST setup        SetupRequest  → SignedInAnswer + cookie     (only with the one-time setup token, once)
 *   POST session      SignInRequest → SignedInAnswer + cookie
 *   GET  session                    → SignedInAnswer (who the cookie signs in, until when; 401 when none)
 *   DELETE session                  → { ok: true }, cookie cleared
 *   GET  stores                     → StoreView[]
 *   POST stores       CreateStoreRequest → StoreView
 *   POST stores/:storeId/pairing-codes → PairingCodeAnswer
 *   GET  terminals                  → TerminalView[]
 *   POST terminals/:terminalId/revoke → TerminalView
 *   GET  alerts                     → AlertView[] (newest first, at most 200)
 */
import { z } from 'zod';
import type { SettlementAlertKind } from './hub-settlement-api';

export const HUB_ADMIN_PREFIX = '/api/admin/v1';
export const HUB_SESSION_COOKIE = 'hub_session';
/** Largest admin request body the hub reads. */
export const MAX_ADMIN_BODY_BYTES = 16 * 1024;

const personName = z.string().trim().min(1).max(40);
/** No default password exists and a short one is refused: the hub holds a whole chain's sales. */
export const passwordSchema = z.string().min(10).max(200);

export const setupRequestSchema = z
  .object({ token: z.string().min(16).max(200), ownerName: personName, password: passwordSchema, storeName: z.string().trim().min(1).max(60) })
  .strict();
export type SetupRequest = z.infer<typeof setupRequestSchema>;

export const signInRequestSchema = z.object({ name: personName, password: z.string().min(1).max(200) }).strict();
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const createStoreRequestSchema = z.object({ name: z.string().trim().min(1).max(60) }).strict();
export type CreateStoreRequest = z.infer<typeof createStoreRequestSchema>;

export interface AdminStateAnswer {
  hubId: string;
  /** False until the owner has been created through the setup link. */
  setUp: boolean;
}

/**
 * Who signs in at the hub: the owner (everything), a manager (the stores given to the account: their sales,
 * prices, cashiers, counters), finance (every store's reports, reconciliation and exports; no staff, settings,
 * items or counters).
 */
export type HubUserRole = 'owner' | 'manager' | 'finance';

export interface SignedInAnswer {
  user: { userId: string; name: string; role: HubUserRole };
  /** When the session ends (ms since epoch); sign in again after it. */
  expiresAt: number;
}

export interface StoreView {
  storeId: string;
  name: string;
  createdAt: number;
}

export interface PairingCodeAnswer {
  storeId: string;
  /** Shown once, grouped for reading aloud (ABCDE-FGHJK); the hub keeps only its hash. */
  code: string;
  expiresAt: number;
  /** The text of the QR a counter scans: `<hub url>#pair=<code>`. */
  qrText: string;
}

export interface TerminalView {
  terminalId: string;
  storeId: string;
  counterName: string;
  appVersion: string;
  enrolledAt: number;
  revokedAt: number | null;
  lastSeenAt: number | null;
  /** Every fact up to this number is at the hub. */
  highWater: number;
  /** The latest heartbeat as the counter sent it (shared/hub-protocol.ts HeartbeatRequest), or null. */
  heartbeat: { receivedAt: number; state: unknown } | null;
}

export interface AlertView {
  alertId: string;
  kind: 'fact-gap' | 'fact-conflict' | 'z-report-mismatch' | 'orphan-qr-paid' | 'notification-mismatch' | SettlementAlertKind;
  storeId: string | null;
  terminalId: string | null;
  /** '中文 / English', for the head office's list. */
  message: string;
  raisedAt: number;
}

/** Admin-only refusal codes (in addition to HubErrorBody's). CONFLICT: a barcode or an active name already taken. */
export type AdminErrorCode = 'SIGN_IN_FAILED' | 'LOCKED' | 'SETUP_DONE' | 'CONFLICT' | 'DISABLED';

export const HUB_ADMIN_PATHS = {
  state: `${HUB_ADMIN_PREFIX}/state`,
  setup: `${HUB_ADMIN_PREFIX}/setup`,
  session: `${HUB_ADMIN_PREFIX}/session`,
  stores: `${HUB_ADMIN_PREFIX}/stores`,
  pairingCodes: (storeId: string) => `${HUB_ADMIN_PREFIX}/stores/${encodeURIComponent(storeId)}/pairing-codes`,
  terminals: `${HUB_ADMIN_PREFIX}/terminals`,
  revokeTerminal: (terminalId: string) => `${HUB_ADMIN_PREFIX}/terminals/${encodeURIComponent(terminalId)}/revoke`,
  alerts: `${HUB_ADMIN_PREFIX}/alerts`,
} as const;

// ---- Reference data: items, staff, store settings, manager accounts, audit (issue 13) ---------------------------
//
//   GET  items                               → ItemView[]            (everyone signed in; managers see their stores' overrides)
//   POST items                CreateItemRequest → ItemView           (owner)
//   PATCH items/:itemId       UpdateItemRequest → ItemView           (owner; `position` moves a quick key)
//   PUT  items/:itemId/stores/:storeId ItemOverrideRequest → ItemView (owner, or a manager of that store)
//   GET  staff                               → StaffView[]           (managers: people of their stores)
//   POST staff                CreateStaffRequest → StaffView         (owner; managers: cashiers of their stores)
//   PATCH staff/:staffId      UpdateStaffRequest → StaffView         (role, stores, name, active: disable/enable)
//   POST staff/:staffId/pin   ChangePinRequest → StaffView           (the PIN is hashed at the hub, never kept)
//   GET  stores/:storeId/settings            → StoreSettingsView
//   PUT  stores/:storeId/settings StoreSettingsRequest → StoreSettingsView (managers: name, address, footer only)
//   GET  users                               → ManagerView[]         (owner: hub sign-in accounts)
//   POST users                CreateManagerRequest → ManagerView     (owner: a manager limited to given stores, finance, or an owner)
//   GET  audit                               → AuditView[]           (owner; newest first, at most 500)
//
// Every change bumps the chain-wide reference revision in its own transaction and is audit-logged with who and
// from which address; the counters of the stores concerned get it at their next `GET reference?since=`.

const fen = z.number().int().min(0).max(100_000_000);
const itemName = z.string().trim().min(1).max(64);
const barcodeSchema = z.string().trim().regex(/^[0-9A-Za-z-]{3,32}$/, 'barcode: 3–32 letters or digits');
const id = z.string().min(1).max(64);
/** The counters keep staff names of at most 20 characters (their users table). */
const staffName = z.string().trim().min(1).max(20);
/** PIN rules are checked again at the hub against the role (shared/pin-rules.ts); this only bounds the text. */
const pinText = z.string().min(1).max(16);

export const HUB_STAFF_ROLES = ['cashier', 'manager', 'owner'] as const;
export type HubStaffRole = (typeof HUB_STAFF_ROLES)[number];

export const createItemRequestSchema = z
  .object({ name: itemName, barcode: barcodeSchema.nullable().default(null), priceFen: fen, quick: z.boolean().default(false) })
  .strict();
export type CreateItemRequest = z.input<typeof createItemRequestSchema>;

export const updateItemRequestSchema = z
  .object({
    name: itemName.optional(),
    barcode: barcodeSchema.nullable().optional(),
    priceFen: fen.optional(),
    quick: z.boolean().optional(),
    /** Move a quick key to this place; an item already there takes the moved item's old place (a swap). */
    position: z.number().int().min(0).max(999).optional(),
    /** false: discontinued everywhere (items are never deleted: old sales name them). */
    active: z.boolean().optional(),
  })
  .strict()
  .refine((r) => Object.keys(r).length > 0, 'nothing to change');
export type UpdateItemRequest = z.input<typeof updateItemRequestSchema>;

/** One store's price (null: the chain price) and availability; `{priceFen: null, available: true}` clears it. */
export const itemOverrideRequestSchema = z.object({ priceFen: fen.nullable(), available: z.boolean() }).strict();
export type ItemOverrideRequest = z.infer<typeof itemOverrideRequestSchema>;

export interface ItemOverrideView {
  storeId: string;
  priceFen: number | null;
  available: boolean;
}

export interface ItemView {
  itemId: string;
  name: string;
  barcode: string | null;
  /** The chain price. */
  priceFen: number;
  quick: boolean;
  /** The quick key's place (quick items only). */
  position: number | null;
  active: boolean;
  updatedAt: number;
  overrides: ItemOverrideView[];
}

export const createStaffRequestSchema = z
  .object({ name: staffName, role: z.enum(HUB_STAFF_ROLES), pin: pinText, storeIds: z.array(id).min(1).max(1000) })
  .strict();
export type CreateStaffRequest = z.infer<typeof createStaffRequestSchema>;

export const updateStaffRequestSchema = z
  .object({
    name: staffName.optional(),
    role: z.enum(HUB_STAFF_ROLES).optional(),
    storeIds: z.array(id).min(1).max(1000).optional(),
    /** false: disabled: the counters refuse the person's PIN after their next pull. */
    active: z.boolean().optional(),
  })
  .strict()
  .refine((r) => Object.keys(r).length > 0, 'nothing to change');
export type UpdateStaffRequest = z.infer<typeof updateStaffRequestSchema>;

export const changePinRequestSchema = z.object({ pin: pinText }).strict();
export type ChangePinRequest = z.infer<typeof changePinRequestSchema>;

/** A person who works at stores. Never carries a PIN nor its hash. */
export interface StaffView {
  staffId: string;
  name: string;
  role: HubStaffRole;
  storeIds: string[];
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

export const storeSettingsRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    address: z.string().trim().max(80),
    receiptFooter: z.string().trim().max(200),
    maxCashOutFen: fen,
    maxRefundFen: fen,
    wechat: z
      .object({
        mchid: z.string().regex(/^\d{1,16}$/).nullable(),
        subMchid: z.string().regex(/^\d{1,16}$/).nullable(),
        appid: z.string().regex(/^wx[0-9a-f]{16}$/).nullable(),
      })
      .strict(),
  })
  .strict();
export type StoreSettingsRequest = z.infer<typeof storeSettingsRequestSchema>;

export interface StoreSettingsView {
  storeId: string;
  name: string;
  address: string;
  receiptFooter: string;
  maxCashOutFen: number;
  maxRefundFen: number;
  wechat: { mchid: string | null; subMchid: string | null; appid: string | null };
  /** null while the store still has the defaults. */
  updatedAt: number | null;
}

/**
 * A manager account names its stores (at least one); a finance account reads every store and names none; another
 * owner (a partner, the chain's IT person) manages everything and names none.
 */
export const createManagerRequestSchema = z
  .object({ name: personName, password: passwordSchema, role: z.enum(['owner', 'manager', 'finance']).default('manager'), storeIds: z.array(id).max(1000).default([]) })
  .strict()
  .refine((r) => (r.role === 'manager' ? r.storeIds.length > 0 : r.storeIds.length === 0), {
    message: 'a manager needs at least one store; a finance or owner account has none', path: ['storeIds'],
  });
export type CreateManagerRequest = z.input<typeof createManagerRequestSchema>;

/** A hub sign-in account: the owner (all stores), a manager (the stores listed) or finance (reads all stores). */
export interface ManagerView {
  userId: string;
  name: string;
  role: HubUserRole;
  /** Empty for the owner, who manages every store. */
  storeIds: string[];
  createdAt: number;
  /** Disabled by the owner: signs in no more. */
  disabled: boolean;
  /** Locked after too many wrong passwords until then (ms), else null. */
  lockedUntil: number | null;
  /** Wrong passwords since the last good sign-in (after 3 each try waits longer). */
  failedSignIns: number;
}

export interface AuditView {
  auditId: string;
  at: number;
  userId: string;
  userName: string;
  /** The address the request came from, as the hub saw it. */
  address: string;
  action: string;
  target: string;
  detail: unknown;
  /** The reference revision the change made, if it changed reference data. */
  revision: number | null;
}

export const HUB_ADMIN_REFERENCE_PATHS = {
  items: `${HUB_ADMIN_PREFIX}/items`,
  item: (itemId: string) => `${HUB_ADMIN_PREFIX}/items/${encodeURIComponent(itemId)}`,
  itemOverride: (itemId: string, storeId: string) => `${HUB_ADMIN_PREFIX}/items/${encodeURIComponent(itemId)}/stores/${encodeURIComponent(storeId)}`,
  staff: `${HUB_ADMIN_PREFIX}/staff`,
  staffMember: (staffId: string) => `${HUB_ADMIN_PREFIX}/staff/${encodeURIComponent(staffId)}`,
  staffPin: (staffId: string) => `${HUB_ADMIN_PREFIX}/staff/${encodeURIComponent(staffId)}/pin`,
  storeSettings: (storeId: string) => `${HUB_ADMIN_PREFIX}/stores/${encodeURIComponent(storeId)}/settings`,
  users: `${HUB_ADMIN_PREFIX}/users`,
  audit: `${HUB_ADMIN_PREFIX}/audit`,
} as const;

// ── Reconciliation (issue 14): the chain's daily bills against every counter's facts ──────────────────────────
//   GET  reconciliation?date=yyyy-MM-dd[&store=]  → ReconciliationDayView (owner: every store; a manager account:
//                                                   its stores only, and `store` must be one of them)
//   POST reconciliation/mismatches/:id/resolve  ResolveMismatchRequest → ReconMismatchView (audit-logged)

export const HUB_ADMIN_RECON_PATHS = {
  day: `${HUB_ADMIN_PREFIX}/reconciliation`,
  resolve: (mismatchId: string) => `${HUB_ADMIN_PREFIX}/reconciliation/mismatches/${encodeURIComponent(mismatchId)}/resolve`,
} as const;

export const reconDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be yyyy-MM-dd');

export const resolveMismatchRequestSchema = z.object({ note: z.string().trim().min(2).max(500) }).strict();
export type ResolveMismatchRequest = z.infer<typeof resolveMismatchRequestSchema>;

/**
 * `notification-unconfirmed` (hub only): WeChat notified the hub that an order was paid, and by the reconciliation
 * (after 10:00 the next day) no counter has reported that order at all. Reported instead of `only-in-wechat` for
 * that order: the hub knew of the payment the same day (a counter that lost its sale, a QR paid after the cashier
 * rang the basket another way), so the money is traceable to the moment and the counter the number names.
 */
export type ReconMismatchClass = 'only-in-wechat' | 'only-local' | 'amount-differs' | 'state-differs' | 'notification-unconfirmed';

export interface ReconMismatchView {
  mismatchId: string;
  mchid: string;
  billDate: string;
  class: ReconMismatchClass;
  outTradeNo: string;
  outRefundNo: string | null;
  /** Null when no store could be named (an order no counter reported, of a merchant with several stores). */
  storeId: string | null;
  terminalId: string | null;
  receiptNo: number | null;
  shiftId: string | null;
  cashierId: string | null;
  localFen: number | null;
  wechatFen: number | null;
  localState: string | null;
  wechatState: string | null;
  detectedAt: number;
  resolved: { at: number; by: string; note: string } | null;
}

export interface BillDayView {
  mchid: string;
  bill: 'trade' | 'fund-flow';
  state: 'pending' | 'stored' | 'no-bill' | 'unreadable' | 'gave-up';
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  lineCount: number;
  storedAt: number | null;
}

export interface ReconciliationDayView {
  date: string;
  /** Bills of the day for the merchants of the stores shown. */
  bills: BillDayView[];
  mismatches: ReconMismatchView[];
}

export * from './hub-admin-operations';
export * from './hub-admin-refdata';
