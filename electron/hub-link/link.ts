import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import {
  MAX_COUNTER_BODY_BYTES,
  MAX_FACT_BODY_BYTES,
  utf8ByteLength,
  MAX_FACTS_PER_PUSH,
  pairingCodeSchema,
  type EnrolRequest,
  type FactEnvelope,
  type HeartbeatRequest,
} from '../../shared/hub-protocol';
import type { HubStatus } from '../../shared/hub-status';
import type { Logger } from '../../shared/log';
import { getFactBacklog, getFactHead, listUnsentFacts, oldestKeptFactSeq, pruneAcknowledgedFacts, recordAcknowledged, setAcknowledged } from '../db/facts';
import { getHubLink, saveHubLink, stopHubLink, type HubLinkRow } from '../db/hub-link';
import { HubCallError, type HubClient, type HubIdentity } from './client';
import { lookupOtherCounterSale, type OtherCounterSaleLookup, type OtherCounterSaleQuery } from './sale-lookup';
import { generateHubKeyPair, proveReenrolment } from './keys';

/** Where the counter's private key is kept: sealed with the other secrets (SecretStore), never in settings.json. */
export interface HubKeyVault {
  save(privateKeyPem: string, by: string): void;
  load(): string | null;
}

export interface HubAuditLog {
  append(actor: { id: string; name: string }, action: string, details: Record<string, string | number | boolean | null>): number;
}

export interface HubLinkDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  client: HubClient;
  vault: HubKeyVault;
  audit: HubAuditLog;
  appVersion: string;
  /**
   * True while WeChat work is due or in flight (the payments outbox): the link then sends nothing and looks again
   * shortly, so a push never competes with a charge, a query or a reverse.
   */
  paymentsBusy: () => boolean;
  /** The counter's devices and shift, for the heartbeat. */
  heartbeatState: () => Omit<HeartbeatRequest, 'appVersion' | 'backlog' | 'oldestUnsentAt'>;
  /** The hub gave this counter its terminal id: it becomes the `terminalId` setting. */
  onEnrolled?: (terminalId: string) => void;
  /** How long an acknowledged fact stays here (the `hubFactRetentionDays` setting); default 30 days. */
  factRetentionMs?: () => number;
  timers?: { set(run: () => void, delayMs: number): unknown; clear(handle: unknown): void };
}

const DEFAULT_FACT_RETENTION_MS = 30 * 86_400_000;
const PRUNE_BATCH = 500;

export type PushOutcome = 'not-enrolled' | 'stopped' | 'yielded' | 'idle' | 'pushed' | 'failed';

export class HubLinkError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'ALREADY_ENROLLED' | 'HUB_UNREACHABLE' | 'HUB_REFUSED' | 'NO_SECRET_STORE',
    message: string,
  ) {
    super(message);
  }
}

const IDLE_POLL_MS = 2_000;
const YIELD_POLL_MS = 250;
const HEARTBEAT_MS = 30_000;
const MAX_BACKOFF_MS = 60_000;
/** Room for `{"facts":[...]}` and the commas around the facts. */
const ENVELOPE_OVERHEAD = 64;

/**
 * The counter's link to the hub: enrolment, the facts push worker and the heartbeat. A counter that never
 * enrolled does nothing here at all. Facts go oldest first in batches (≤ MAX_FACTS_PER_PUSH and ≤ the hub's body
 * limit), one push at a time; the hub's high-water is recorded as it comes; failures back off (1 s doubling to
 * 60 s); a 401 or REVOKED stops the link and says so until someone enrols again.
 */
export class HubLink {
  private reachable: boolean | null = null;
  private lastContactAt: number | null = null;
  private problem: string | null = null;
  private failures = 0;
  private pushTimer: unknown = null;
  private heartbeatTimer: unknown = null;
  private running = false;
  private inFlight: Promise<PushOutcome> | null = null;
  private readonly listeners = new Set<(status: HubStatus) => void>();
  private lastStatusKey = '';

  constructor(private readonly deps: HubLinkDeps) {}

  onStatus(listener: (status: HubStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): HubStatus {
    const link = getHubLink(this.deps.db);
    const backlog = getFactBacklog(this.deps.db);
    return {
      enrolled: link !== undefined,
      hubUrl: link?.hub_url ?? null,
      storeId: link?.store_id ?? null,
      storeName: link?.store_name ?? null,
      terminalId: link?.terminal_id ?? null,
      counterName: link?.counter_name ?? null,
      enrolledAt: link?.enrolled_at ?? null,
      reachable: this.reachable,
      lastContactAt: this.lastContactAt,
      backlog: link ? backlog.count : 0,
      oldestUnsentAt: link ? backlog.oldestUnsentAt : null,
      stopped: link?.stopped_at != null ? { at: link.stopped_at, reason: link.stopped_reason ?? '' } : null,
      problem: this.problem,
    };
  }

  /** Enrols with a hub using a pairing code from its manager page; audit-logged. Starts the link if it runs. */
  async enrol(input: { hubUrl: string; pairingCode: string; counterName: string }, actor: { id: string; name: string }): Promise<HubStatus> {
    const hubUrl = checkedHubUrl(input.hubUrl);
    const code = pairingCodeSchema.safeParse(input.pairingCode);
    if (!code.success) throw new HubLinkError('BAD_REQUEST', '配对码应为 10 位字母数字 / The pairing code has 10 letters and digits');
    const counterName = input.counterName.trim().slice(0, 40);
    if (counterName.length === 0) throw new HubLinkError('BAD_REQUEST', '请填写收银台名称 / Name this counter');
    const existing = getHubLink(this.deps.db);
    if (existing && existing.stopped_at === null) {
      throw new HubLinkError('ALREADY_ENROLLED', `本机已加入总部 ${existing.hub_url} / This counter is already enrolled with ${existing.hub_url}`);
    }
    const keys = generateHubKeyPair();
    const previous = existing ? this.previousTerminal(existing, keys.publicKey) : undefined;
    let answer;
    try {
      answer = await this.deps.client.enrol(hubUrl, { pairingCode: code.data, publicKey: keys.publicKey, counterName, appVersion: this.deps.appVersion, previous });
    } catch (error) {
      throw enrolFailure(error);
    }
    const now = this.deps.clock.now();
    const head = getFactHead(this.deps.db);
    if (answer.highWater > head.seq) {
      throw new HubLinkError('HUB_REFUSED', `总部已有本机第 ${answer.highWater} 条记录，本机只写到第 ${head.seq} 条（本机数据库可能是旧备份），需要技术支持 / The hub holds ${answer.highWater} facts of this counter but it wrote only ${head.seq} (is this database an old backup?): needs support`);
    }
    this.deps.db.transaction(() => {
      // The facts this hub holds already: the previous terminal's at the same hub, none at a new hub (which then
      // receives the whole history this counter still has: facts pruned after an earlier hub acknowledged them are
      // gone, and the new hub's gap alert says so).
      setAcknowledged(this.deps.db, Math.max(answer.highWater, oldestKeptFactSeq(this.deps.db) - 1));
      this.deps.vault.save(keys.privateKeyPem, actor.id);
      saveHubLink(this.deps.db, {
        hub_url: hubUrl, hub_id: answer.hubId, terminal_id: answer.terminalId, store_id: answer.storeId, store_name: answer.storeName,
        counter_name: counterName, public_key: keys.publicKey, enrolled_at: now, enrolled_by: actor.id,
      });
      this.deps.audit.append(actor, 'hub.enrolled', { hubUrl, hubId: answer.hubId, terminalId: answer.terminalId, storeId: answer.storeId, storeName: answer.storeName, continuesAfter: answer.highWater });
    })();
    this.deps.logger.info('enrolled with hub', { hubUrl, terminalId: answer.terminalId, storeId: answer.storeId });
    this.reachable = true;
    this.lastContactAt = now;
    this.problem = null;
    this.failures = 0;
    this.deps.onEnrolled?.(answer.terminalId);
    this.emit();
    if (this.running) this.schedulePush(0);
    return this.status();
  }

  /**
   * Deletes a batch of facts the hub holds and that are older than the retention, after a push: small batches, so
   * a counter that just joined with years of history never stalls a sale on one long delete.
   */
  private pruneAcknowledged(): void {
    const keepMs = this.deps.factRetentionMs?.() ?? DEFAULT_FACT_RETENTION_MS;
    const pruned = pruneAcknowledgedFacts(this.deps.db, this.deps.clock.now() - keepMs, PRUNE_BATCH);
    if (pruned > 0) this.deps.logger.info('pruned facts the hub holds', { pruned });
  }

  /** The stopped link's terminal and a proof that this counter holds its key (none when the key is gone). */
  private previousTerminal(existing: HubLinkRow, newPublicKey: string): EnrolRequest['previous'] {
    let pem: string | null;
    try {
      pem = this.deps.vault.load();
    } catch {
      pem = null; // sealed by another install: the hub then starts this counter's numbering afresh
    }
    if (pem === null) return undefined;
    return { hubId: existing.hub_id, terminalId: existing.terminal_id, proof: proveReenrolment(pem, newPublicKey) };
  }

  /** One push of the oldest unacknowledged facts. Tests drive this; the running link calls it in its loop. */
  pushOnce(): Promise<PushOutcome> {
    if (this.inFlight) return this.inFlight;
    const run = this.push().finally(() => {
      this.inFlight = null;
      this.emit();
    });
    this.inFlight = run;
    return run;
  }

  async sendHeartbeat(): Promise<boolean> {
    const id = this.identity();
    if (!id || this.deps.paymentsBusy()) return false;
    const backlog = getFactBacklog(this.deps.db);
    try {
      await this.deps.client.heartbeat(id.identity, {
        ...this.deps.heartbeatState(),
        appVersion: this.deps.appVersion.slice(0, 40),
        backlog: backlog.count,
        oldestUnsentAt: backlog.oldestUnsentAt,
      });
      this.noteSuccess();
      return true;
    } catch (error) {
      this.noteFailure(error);
      return false;
    } finally {
      this.emit();
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedulePush(0);
    this.scheduleHeartbeat(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    const timers = this.timers();
    if (this.pushTimer !== null) timers.clear(this.pushTimer);
    if (this.heartbeatTimer !== null) timers.clear(this.heartbeatTimer);
    this.pushTimer = this.heartbeatTimer = null;
    await this.inFlight?.catch(() => undefined);
  }

  private async push(): Promise<PushOutcome> {
    const id = this.identity();
    if (!id) return getHubLink(this.deps.db) ? 'stopped' : 'not-enrolled';
    if (this.deps.paymentsBusy()) return 'yielded';
    const batch = takeBatch(listUnsentFacts(this.deps.db, MAX_FACTS_PER_PUSH));
    if (batch === 'too-large') {
      this.problem = `记录 ${getFactHead(this.deps.db).acked + 1} 超过总部的大小上限，需要技术支持 / fact ${getFactHead(this.deps.db).acked + 1} is over the hub's size limit: needs support`;
      this.failures += 1;
      return 'failed';
    }
    if (batch.length === 0) return 'idle';
    try {
      const answer = await this.deps.client.pushFacts(id.identity, batch);
      this.noteSuccess();
      if (!recordAcknowledged(this.deps.db, answer.highWater)) {
        this.problem = `总部确认到第 ${answer.highWater} 条，本机只写到第 ${getFactHead(this.deps.db).seq} 条（本机数据库可能是旧备份） / the hub acknowledged ${answer.highWater} but this counter wrote only ${getFactHead(this.deps.db).seq} (is this database an old backup?)`;
        this.deps.logger.error('hub acknowledged more facts than this counter wrote', { highWater: answer.highWater, seq: getFactHead(this.deps.db).seq });
        this.failures += 1;
        return 'failed';
      }
      if (answer.conflicting.length > 0) {
        this.deps.logger.warn('hub holds different facts under these numbers', { conflicting: answer.conflicting.slice(0, 20).join(',') });
      }
      this.pruneAcknowledged();
      return 'pushed';
    } catch (error) {
      this.noteFailure(error);
      return getHubLink(this.deps.db)?.stopped_at != null ? 'stopped' : 'failed';
    }
  }

  /** Another counter's sale of this store, at the hub; every failure is a message for the cashier (sale-lookup.ts). */
  lookupOtherCounterSale(query: OtherCounterSaleQuery): Promise<OtherCounterSaleLookup> {
    return lookupOtherCounterSale({ client: this.deps.client, identity: () => this.currentIdentity() }, query);
  }

  /** The signed identity for a call outside the push worker (a sale lookup); null when not enrolled or stopped. */
  currentIdentity(): HubIdentity | null {
    return this.identity()?.identity ?? null;
  }

  private identity(): { link: HubLinkRow; identity: HubIdentity } | null {
    const link = getHubLink(this.deps.db);
    if (!link || link.stopped_at !== null) return null;
    const privateKeyPem = this.deps.vault.load();
    if (privateKeyPem === null) {
      this.problem = '本机的总部密钥无法读取，请重新加入总部 / this counter\'s hub key cannot be read: enrol again';
      return null;
    }
    return { link, identity: { hubUrl: link.hub_url, terminalId: link.terminal_id, privateKeyPem } };
  }

  private noteSuccess(): void {
    this.reachable = true;
    this.lastContactAt = this.deps.clock.now();
    this.problem = null;
    this.failures = 0;
  }

  private noteFailure(error: unknown): void {
    this.failures += 1;
    const message = error instanceof Error ? error.message : String(error);
    this.problem = message;
    if (error instanceof HubCallError) {
      this.reachable = error.kind !== 'network';
      if (error.kind !== 'network') this.lastContactAt = this.deps.clock.now();
      if (error.stopsTheLink) {
        stopHubLink(this.deps.db, `${error.code ?? error.status ?? ''}: ${message}`.slice(0, 300), this.deps.clock.now());
        this.deps.logger.error('hub refused this terminal: link stopped until it enrols again', { code: error.code, status: error.status });
        return;
      }
    } else {
      this.reachable = false;
    }
    this.deps.logger.warn('hub push failed', { error: message.slice(0, 200), failures: this.failures });
  }

  private timers(): NonNullable<HubLinkDeps['timers']> {
    return this.deps.timers ?? { set: (run, ms) => setTimeout(run, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
  }

  private schedulePush(delayMs: number): void {
    if (!this.running) return;
    const timers = this.timers();
    if (this.pushTimer !== null) timers.clear(this.pushTimer);
    this.pushTimer = timers.set(() => {
      this.pushTimer = null;
      void this.pushOnce().then((outcome) => this.schedulePush(this.delayAfter(outcome)));
    }, delayMs);
  }

  private delayAfter(outcome: PushOutcome): number {
    switch (outcome) {
      case 'pushed':
        return 0;
      case 'yielded':
        return YIELD_POLL_MS;
      case 'failed':
        return Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(6, this.failures - 1));
      default:
        return IDLE_POLL_MS;
    }
  }

  private scheduleHeartbeat(delayMs: number): void {
    if (!this.running) return;
    this.heartbeatTimer = this.timers().set(() => {
      void this.sendHeartbeat().finally(() => this.scheduleHeartbeat(HEARTBEAT_MS));
    }, delayMs);
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const status = this.status();
    const key = JSON.stringify({ ...status, lastContactAt: null });
    if (key === this.lastStatusKey) return;
    this.lastStatusKey = key;
    for (const listener of this.listeners) listener(status);
  }
}

/** Oldest first, as many as fit the hub's body limit; 'too-large' when even the oldest alone does not. */
export function takeBatch(facts: readonly FactEnvelope[]): FactEnvelope[] | 'too-large' {
  const batch: FactEnvelope[] = [];
  let size = ENVELOPE_OVERHEAD;
  for (const fact of facts) {
    const bytes = Buffer.byteLength(JSON.stringify(fact), 'utf8') + 1;
    if (size + bytes > MAX_COUNTER_BODY_BYTES || utf8ByteLength(fact.body) > MAX_FACT_BODY_BYTES) break;
    batch.push(fact);
    size += bytes;
  }
  return batch.length === 0 && facts.length > 0 ? 'too-large' : batch;
}

function checkedHubUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new HubLinkError('BAD_REQUEST', '总部地址无效，例如 https://hub.example.com / The hub address is not valid, e.g. https://hub.example.com');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash) {
    throw new HubLinkError('BAD_REQUEST', '总部地址应以 https:// 开头 / The hub address starts with https://');
  }
  return url.toString().replace(/\/+$/, '');
}

function enrolFailure(error: unknown): HubLinkError {
  if (error instanceof HubCallError && error.kind === 'http') {
    if (error.code === 'PAIRING_CODE_INVALID') {
      return new HubLinkError('HUB_REFUSED', '配对码错误、已使用或已过期，请在总部重新生成 / The pairing code is wrong, used or expired: make a new one at the hub');
    }
    return new HubLinkError('HUB_REFUSED', `总部拒绝加入 / The hub refused: ${error.message}`);
  }
  const why = error instanceof Error ? error.message : String(error);
  return new HubLinkError('HUB_UNREACHABLE', `无法连接总部 / Cannot reach the hub (${why})`);
}
