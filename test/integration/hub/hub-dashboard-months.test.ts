import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS, type StoreView } from '../../../shared/hub-admin-api';
import { dayNumber, type PeriodMeasures } from '../../../shared/hub-reports-api';
import { rebuildProjections } from '../../../electron/hub/projections/rebuild';
import { dashboard } from '../../../electron/hub/reports/dashboard';
import { periodSlices } from '../../../electron/hub/reports/panels';
import { HUB_ENGINES, TestCounter, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { LATENCY_EDGES, expectedHeadline, seedTerminal, type Seed } from '../../helpers/dashboard-seed';

// Seven weeks of facts (2026-10-19 … 12-07) so that periods hold whole local months (read from the month rollups)
// and days around them (read from the day rollups); every figure is computed again here from the seeded objects.
const LAST = '2026-12-07';
const OFFSET = 8 * 3_600_000;
const localDay = (ms: number): number => Math.floor((ms + OFFSET) / 86_400_000);
const hourOf = (ms: number): number => Math.floor(((ms + OFFSET) % 86_400_000) / 3_600_000);
const TICKET_EDGES = [1000, 2000, 5000, 10_000, 20_000, 50_000];

/** The period's measures from the seeds, in plain code (the parts not already in expectedHeadline). */
function expectedMeasures(seeds: readonly Seed[], from: string, to: string) {
  const inPeriod = (ms: number): boolean => localDay(ms) >= dayNumber(from) && localDay(ms) <= dayNumber(to);
  const sales = seeds.flatMap((s) => s.sales).filter((s) => s.state === 'paid' && inPeriod(s.createdAt));
  const attempts = seeds.flatMap((s) => s.attempts).filter((a) => inPeriod(a.createdAt));
  const refunds = seeds.flatMap((s) => s.refunds).filter((r) => r.state !== 'failed' && inPeriod(r.requestedAt));
  const fenOf = (list: readonly { totalFen: number }[]): number => list.reduce((a, s) => a + s.totalFen, 0);
  const micropay = attempts.filter((a) => a.mode === 'micropay').map((a) => (a.resolvedAt as number) - a.createdAt);
  const reasons = new Map<string, number>();
  for (const r of refunds) reasons.set(r.reason ?? '', (reasons.get(r.reason ?? '') ?? 0) + r.amountFen);
  const failures = new Map<string, number>();
  for (const a of attempts.filter((x) => x.state === 'failed')) failures.set(a.failureCode ?? '', (failures.get(a.failureCode ?? '') ?? 0) + 1);
  return {
    byHour: Array.from({ length: 24 }, (_, hour) => {
      const inHour = sales.filter((s) => hourOf(s.createdAt) === hour);
      return { hour, count: inHour.length, amountFen: fenOf(inHour) };
    }),
    byWeekday: Array.from({ length: 7 }, (_, i) => {
      const onDay = sales.filter((s) => new Date(s.createdAt + OFFSET).getUTCDay() === (i + 1) % 7);
      return { weekday: i + 1, count: onDay.length, amountFen: fenOf(onDay) };
    }),
    tickets: [...TICKET_EDGES, Infinity].map((edge, i) => sales.filter((s) => s.totalFen < edge && s.totalFen >= (TICKET_EDGES[i - 1] ?? 0)).length),
    tenders: Object.fromEntries(['cash', 'wechat-code', 'wechat-qr'].map((kind) => [kind, fenOf(sales.filter((s) => s.tenderKind === kind))])),
    funnel: {
      scanned: attempts.length,
      paid: attempts.filter((a) => a.state === 'paid').length,
      failed: attempts.filter((a) => a.state === 'failed').length,
      abandoned: attempts.filter((a) => ['cancelled', 'closed', 'reversed'].includes(a.state)).length,
    },
    failures: Object.fromEntries(failures),
    refundReasons: Object.fromEntries(reasons),
    latencyCounts: [...LATENCY_EDGES, Infinity].map((edge, i) => micropay.filter((ms) => ms <= edge && ms > (LATENCY_EDGES[i - 1] ?? -Infinity)).length),
  };
}

function measuresOf(p: PeriodMeasures) {
  return {
    byHour: p.byHour,
    byWeekday: p.byWeekday,
    tickets: p.ticketDistribution.map((b) => b.count),
    tenders: Object.fromEntries(['cash', 'wechat-code', 'wechat-qr'].map((kind) => [kind, p.tenders.find((t) => t.kind === kind)?.amountFen ?? 0])),
    funnel: { scanned: p.funnel.scanned, paid: p.funnel.paid, failed: p.funnel.failed, abandoned: p.funnel.abandoned },
    failures: Object.fromEntries(p.funnel.failures.map((f) => [f.code, f.count])),
    refundReasons: Object.fromEntries(p.refunds.byReason.map((r) => [r.reason, r.amountFen])),
    latencyCounts: p.latency.counts,
  };
}

describe.each(HUB_ENGINES)('dashboards over whole months and the days around them (%s)', (engine) => {
  let t: HubUnderTest;
  let stores: StoreView[];
  const seeds: Seed[] = [];
  const names = (): Map<string, string> => new Map(stores.map((s) => [s.storeId, s.name]));
  const storeIds = (): string[] => stores.map((s) => s.storeId);

  beforeAll(async () => {
    t = await startTestHub(engine);
    const first = await t.admin.setUp(t.hub.adminUrl);
    const second = (await t.admin.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name: '二号店' })).body;
    stores = [first, second];
    const counters: TestCounter[] = [];
    let n = 0;
    for (const store of [first, first, second]) {
      n += 1;
      const counter = new TestCounter(t.hub.url, t.clock);
      await counter.enrol(await t.admin.pairingCode(store.storeId), `${n}号收银台`);
      counters.push(counter);
      seeds.push(seedTerminal(store.storeId, counter.terminalId, 7000 + n, LAST, 50, 260));
    }
    // The newest half of every counter's facts first, so the months are built, then the older half: that reaches
    // back into store-days (and months) already rolled up, and older facts of sales already projected.
    for (const [i, counter] of counters.entries()) {
      const facts = seeds[i]?.facts ?? [];
      const half = Math.floor(facts.length / 2);
      for (let at = half; at < facts.length; at += 200) expect((await counter.pushFacts(facts.slice(at, Math.min(at + 200, facts.length)))).status).toBe(200);
    }
    for (const [i, counter] of counters.entries()) {
      const facts = seeds[i]?.facts ?? [];
      const half = Math.floor(facts.length / 2);
      for (let at = 0; at < half; at += 200) expect((await counter.pushFacts(facts.slice(at, Math.min(at + 200, half)))).status).toBe(200);
    }
    // Pushes only mark their store-days; the rollup job builds days and months (as a dashboard request would wait for).
    await t.hub.jobs.rollups.settle();
  }, 180_000);
  afterAll(async () => t.close());

  it('gives a period of partial months (Oct 25 – Dec 3) and its previous period the figures computed from the facts, per store too', async () => {
    const d = await dashboard(t.hub.database.db, { from: '2026-10-25', to: '2026-12-03' }, 'all', names());
    expect(d.previousPeriod).toEqual({ from: '2026-09-15', to: '2026-10-24', days: 40 });
    expect(d.current.headline).toEqual(expectedHeadline(seeds, '2026-10-25', '2026-12-03', storeIds()));
    expect(d.previous.headline).toEqual(expectedHeadline(seeds, '2026-09-15', '2026-10-24', storeIds()));
    expect(d.previous.headline.salesCount).toBeGreaterThan(0);
    expect(measuresOf(d.current)).toEqual(expectedMeasures(seeds, '2026-10-25', '2026-12-03'));
    for (const store of stores) {
      const row = d.byStore.find((s) => s.storeId === store.storeId);
      expect(row?.current).toEqual(expectedHeadline(seeds, '2026-10-25', '2026-12-03', [store.storeId]));
      const own = await dashboard(t.hub.database.db, { from: '2026-10-25', to: '2026-12-03' }, [store.storeId], names());
      expect(measuresOf(own.current)).toEqual(expectedMeasures(seeds.filter((s) => s.sales[0]?.storeId === store.storeId), '2026-10-25', '2026-12-03'));
    }
    // A whole month alone, and a period inside one month.
    for (const [from, to] of [['2026-11-01', '2026-11-30'], ['2026-11-10', '2026-11-12']] as const) {
      const one = await dashboard(t.hub.database.db, { from, to }, 'all', names());
      expect(one.current.headline).toEqual(expectedHeadline(seeds, from, to, storeIds()));
      expect(measuresOf(one.current)).toEqual(expectedMeasures(seeds, from, to));
    }
  });

  it('gives periods with edges longer than half a month (read as the month less the days outside) the figures computed from the facts, per store and for the previous period too', async () => {
    const periods = [
      ['2026-11-05', '2026-12-07'], // November less Nov 1–4, December's 7 days added; before it Oct 3 – Nov 4: October less Oct 1–2
      ['2026-11-03', '2026-11-27'], // inside November: the month less Nov 1–2 and Nov 28–30
      ['2026-10-20', '2026-11-20'], // October's 12 days added, November less Nov 21–30
      ['2026-10-12', '2026-11-25'], // October less Oct 1–11, November less Nov 26–30
    ] as const;
    for (const [from, to] of periods) {
      const slices = periodSlices(dayNumber(from), dayNumber(to));
      expect(slices.outside.length).toBeGreaterThan(0);
      const d = await dashboard(t.hub.database.db, { from, to }, 'all', names());
      expect(d.current.headline.salesCount).toBeGreaterThan(0);
      expect(d.current.headline).toEqual(expectedHeadline(seeds, from, to, storeIds()));
      expect(measuresOf(d.current)).toEqual(expectedMeasures(seeds, from, to));
      const { from: prevFrom, to: prevTo } = d.previousPeriod;
      expect(d.previous.headline).toEqual(expectedHeadline(seeds, prevFrom, prevTo, storeIds()));
      expect(measuresOf(d.previous)).toEqual(expectedMeasures(seeds, prevFrom, prevTo));
      for (const store of stores) {
        const row = d.byStore.find((s) => s.storeId === store.storeId);
        expect(row?.current).toEqual(expectedHeadline(seeds, from, to, [store.storeId]));
        expect(row?.previous).toEqual(expectedHeadline(seeds, prevFrom, prevTo, [store.storeId]));
      }
    }
    const own = stores[1]?.storeId ?? '';
    const one = await dashboard(t.hub.database.db, { from: '2026-11-03', to: '2026-11-27' }, [own], names());
    expect(measuresOf(one.current)).toEqual(expectedMeasures(seeds.filter((s) => s.sales[0]?.storeId === own), '2026-11-03', '2026-11-27'));
  });

  it('keeps every month rollup equal to the sum of its store-day rollups, also after a rebuild from the facts', async () => {
    const db = t.hub.database.db;
    const check = async (): Promise<void> => {
      // Months as the hub numbers them: (year − 1970) · 12 + month − 1; October, November and December 2026.
      const months = (await sql<{ store_id: string; month: number | string; metric: string; key: string; count: number | string; amount_fen: number | string }>`
        select store_id, month, metric, key, count, amount_fen from hub_rollup_months order by store_id, month, metric, key`.execute(db)).rows;
      expect(new Set(months.map((m) => Number(m.month)))).toEqual(new Set([681, 682, 683]));
      const monthOfDay = (day: number): number => {
        const date = new Date(day * 86_400_000);
        return (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth();
      };
      const days = (await db.selectFrom('hub_rollup_days').selectAll().execute());
      const summed = new Map<string, { count: number; fen: number }>();
      for (const r of days) {
        const key = `${r.store_id}|${monthOfDay(Number(r.day))}|${r.metric}|${r.key}`;
        const s = summed.get(key) ?? { count: 0, fen: 0 };
        summed.set(key, { count: s.count + Number(r.count), fen: s.fen + Number(r.amount_fen) });
      }
      expect(new Map(months.map((m) => [`${m.store_id}|${Number(m.month)}|${m.metric}|${m.key}`, { count: Number(m.count), fen: Number(m.amount_fen) }]))).toEqual(summed);

      const hourSums = new Map<string, number[]>();
      const weekdaySums = new Map<string, number[]>();
      const add = (map: Map<string, number[]>, key: string, values: number[]): void => {
        const s = map.get(key) ?? values.map(() => 0);
        map.set(key, s.map((v, i) => v + (values[i] ?? 0)));
      };
      for (const r of await db.selectFrom('hub_rollup_hours').selectAll().execute()) {
        const month = monthOfDay(Number(r.day));
        add(hourSums, `${r.store_id}|${month}|${Number(r.hour)}`, [Number(r.sales_count), Number(r.sales_fen), Number(r.micropay_count), Number(r.micropay_slow)]);
        add(weekdaySums, `${r.store_id}|${month}|${new Date(Number(r.day) * 86_400_000).getUTCDay() || 7}`, [Number(r.sales_count), Number(r.sales_fen)]);
      }
      const monthHours = await db.selectFrom('hub_rollup_month_hours').selectAll().execute();
      expect(new Map(monthHours.map((r) => [`${r.store_id}|${Number(r.month)}|${Number(r.hour)}`,
        [Number(r.sales_count), Number(r.sales_fen), Number(r.micropay_count), Number(r.micropay_slow)]]))).toEqual(hourSums);
      const monthWeekdays = await db.selectFrom('hub_rollup_month_weekdays').selectAll().execute();
      expect(new Map(monthWeekdays.map((r) => [`${r.store_id}|${Number(r.month)}|${Number(r.weekday)}`, [Number(r.sales_count), Number(r.sales_fen)]]))).toEqual(weekdaySums);
    };
    await check();
    const before = await dashboard(db, { from: '2026-10-25', to: '2026-12-03' }, 'all', names());
    await rebuildProjections(db, t.clock.now());
    await check();
    expect(await dashboard(db, { from: '2026-10-25', to: '2026-12-03' }, 'all', names())).toEqual(before);
  }, 180_000);
});
