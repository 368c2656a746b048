/**
 * The head office's reference pages (issue 15), part of the admin contract (re-exported by shared/hub-admin-api.ts,
 * where the rules of the whole API and the reference routes themselves are): scheduled price changes, the history
 * of every change, and the owner's account management.
 *
 *   GET  price-schedules[?item=]            → PriceScheduleView[] (pending ones; with `item`: that item's, every state)
 *   POST price-schedules    SchedulePriceRequest → PriceScheduleView (chain price: owner; a store's: owner or its manager)
 *   POST price-schedules/:id/cancel         → PriceScheduleView (pending only, else 409 CONFLICT)
 *   GET  history?of=item|staff|store|account&id=  → HistoryEntryView[] (newest first, at most 200)
 *   PATCH users/:userId      UpdateAccountRequest → ManagerView (owner: stores of a manager, disable / enable)
 *   POST users/:userId/password  ResetPasswordRequest → ManagerView (owner: also unlocks and ends its sessions)
 *   POST users/:userId/unlock                → ManagerView (owner: clears the wrong-password count and lock)
 *
 * Who may: finance reads the item list, its schedules and its history (prices explain the reports), nothing of
 * staff, stores' settings or accounts; a store manager reads and schedules for its own stores (another store's
 * schedules and override history are left out, never shown); the owner everything. Every change is audit-logged.
 */
import { z } from 'zod';
import { CHINA_OFFSET_MS } from './hub-admin-operations';

const id = z.string().min(1).max(64);
const fen = z.number().int().min(0).max(100_000_000);

/**
 * A store's local date and time, `YYYY-MM-DDTHH:mm` (what `<input type="datetime-local">` gives). Every store of the
 * chain is in China (one time zone, UTC+8, no daylight saving), so the store's time zone is Asia/Shanghai.
 */
export const storeLocalTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'time: YYYY-MM-DDTHH:mm')
  .refine((text) => storeLocalTimeToMs(text) !== null, 'no such date or time');

/** `2026-12-08T09:00` (store time) → UTC ms, or null for a date that does not exist (02-30, 25:00). */
export function storeLocalTimeToMs(text: string): number | null {
  const ms = Date.parse(`${text}:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 16) !== text) return null;
  return ms - CHINA_OFFSET_MS;
}

/** UTC ms → `YYYY-MM-DDTHH:mm` in store time (for the datetime-local input). */
export function msToStoreLocalTime(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16);
}

export const schedulePriceRequestSchema = z
  .object({ itemId: id, storeId: id.nullable(), priceFen: fen, applyAt: storeLocalTimeSchema })
  .strict();
export type SchedulePriceRequest = z.infer<typeof schedulePriceRequestSchema>;

export type PriceScheduleState = 'pending' | 'applied' | 'cancelled';

export interface PriceScheduleView {
  scheduleId: string;
  itemId: string;
  /** null: the chain price. */
  storeId: string | null;
  priceFen: number;
  /** When it applies (ms since epoch; shown in store time). */
  applyAt: number;
  state: PriceScheduleState;
  createdByName: string;
  createdAt: number;
  /** When it was applied or cancelled, and (cancelled) by whom. */
  settledAt: number | null;
  settledByName: string | null;
}

export const HISTORY_SUBJECTS = ['item', 'staff', 'store', 'account'] as const;
export type HistorySubject = (typeof HISTORY_SUBJECTS)[number];
export const historyQuerySchema = z.object({ of: z.enum(HISTORY_SUBJECTS), id }).strict();
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

/** One value of a change, typed so the page can say it in words (money as ￥12.50, stores by name, yes/no). */
export type HistoryValue =
  | { type: 'fen'; fen: number }
  /** A store price cleared: the store sells at the chain price. */
  | { type: 'chain-price' }
  | { type: 'text'; text: string }
  | { type: 'flag'; on: boolean }
  | { type: 'stores'; storeIds: string[] }
  | { type: 'role'; role: string }
  | { type: 'time'; at: number };

export interface HistoryChange {
  /** Which field: name, priceFen, available, storeIds, receiptFooter, wechat.mchid, … (the page names it). */
  field: string;
  /** null: it had no value before (a creation). */
  before: HistoryValue | null;
  after: HistoryValue | null;
}

export interface HistoryEntryView {
  auditId: string;
  at: number;
  userName: string;
  /** Where the change came from, as the hub saw it; 'hub-schedule' for a scheduled change the hub applied. */
  address: string;
  /** item.create, item.update, item.override, price.schedule, price.cancel, staff.pin, store.settings, account.… */
  action: string;
  /** The store a store-specific change concerns (an item's store price), else null. */
  storeId: string | null;
  changes: HistoryChange[];
}

/** The address recorded for the changes the hub's price job applies (the person is who scheduled them). */
export const SCHEDULED_CHANGE_ADDRESS = 'hub-schedule';

export const updateAccountRequestSchema = z
  .object({
    /** A manager account's stores (at least one). */
    storeIds: z.array(id).min(1).max(1000).optional(),
    /** true: the account signs in no more and its sessions end; false: enabled again. */
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((r) => Object.keys(r).length > 0, 'nothing to change');
export type UpdateAccountRequest = z.infer<typeof updateAccountRequestSchema>;

export const resetPasswordRequestSchema = z.object({ password: z.string().min(10).max(200) }).strict();
export type ResetPasswordRequest = z.infer<typeof resetPasswordRequestSchema>;

const P = '/api/admin/v1';
export const HUB_ADMIN_REFDATA_PATHS = {
  priceSchedules: `${P}/price-schedules`,
  cancelPriceSchedule: (scheduleId: string) => `${P}/price-schedules/${encodeURIComponent(scheduleId)}/cancel`,
  history: `${P}/history`,
  account: (userId: string) => `${P}/users/${encodeURIComponent(userId)}`,
  accountPassword: (userId: string) => `${P}/users/${encodeURIComponent(userId)}/password`,
  accountUnlock: (userId: string) => `${P}/users/${encodeURIComponent(userId)}/unlock`,
} as const;

export function historyQueryString(query: HistoryQuery): string {
  return new URLSearchParams({ of: query.of, id: query.id }).toString();
}
