import {
  DAY_MS, ONLINE_WITHIN_MS, chinaDateOf, chinaDayStart, type LiveCounter, type LiveStore, type LiveView, type TenderTotal,
} from '../../../shared/hub-admin-api';
import { heartbeatRequestSchema } from '../../../shared/hub-protocol';
import { mayRead, type StoreScope } from '../access';
import type { HubDb } from '../db/database';
import { openShiftsOfStores, refundTotals, saleTotals, tenderTotals } from '../db/operations';
import { listStores } from '../db/stores';
import { listTerminals } from '../db/terminals';

/**
 * Something a visible page may want to show again: a push of facts or a heartbeat, naming the store. The live
 * page's event stream (http/operations-routes.ts) listens here; counter-routes.ts tells it.
 */
export class HubEvents {
  private readonly listeners = new Set<(storeId: string) => void>();

  subscribe(listener: (storeId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  storeChanged(storeId: string): void {
    for (const listener of this.listeners) listener(storeId);
  }

  private readonly streams = new Set<() => void>();

  /** An open event stream, ended by `endStreams` when the hub closes (server.close waits for open responses). */
  addStream(end: () => void): () => void {
    this.streams.add(end);
    return () => this.streams.delete(end);
  }

  endStreams(): void {
    for (const end of [...this.streams]) end();
  }
}

/** Today (China day) at every store the scope may see: counters' state from their heartbeats, sales from the facts. */
export async function liveView(db: HubDb, scope: StoreScope, now: number): Promise<LiveView> {
  const date = chinaDateOf(now);
  const from = chinaDayStart(date);
  const stores = (await listStores(db)).filter((s) => mayRead(scope, s.store_id));
  const ids = stores.map((s) => s.store_id);
  const terminals = (await listTerminals(db)).filter((t) => ids.includes(t.store_id));
  const openShifts = await openShiftsOfStores(db, ids);
  const tenders = await tenderTotals(db, ids, from, from + DAY_MS);
  const sales = await saleTotals(db, ids, from, from + DAY_MS);
  const refunds = await refundTotals(db, ids, from, from + DAY_MS);
  const views: LiveStore[] = stores.map((store) => {
    const counters: LiveCounter[] = terminals.filter((t) => t.store_id === store.store_id).map((t) => {
      // The stored state was validated when it came in; it is parsed again here so an old row cannot break the page.
      const parsed = t.heartbeat === null ? null : heartbeatRequestSchema.safeParse(JSON.parse(t.heartbeat));
      const beat = parsed?.success ? parsed.data : null;
      return {
        terminalId: t.terminal_id, counterName: t.counter_name, revoked: t.revoked_at !== null,
        online: t.revoked_at === null && t.heartbeat_at !== null && now - t.heartbeat_at <= ONLINE_WITHIN_MS,
        lastSeenAt: t.last_seen_at, heartbeatAt: t.heartbeat_at,
        backlog: beat?.backlog ?? null, oldestUnsentAt: beat?.oldestUnsentAt ?? null, wechatReachable: beat?.wechatReachable ?? null,
        printer: beat?.printer ?? null, scanner: beat?.scanner ?? null,
        openShifts: openShifts.filter((s) => s.terminal_id === t.terminal_id)
          .map((s) => ({ shiftId: s.shift_id, cashierName: s.cashier_name, openedAt: s.opened_at })),
      };
    });
    const byTender: TenderTotal[] = tenders.filter((r) => r.store_id === store.store_id)
      .map((r) => ({ kind: r.kind, count: Number(r.n), amountFen: Number(r.fen ?? 0) }))
      .sort((a, b) => a.kind.localeCompare(b.kind));
    const sale = sales.find((r) => r.store_id === store.store_id);
    const refund = refunds.find((r) => r.store_id === store.store_id);
    return {
      storeId: store.store_id, name: store.name, counters,
      sales: { count: Number(sale?.n ?? 0), totalFen: Number(sale?.fen ?? 0), byTender },
      refunds: { count: Number(refund?.n ?? 0), amountFen: Number(refund?.fen ?? 0) },
    };
  });
  return { at: now, date, stores: views };
}
