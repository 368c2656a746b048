import type { Database } from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HUB_ADMIN_OPERATIONS_PATHS as O, HUB_ADMIN_PATHS, chinaDateOf, type DayCloseView, type LiveView, type SaleDetailView, type ShiftDetailView, type StoreView,
} from '../../../shared/hub-admin-api';
import type { ShiftReport } from '../../../shared/shifts';
import { writeRealisticDay } from '../../helpers/fact-day';
import { HUB_ENGINES, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { openLinkedCounter, type LinkedCounter } from '../../helpers/linked-counter';

describe.each(HUB_ENGINES)("the head office's operations pages' data on %s", (engine) => {
  let t: HubUnderTest;
  let dir: string;
  let storeA: StoreView;
  const counters: (LinkedCounter & { storeId: string })[] = [];

  const get = async <T>(path: string): Promise<T> => {
    const answer = await t.admin.request<T>('GET', path);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };
  const drain = async (counter: LinkedCounter): Promise<void> => {
    for (let i = 0; i < 20 && (await counter.link.pushOnce()) === 'pushed'; i++);
  };

  beforeAll(async () => {
    t = await startTestHub(engine);
    dir = mkdtempSync(join(tmpdir(), 'hub-ops-'));
    storeA = await t.admin.setUp(t.hub.adminUrl);
    const storeB = (await t.admin.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name: '二号店' })).body;
    for (const [i, store] of [storeA, storeA, storeB].entries()) {
      mkdirSync(join(dir, `c${i}`));
      const counter = { ...openLinkedCounter(join(dir, `c${i}`), t.clock), storeId: store.storeId };
      writeRealisticDay(counter.db, t.clock.now() - 3_600_000 + i * 60_000);
      await counter.link.enrol({ hubUrl: t.hub.url, pairingCode: await t.admin.pairingCode(store.storeId), counterName: `${i + 1}号台` }, { id: 'm1', name: '李经理' });
      await drain(counter);
      counters.push(counter);
    }
  });
  afterAll(async () => {
    for (const c of counters) c.db.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const zReportsOf = (db: Database): ShiftReport[] =>
    (db.prepare('select report_json from z_reports').all() as { report_json: string }[]).map((r) => JSON.parse(r.report_json) as ShiftReport);

  it("rolls a store's day close up from every counter's Z reports, figure by figure", async () => {
    const day = await get<DayCloseView>(O.day(storeA.storeId, chinaDateOf(t.clock.now())));
    const reports = counters.filter((c) => c.storeId === storeA.storeId).flatMap((c) => zReportsOf(c.db));
    expect(reports.length).toBe(2);
    const sum = (f: (r: ShiftReport) => number): number => reports.reduce((s, r) => s + f(r), 0);
    expect(day.counters).toHaveLength(2);
    expect(day.totals).toMatchObject({
      saleCount: sum((r) => r.sales.count), salesFen: sum((r) => r.sales.amountFen),
      refundCount: sum((r) => r.refunds.count), refundsFen: sum((r) => r.refunds.amountFen),
      cashExpectedFen: sum((r) => r.cash.expectedFen), cashCountedFen: sum((r) => r.cash.countedFen ?? 0),
      cashDifferenceFen: sum((r) => r.cash.differenceFen ?? 0),
    });
    for (const kind of new Set(reports.flatMap((r) => r.sales.byTender.map((b) => b.kind)))) {
      const want = sum((r) => r.sales.byTender.find((b) => b.kind === kind)?.amountFen ?? 0);
      expect(day.totals.byTender.find((b) => b.kind === kind)?.amountFen).toBe(want);
    }
    expect(day.totals.salesFen).toBeGreaterThan(0);
  });

  it('drills down from a Z report to its shift, a sale, its WeChat attempts and its receipt, never a payment code', async () => {
    const day = await get<DayCloseView>(O.day(storeA.storeId, chinaDateOf(t.clock.now())));
    const counter = day.counters[0]!;
    const shift = await get<ShiftDetailView>(O.shift(storeA.storeId, counter.terminalId, counter.zReports[0]!.shiftId));
    expect(shift.sales.length).toBeGreaterThan(0);
    const micropay = shift.sales.find((s) => s.tenders.some((x) => x.startsWith('wechat-code')));
    const sale = await get<SaleDetailView>(O.sale(storeA.storeId, counter.terminalId, micropay!.saleId));
    expect(sale.wechatAttempts.length).toBeGreaterThan(0);
    expect(sale.receiptLines.join('\n')).toContain('合计');
    expect(JSON.stringify(sale)).not.toContain('134567890123456789');
    expect(JSON.stringify(sale)).not.toContain('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
  });

  it('shows today live per store: sales by tender equal to the counters\' paid sales, and each counter\'s heartbeat', async () => {
    for (const c of counters) expect(await c.link.sendHeartbeat()).toBe(true);
    const live = await get<LiveView>(O.live);
    const a = live.stores.find((s) => s.storeId === storeA.storeId)!;
    const paid = counters.filter((c) => c.storeId === storeA.storeId)
      .map((c) => c.db.prepare("select count(*) as n, coalesce(sum(total_fen), 0) as fen from sales where state = 'paid'").get() as { n: number; fen: number });
    expect(a.sales).toMatchObject({ count: paid.reduce((s, p) => s + p.n, 0), totalFen: paid.reduce((s, p) => s + p.fen, 0) });
    expect(a.sales.byTender.reduce((s, b) => s + b.amountFen, 0)).toBe(a.sales.totalFen);
    expect(a.counters.map((c) => [c.online, c.backlog, c.printer, c.wechatReachable])).toEqual([[true, 0, 'ok', true], [true, 0, 'ok', true]]);
  });

  it('pushes a new live view down the event stream when a counter beats', async () => {
    const abort = new AbortController();
    const cookie = (t.admin as unknown as { cookie: string }).cookie;
    const response = await fetch(`${t.hub.url}${O.liveEvents}`, { headers: { cookie }, signal: abort.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const events: LiveView[] = [];
    let buffer = '';
    const next = async (): Promise<LiveView> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) return JSON.parse(data.slice(6)) as LiveView;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += new TextDecoder().decode(value);
      }
    };
    events.push(await next());
    t.clock.advance(45_000);
    await counters[0]!.link.sendHeartbeat();
    events.push(await next());
    abort.abort();
    expect(events[1]!.at).toBe(events[0]!.at + 45_000);
  });
});
