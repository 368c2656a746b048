/** Builds a payment service on a fresh database and drives its worker on a fake clock. */
import { ManualClock } from '../../shared/clock';
import { MemoryLogger } from '../../shared/log';
import type { PaymentEvents } from '../../shared/payments';
import { openDatabase, type Database } from '../../electron/db/open';
import { appMigrations } from '../../electron/db/migrations';
import { createPaymentService, type PaymentService, type PaymentServiceDeps } from '../../electron/payments/service';
import type { WechatPayClient } from '../../electron/wechat/types';

/** 2025-03-14 10:00:00 Beijing. */
export const T0 = Date.UTC(2025, 2, 14, 2, 0, 0);

/** A deterministic [0,1) sequence (mulberry32), for jitter that tests can reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Harness {
  db: Database;
  clock: ManualClock;
  logger: MemoryLogger;
  service: PaymentService;
  events: { [E in keyof PaymentEvents]: PaymentEvents[E][] };
  drawerOpened: number;
  /** Moves the clock in steps, letting the worker do everything due at each step. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Advances until the outbox is empty (or gives up after maxMs). */
  drain(maxMs?: number, stepMs?: number): Promise<void>;
}

export function openPaymentsDb(file = ':memory:'): Database {
  return openDatabase(file, appMigrations);
}

export function createHarness(
  client: WechatPayClient,
  options: { clock?: ManualClock; db?: Database; terminalId?: string; deps?: Partial<PaymentServiceDeps> } = {},
): Harness {
  const clock = options.clock ?? new ManualClock(T0);
  const db = options.db ?? openPaymentsDb();
  const logger = new MemoryLogger();
  const events = { 'payment.alert': [], 'sale.updated': [], 'sale.paid': [], 'attempt.updated': [], 'refund.updated': [], 'otherCounterRefund.updated': [], 'sync.status': [] } as Harness['events'];
  const harness: Harness = {
    db,
    clock,
    logger,
    events,
    drawerOpened: 0,
    service: undefined as unknown as PaymentService,
    async advance(ms, stepMs = 500) {
      await harness.service.worker.runUntilIdle();
      for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
        clock.advance(Math.min(stepMs, ms - elapsed));
        await harness.service.worker.runUntilIdle();
      }
    },
    async drain(maxMs = 10 * 60_000, stepMs = 500) {
      await harness.service.worker.runUntilIdle();
      for (let elapsed = 0; elapsed < maxMs && harness.service.syncStatus().queueLength > 0; elapsed += stepMs) {
        clock.advance(stepMs);
        await harness.service.worker.runUntilIdle();
      }
    },
  };
  harness.service = createPaymentService({
    db,
    client,
    clock,
    logger,
    terminalId: options.terminalId ?? 'T01',
    random: seededRandom(7),
    openDrawer: () => {
      harness.drawerOpened += 1;
    },
    ...options.deps,
  });
  const record = <E extends keyof PaymentEvents>(name: E): void => {
    harness.service.on(name, (payload) => {
      events[name].push(payload);
    });
  };
  (Object.keys(events) as (keyof PaymentEvents)[]).forEach(record);
  return harness;
}
