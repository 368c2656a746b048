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
 *   DELETE session                  → { ok: true }, cookie cleared
 *   GET  stores                     → StoreView[]
 *   POST stores       CreateStoreRequest → StoreView
 *   POST stores/:storeId/pairing-codes → PairingCodeAnswer
 *   GET  terminals                  → TerminalView[]
 *   POST terminals/:terminalId/revoke → TerminalView
 *   GET  alerts                     → AlertView[] (newest first, at most 200)
 */
import { z } from 'zod';

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

export interface SignedInAnswer {
  user: { userId: string; name: string; role: 'owner' | 'manager' };
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
  kind: 'fact-gap' | 'fact-conflict' | 'z-report-mismatch';
  storeId: string | null;
  terminalId: string | null;
  /** '中文 / English', for the head office's list. */
  message: string;
  raisedAt: number;
}

/** Admin-only refusal codes (in addition to HubErrorBody's). */
export type AdminErrorCode = 'SIGN_IN_FAILED' | 'LOCKED' | 'SETUP_DONE';

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
