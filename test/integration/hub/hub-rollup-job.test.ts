import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_REPORT_PATHS, reportQueryString, type DashboardAnswer } from '../../../shared/hub-reports-api';
import { clearMarks, markRollupDays, marksOf } from '../../../electron/hub/db/rollup-marks';
import { localDay } from '../../../electron/hub/projections/rollups';
import { HUB_ENGINES, HUB_TEST_START, TestCounter, saleFact, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';

const DAY = '2026-12-07';

/**
 * The dashboards' rollups are rebuilt off the push path: a push marks the store-days it changed, the rollup job
 * rebuilds them, and a dashboard request settles the job first, so it shows every push acknowledged before it.
 */
describe.each(HUB_ENGINES)('the rollup job on %s', (engine) => {
  let t: HubUnderTest;
  beforeAll(async () => {
    // The debounce never fires during the test: only the test and the dashboard route run passes.
    t = await startTestHub(engine, { rollupDebounceMs: 3_600_000 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const rolledUpSales = async (storeId: string): Promise<{ count: number; fen: number }> => {
    const row = await t.hub.database.db.selectFrom('hub_rollup_hours')
      .select((eb) => [eb.fn.sum<number>('sales_count').as('count'), eb.fn.sum<number>('sales_fen').as('fen')])
      .where('store_id', '=', storeId).executeTakeFirstOrThrow();
    return { count: Number(row.count ?? 0), fen: Number(row.fen ?? 0) };
  };

  it('marks a push\'s store-day instead of rebuilding it, and shows the push\'s sales in the dashboard once the job has run', async () => {
    const store = await t.admin.setUp(t.hub.adminUrl);
    const counter = new TestCounter(t.hub.url, t.clock);
    expect((await counter.enrol(await t.admin.pairingCode(store.storeId))).status).toBe(200);
    expect((await counter.pushFacts([saleFact(1, 1000), saleFact(2, 2000), saleFact(3, 3000)])).status).toBe(200);

    // The push left the rollups alone and marked its store-day for the job.
    expect(await rolledUpSales(store.storeId)).toEqual({ count: 0, fen: 0 });
    const marks = await t.hub.database.db.selectFrom('hub_rollup_marks').select(['store_id', 'day', 'terminal_id']).execute();
    expect(marks).toEqual([{ store_id: store.storeId, day: localDay(HUB_TEST_START), terminal_id: counter.terminalId }]);

    await t.hub.jobs.rollups.tick();
    expect(await rolledUpSales(store.storeId)).toEqual({ count: 3, fen: 6000 });
    expect(await t.hub.database.db.selectFrom('hub_rollup_marks').selectAll().execute()).toEqual([]);
    const dashboard = await t.admin.request<DashboardAnswer>('GET', `${HUB_REPORT_PATHS.dashboard}?${reportQueryString({ from: DAY, to: DAY })}`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.current.headline).toMatchObject({ salesCount: 3, salesFen: 6000 });

    // A dashboard read right after a push (no pass run since) waits for the job and shows that push too.
    expect((await counter.pushFacts([saleFact(4, 4000)])).status).toBe(200);
    const next = await t.admin.request<DashboardAnswer>('GET', `${HUB_REPORT_PATHS.dashboard}?${reportQueryString({ from: DAY, to: DAY })}`);
    expect(next.body.current.headline).toMatchObject({ salesCount: 4, salesFen: 10_000 });
    expect(await t.hub.database.db.selectFrom('hub_rollup_marks').selectAll().execute()).toEqual([]);
  });

  it('keeps a mark that a push renewed while its store-day was being rebuilt, for the next pass', async () => {
    const db = t.hub.database.db;
    const storeId = 'S-mark';
    const mark = { store_id: storeId, day: 20_000, terminal_id: 'T-mark' };
    await markRollupDays(db, [mark], HUB_TEST_START);
    const read = await marksOf(db, storeId);
    // A push of the same terminal and day commits between the pass's read and its delete.
    await markRollupDays(db, [mark], HUB_TEST_START + 1);
    await clearMarks(db, storeId, read);
    const left = await db.selectFrom('hub_rollup_marks').select(['day', 'terminal_id', 'generation', 'marked_at']).where('terminal_id', '=', 'T-mark').execute();
    expect(left.map((m) => ({ ...m, generation: Number(m.generation), marked_at: Number(m.marked_at) })))
      .toEqual([{ day: 20_000, terminal_id: 'T-mark', generation: 2, marked_at: HUB_TEST_START }]);
    await clearMarks(db, storeId, await marksOf(db, storeId));
    expect(await marksOf(db, storeId)).toEqual([]);
  });
});
