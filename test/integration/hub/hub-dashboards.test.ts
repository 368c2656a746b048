import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS, type ManagerView, type StoreView } from '../../../shared/hub-admin-api';
import { HUB_ADMIN_REFERENCE_PATHS } from '../../../shared/hub-admin-api';
import { HUB_REPORT_PATHS, dayNumber, reportQueryString, type DashboardAnswer } from '../../../shared/hub-reports-api';
import { rebuildProjections } from '../../../electron/hub/projections/rebuild';
import { dashboard } from '../../../electron/hub/reports/dashboard';
import { AdminClient, HUB_ENGINES, TestCounter, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { LATENCY_EDGES, expectedHeadline, seedTerminal, type Seed } from '../../helpers/dashboard-seed';

const FROM = '2026-12-01';
const TO = '2026-12-07';
const PREV_FROM = '2026-11-24';
const PREV_TO = '2026-11-30';
const OFFSET = 8 * 3_600_000;
const localDay = (ms: number): number => Math.floor((ms + OFFSET) / 86_400_000);
const inCurrent = (ms: number): boolean => localDay(ms) >= dayNumber(FROM) && localDay(ms) <= dayNumber(TO);

describe.each(HUB_ENGINES)('chain dashboards and exports (%s)', (engine) => {
  let t: HubUnderTest;
  let storeA: StoreView;
  let storeB: StoreView;
  const seeds: Seed[] = [];
  const q = (extra: Record<string, unknown> = {}): string => reportQueryString({ from: FROM, to: TO, ...extra });

  beforeAll(async () => {
    t = await startTestHub(engine);
    storeA = await t.admin.setUp(t.hub.adminUrl);
    storeB = (await t.admin.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name: '二号店' })).body;
    let n = 0;
    for (const store of [storeA, storeA, storeB]) {
      n += 1;
      const counter = new TestCounter(t.hub.url, t.clock);
      await counter.enrol(await t.admin.pairingCode(store.storeId), `${n}号收银台`);
      const seed = seedTerminal(store.storeId, counter.terminalId, 1000 + n, TO, 14, 160);
      seeds.push(seed);
      // Newest first in two halves: arrival order must not matter.
      const half = Math.floor(seed.facts.length / 2);
      for (const batch of [seed.facts.slice(half), seed.facts.slice(0, half)]) {
        for (let i = 0; i < batch.length; i += 200) expect((await counter.pushFacts(batch.slice(i, i + 200))).status).toBe(200);
      }
    }
  }, 120_000);
  afterAll(async () => t.close());

  it('computes every chain measure equal to the one computed from the seeded facts, beside the previous period', async () => {
    const answer = await t.admin.request<DashboardAnswer>('GET', `${HUB_REPORT_PATHS.dashboard}?${q()}`);
    expect(answer.status).toBe(200);
    const all = [storeA.storeId, storeB.storeId];
    const d = answer.body;
    expect(d.previousPeriod).toEqual({ from: PREV_FROM, to: PREV_TO, days: 7 });
    expect(d.current.headline).toEqual(expectedHeadline(seeds, FROM, TO, all));
    expect(d.previous.headline).toEqual(expectedHeadline(seeds, PREV_FROM, PREV_TO, all));
    expect(d.current.headline.salesCount).toBeGreaterThan(100);
    for (const store of [storeA, storeB]) {
      const row = d.byStore.find((s) => s.storeId === store.storeId);
      expect(row?.current).toEqual(expectedHeadline(seeds, FROM, TO, [store.storeId]));
      expect(row?.previous).toEqual(expectedHeadline(seeds, PREV_FROM, PREV_TO, [store.storeId]));
    }

    const sales = seeds.flatMap((s) => s.sales).filter((s) => s.state === 'paid' && inCurrent(s.createdAt));
    const attempts = seeds.flatMap((s) => s.attempts).filter((a) => inCurrent(a.createdAt));
    const facts = seeds.flatMap((s) => s.facts.filter((f) => f.kind === 'wechat-attempt').map((f) => JSON.parse(f.body) as { createdAt: number; state: string; firstSentAt?: number | null }));
    const sentFacts = facts.filter((f) => inCurrent(f.createdAt) && ((f.firstSentAt ?? null) !== null || f.state === 'paid'));
    expect(d.current.funnel).toMatchObject({
      scanned: attempts.length,
      sent: sentFacts.length,
      paid: attempts.filter((a) => a.state === 'paid').length,
      failed: attempts.filter((a) => a.state === 'failed').length,
      abandoned: attempts.filter((a) => ['cancelled', 'closed', 'reversed'].includes(a.state)).length,
      needsAttention: 0,
    });
    const failureCodes = new Map<string, number>();
    for (const a of attempts.filter((x) => x.state === 'failed')) failureCodes.set(a.failureCode ?? '', (failureCodes.get(a.failureCode ?? '') ?? 0) + 1);
    expect(Object.fromEntries(d.current.funnel.failures.map((f) => [f.code, f.count]))).toEqual(Object.fromEntries(failureCodes));

    const byKind = (kind: string) => sales.filter((s) => s.tenderKind === kind);
    for (const kind of ['cash', 'wechat-code', 'wechat-qr']) {
      expect(d.current.tenders.find((x) => x.kind === kind)).toEqual({ kind, count: byKind(kind).length, amountFen: byKind(kind).reduce((a, s) => a + s.totalFen, 0) });
    }
    for (let hour = 0; hour < 24; hour += 1) {
      const inHour = sales.filter((s) => Math.floor(((s.createdAt + OFFSET) % 86_400_000) / 3_600_000) === hour);
      expect(d.current.byHour[hour]).toEqual({ hour, count: inHour.length, amountFen: inHour.reduce((a, s) => a + s.totalFen, 0) });
    }
    for (let weekday = 1; weekday <= 7; weekday += 1) {
      const onDay = sales.filter((s) => new Date(s.createdAt + OFFSET).getUTCDay() === weekday % 7);
      expect(d.current.byWeekday[weekday - 1]?.count).toBe(onDay.length);
    }
    const edges = [1000, 2000, 5000, 10_000, 20_000, 50_000];
    expect(d.current.ticketDistribution.map((b) => b.count)).toEqual([...edges, Infinity].map((edge, i) => sales.filter((s) => s.totalFen < edge && s.totalFen >= (edges[i - 1] ?? 0)).length));

    const refunds = seeds.flatMap((s) => s.refunds).filter((r) => r.state !== 'failed' && inCurrent(r.requestedAt));
    const reasons = new Map<string, number>();
    for (const r of refunds) reasons.set(r.reason ?? '', (reasons.get(r.reason ?? '') ?? 0) + r.amountFen);
    expect(Object.fromEntries(d.current.refunds.byReason.map((r) => [r.reason, r.amountFen]))).toEqual(Object.fromEntries(reasons));

    const micropay = attempts.filter((a) => a.mode === 'micropay').map((a) => ({ at: a.createdAt, ms: (a.resolvedAt as number) - a.createdAt }));
    const sorted = micropay.map((m) => m.ms).sort((a, b) => a - b);
    const edgeOf = (ms: number | undefined) => (ms === undefined ? null : (LATENCY_EDGES.find((e) => ms <= e) ?? null));
    expect(d.current.latency.samples).toBe(micropay.length);
    expect(d.current.latency.p50Ms).toBe(edgeOf(sorted[Math.ceil(0.5 * sorted.length) - 1]));
    const salesPerHour = Array.from({ length: 24 }, (_, h) => ({ h, n: d.current.byHour[h]?.count ?? 0 }));
    const peak = salesPerHour.filter((x) => x.n > 0).sort((a, b) => b.n - a.n || a.h - b.h).slice(0, 3).map((x) => x.h);
    const inPeak = micropay.filter((m) => peak.includes(Math.floor(((m.at + OFFSET) % 86_400_000) / 3_600_000)));
    expect(d.current.latency.peakHours).toEqual([...peak].sort((a, b) => a - b));
    expect(d.current.latency.peakSlowShare).toBe(inPeak.filter((m) => m.ms > 10_000).length / inPeak.length);
  });

  it('shows a manager account its own stores only, through the dashboard and every export', async () => {
    const made = await t.admin.request<ManagerView>('POST', HUB_ADMIN_REFERENCE_PATHS.users, { name: '孙经理', password: 'manager password 1', storeIds: [storeB.storeId] });
    expect(made.status).toBe(201);
    const manager = new AdminClient(t.hub.url);
    expect((await manager.request('POST', HUB_ADMIN_PATHS.session, { name: '孙经理', password: 'manager password 1' })).status).toBe(200);
    const own = await manager.request<DashboardAnswer>('GET', `${HUB_REPORT_PATHS.dashboard}?${q()}`);
    expect(own.status).toBe(200);
    expect(own.body.storeIds).toEqual([storeB.storeId]);
    expect(own.body.byStore.map((s) => s.storeId)).toEqual([storeB.storeId]);
    expect(own.body.current.headline).toEqual(expectedHeadline(seeds, FROM, TO, [storeB.storeId]));
    for (const stores of [[storeA.storeId], [storeA.storeId, storeB.storeId], ['no-such-store']]) {
      expect((await manager.request('GET', `${HUB_REPORT_PATHS.dashboard}?${q({ stores })}`)).status).toBe(403);
      for (const kind of ['sales', 'refunds', 'shifts', 'day-closes'] as const) {
        expect((await fetch(`${t.hub.url}${HUB_REPORT_PATHS.export(kind, 'csv')}?${q({ stores })}`, { headers: { cookie: manager.cookieHeader() } })).status).toBe(403);
      }
    }
    const csv = await (await fetch(`${t.hub.url}${HUB_REPORT_PATHS.export('sales', 'csv')}?${q()}`, { headers: { cookie: manager.cookieHeader() } })).text();
    expect(csv).not.toContain(storeA.name);
    expect(csv).toContain(storeB.name);
    expect((await new AdminClient(t.hub.url).request('GET', `${HUB_REPORT_PATHS.dashboard}?${q()}`)).status).toBe(401);
  });

  it('streams CSV exports (BOM, numbers as numbers) whose sums equal the dashboard, and the same rows as XLSX', async () => {
    const d = (await t.admin.request<DashboardAnswer>('GET', `${HUB_REPORT_PATHS.dashboard}?${q()}`)).body;
    const response = await fetch(`${t.hub.url}${HUB_REPORT_PATHS.export('sales', 'csv')}?${q()}`, { headers: { cookie: t.admin.cookieHeader() } });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('门店,终端,小票号,状态,开单时间,收款时间,金额(元),现金(元),微信(元),收银员,班次');
    const rows = lines.slice(1).map((l) => l.split(','));
    const paid = rows.filter((r) => r[3] === 'paid');
    expect(paid.length).toBe(d.current.headline.salesCount);
    expect(Math.round(paid.reduce((a, r) => a + Number(r[6]), 0) * 100)).toBe(d.current.headline.salesFen);
    expect(rows.every((r) => /^\d+\.\d{2}$/.test(r[6] ?? ''))).toBe(true);

    const refundsCsv = await (await fetch(`${t.hub.url}${HUB_REPORT_PATHS.export('refunds', 'csv')}?${q({ lang: 'en' })}`, { headers: { cookie: t.admin.cookieHeader() } })).text();
    const refundLines = refundsCsv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(refundLines[0]?.startsWith('Store,Terminal,Refund no.')).toBe(true);
    expect(refundsCsv).toContain("'=SUM(A1)");
    expect(refundsCsv).not.toMatch(/,=SUM/);
    const counted = refundLines.slice(1).map((l) => l.split(',')).filter((r) => r[8] === '1');
    expect(Math.round(counted.reduce((a, r) => a + Number(r[7]), 0) * 100)).toBe(d.current.headline.refundFen);

    const xlsx = await fetch(`${t.hub.url}${HUB_REPORT_PATHS.export('sales', 'xlsx')}?${q()}`, { headers: { cookie: t.admin.cookieHeader() } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const values: unknown[][] = [];
    sheet?.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values.length).toBe(lines.length);
    const xlsxPaid = values.slice(1).filter((r) => r[3] === 'paid');
    expect(xlsxPaid.every((r) => typeof r[6] === 'number')).toBe(true);
    expect(Math.round(xlsxPaid.reduce((a: number, r) => a + (r[6] as number), 0) * 100)).toBe(d.current.headline.salesFen);

    const closes = await (await fetch(`${t.hub.url}${HUB_REPORT_PATHS.export('day-closes', 'csv')}?${q()}`, { headers: { cookie: t.admin.cookieHeader() } })).text();
    const closeRows = closes.replace(/^\uFEFF/, '').trimEnd().split('\r\n').slice(1).map((l) => l.split(','));
    expect(closeRows.reduce((a, r) => a + Number(r[2]), 0)).toBe(d.current.headline.salesCount);
  });

  it('keeps the rollups equal to a rebuild from the facts, and refuses a malformed period', async () => {
    // Read in-process: a rebuild on a loaded machine outlasts the HTTP keep-alive, and the measure is the same code.
    const db = t.hub.database.db;
    const names = new Map([[storeA.storeId, storeA.name], [storeB.storeId, storeB.name]]);
    const before = await dashboard(db, { from: FROM, to: TO }, 'all', names);
    expect(before.current.headline).toEqual(expectedHeadline(seeds, FROM, TO, [storeA.storeId, storeB.storeId]));
    await rebuildProjections(db, t.clock.now());
    expect(await dashboard(db, { from: FROM, to: TO }, 'all', names)).toEqual(before);
    for (const bad of ['from=2026-12-08&to=2026-12-01', 'from=2026-02-30&to=2026-03-01', 'from=2025-01-01&to=2026-12-31', 'to=2026-12-01', 'from=x&to=y']) {
      const answer = await t.admin.request<{ error: { code: string } }>('GET', `${HUB_REPORT_PATHS.dashboard}?${bad}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('BAD_REQUEST');
    }
  }, 180_000);
});
