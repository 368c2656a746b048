import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import type { HubStoreSettings, ReferenceAnswer } from '../../shared/hub-protocol';
import type { Logger } from '../../shared/log';
import {
  deactivateItemsNotIn, deactivateLocalNamed, deactivateLocalStaff, freeBarcodesFor, getHubReference, parkHubStaff, saveHubReference,
  upsertHubItem, upsertHubStaff,
} from '../db/hub-reference';
import { getHubLink, stopHubLink } from '../db/hub-link';
import type { Settings } from '../settings/schema';
import { HubCallError, type HubClient } from './client';
import type { HubAuditLog, HubKeyVault } from './link';

/** The part of the counter's PIN hasher this needs (electron/security/pin.ts PinHasher). */
export interface HubPinWrapper {
  wrapHubHash(hubHash: string): string | null;
  wrapTag(): string;
}

export interface ReferenceSettings {
  get(): Settings;
  update(change: (draft: Settings) => Settings): Settings;
}

export interface ReferenceDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  audit: HubAuditLog;
  pins: HubPinWrapper;
  settings: ReferenceSettings;
}

export class ReferenceApplyError extends Error {}

const HUB_ACTOR = { id: 'hub', name: '总部' };

export interface AppliedReference {
  revision: number;
  items: number | null;
  staff: number | null;
  store: boolean;
}

/**
 * Applies one hub answer in ONE SQLite transaction: items (matched by the hub's id; the hub's list is the store's
 * list, so items made at this counter stop being sold; old sales keep their names, which they copy), staff (matched
 * by the hub's id; PIN hashes wrapped with this counter's pepper; people the hub no longer lists here, or disabled
 * there, can no longer sign in), the store settings' copy, the revision, and one audit entry. Anything wrong in it
 * (a PIN hash this counter cannot keep, a constraint) throws and rolls all of it back: the last copy stays whole.
 * The store settings reach settings.json after the commit (see applyStoreSettings).
 *
 * The people made at this counter before it enrolled are switched off once, by the first staff list that has an
 * active manager or owner for this store: before that, switching them off would leave nobody to approve anything.
 */
export function applyReference(deps: ReferenceDeps, answer: ReferenceAnswer): AppliedReference {
  const { db, clock, audit, pins } = deps;
  const applied = db.transaction((): AppliedReference => {
    const now = clock.now();
    const held = getHubReference(db);
    let retiredAt = held?.local_staff_retired_at ?? null;
    const result: AppliedReference = { revision: answer.revision, items: null, staff: null, store: answer.store !== undefined };
    if (answer.items) {
      freeBarcodesFor(db, answer.items.flatMap((i) => (i.barcode === null ? [] : [i.barcode])));
      for (const item of answer.items) upsertHubItem(db, item, now);
      deactivateItemsNotIn(db, answer.items.map((i) => i.hubItemId), now);
      result.items = answer.items.length;
    }
    if (answer.staff) {
      const wrapped = answer.staff.map((person) => {
        const pinHash = pins.wrapHubHash(person.pinHash);
        if (pinHash === null) throw new ReferenceApplyError(`总部发来的 PIN 格式无法使用（${person.name}）/ The hub sent a PIN hash this counter cannot use (${person.name})`);
        return { hubStaffId: person.staffId, name: person.name, role: person.role, pinHash, active: person.active };
      });
      parkHubStaff(db, now);
      for (const person of wrapped) {
        if (person.active) deactivateLocalNamed(db, person.name, now);
        upsertHubStaff(db, person, now);
      }
      if (retiredAt === null && wrapped.some((p) => p.active && p.role !== 'cashier')) {
        deactivateLocalStaff(db, now);
        retiredAt = now;
      }
      result.staff = wrapped.length;
    }
    saveHubReference(db, {
      revision: answer.revision,
      store: answer.store ? JSON.stringify(answer.store) : (held?.store ?? null),
      // A staff list wraps with the pepper here now; without one, the earlier wrapping still stands.
      pins_wrapped_with: answer.staff ? pins.wrapTag() : (held?.pins_wrapped_with ?? pins.wrapTag()),
      local_staff_retired_at: retiredAt,
      pulled_at: now,
    });
    // A revision that changed nothing here (another store's change) is only remembered, not audit-logged.
    if (answer.items || answer.staff || answer.store) audit.append(HUB_ACTOR, 'hub.reference-applied', { revision: answer.revision, items: result.items, staff: result.staff, store: result.store });
    return result;
  })();
  if (answer.store) applyStoreSettings(deps.settings, answer.store);
  return applied;
}

/**
 * The hub's store settings into the counter's settings (name, address, receipt footer, the cash-out and refund
 * limits). The WeChat merchant ids are kept in the copy and not applied: the counter's merchant key and
 * certificates are set here and must match its merchant id, so switching merchants stays a change at the counter.
 * Idempotent: called after each apply and at start from the stored copy (a crash between the two is repaired).
 */
export function applyStoreSettings(settings: ReferenceSettings, store: HubStoreSettings): void {
  const s = settings.get();
  const limits = s.security.limits;
  if (
    s.storeName === store.name && s.storeAddress === store.address && s.receiptFooter === store.receiptFooter &&
    limits.maxCashOutFen === store.maxCashOutFen && limits.maxRefundFen === store.maxRefundFen
  ) return;
  settings.update((draft) => ({
    ...draft,
    storeName: store.name,
    storeAddress: store.address,
    receiptFooter: store.receiptFooter,
    security: { ...draft.security, limits: { ...draft.security.limits, maxCashOutFen: store.maxCashOutFen, maxRefundFen: store.maxRefundFen } },
  }));
}

/**
 * The notify_url the hub names for this store's orders in the API version given, from the last copy (null/absent:
 * not enrolled, or the hub has no public address yet; the WeChat client then sends its placeholder).
 */
export function hubNotifyUrl(db: Database, apiVersion: 'v2' | 'v3'): string | undefined {
  return storedStoreSettings(db)?.wechatNotifyUrls?.[apiVersion] ?? undefined;
}

/** The store settings of the last copy (for the start and for the windows), or null before the first pull. */
export function storedStoreSettings(db: Database): HubStoreSettings | null {
  const text = getHubReference(db)?.store;
  return text ? (JSON.parse(text) as HubStoreSettings) : null;
}

/** The settings a counter enrolled with a hub takes from it and no longer changes itself. */
export function hubOwnedSettingsChanged(before: Settings, after: Settings): boolean {
  const owned = (s: Settings): string =>
    JSON.stringify([s.storeName, s.storeAddress, s.receiptFooter, s.security.limits.maxCashOutFen, s.security.limits.maxRefundFen]);
  return owned(before) !== owned(after);
}

export type PullOutcome = 'not-enrolled' | 'stopped' | 'yielded' | 'unchanged' | 'applied' | 'failed';

export interface ReferencePullerDeps extends ReferenceDeps {
  client: HubClient;
  vault: HubKeyVault;
  paymentsBusy: () => boolean;
  /** After an answer was applied (the composition root tells the windows). */
  onApplied?: (applied: AppliedReference) => void;
  timers?: { set(run: () => void, delayMs: number): unknown; clear(handle: unknown): void };
}

const PULL_EVERY_MS = 30_000;
const YIELD_POLL_MS = 250;
const MAX_BACKOFF_MS = 60_000;

/**
 * Pulls `GET reference?since=<held revision>` at start, every 30 s and right after an enrolment (`pullSoon`),
 * yielding to WeChat work like the facts push. Failures back off (1 s doubling to 60 s) and leave the last copy
 * in use; a 401 / REVOKED stops the hub link, as for pushes. A counter that never enrolled does nothing here.
 */
export class ReferencePuller {
  private timer: unknown = null;
  private running = false;
  private failures = 0;
  private inFlight: Promise<PullOutcome> | null = null;
  problem: string | null = null;

  constructor(private readonly deps: ReferencePullerDeps) {}

  /** The store settings of the last copy into settings.json (at start: repairs a crash between the two). */
  reapplyStoredSettings(): void {
    if (!getHubLink(this.deps.db)) return;
    const store = storedStoreSettings(this.deps.db);
    if (store) applyStoreSettings(this.deps.settings, store);
  }

  pullOnce(): Promise<PullOutcome> {
    if (this.inFlight) return this.inFlight;
    const run = this.pull().finally(() => {
      this.inFlight = null;
    });
    this.inFlight = run;
    return run;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  pullSoon(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.timers().clear(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => undefined);
  }

  private async pull(): Promise<PullOutcome> {
    const { db } = this.deps;
    const link = getHubLink(db);
    if (!link) return 'not-enrolled';
    if (link.stopped_at !== null) return 'stopped';
    const privateKeyPem = this.deps.vault.load();
    if (privateKeyPem === null) return 'stopped';
    if (this.deps.paymentsBusy()) return 'yielded';
    const held = getHubReference(db);
    // Another pepper than the one that wrapped the PIN hashes here (restored onto a new install): ask for everything.
    const since = held && held.pins_wrapped_with === this.deps.pins.wrapTag() ? held.revision : 0;
    try {
      const answer = await this.deps.client.reference({ hubUrl: link.hub_url, terminalId: link.terminal_id, privateKeyPem }, since);
      this.failures = 0;
      this.problem = null;
      if (answer.revision === since && !answer.items && !answer.staff && !answer.store) return 'unchanged';
      const applied = applyReference(this.deps, answer);
      this.deps.logger.info('hub reference data applied', { revision: applied.revision, items: applied.items, staff: applied.staff, store: applied.store });
      this.deps.onApplied?.(applied);
      return 'applied';
    } catch (error) {
      this.failures += 1;
      const message = error instanceof Error ? error.message : String(error);
      this.problem = message;
      if (error instanceof HubCallError && error.stopsTheLink) stopHubLink(db, `${error.code ?? error.status ?? ''}: ${message}`.slice(0, 300), this.deps.clock.now());
      this.deps.logger.warn('hub reference pull failed; the last copy stays in use', { error: message.slice(0, 200), failures: this.failures });
      return 'failed';
    }
  }

  private timers(): NonNullable<ReferencePullerDeps['timers']> {
    return this.deps.timers ?? { set: (run, ms) => setTimeout(run, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    const timers = this.timers();
    if (this.timer !== null) timers.clear(this.timer);
    this.timer = timers.set(() => {
      this.timer = null;
      void this.pullOnce().then((outcome) => this.schedule(this.delayAfter(outcome)));
    }, delayMs);
  }

  private delayAfter(outcome: PullOutcome): number {
    if (outcome === 'yielded') return YIELD_POLL_MS;
    if (outcome === 'failed') return Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(6, this.failures - 1));
    return PULL_EVERY_MS;
  }
}
