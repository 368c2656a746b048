import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../../electron/hub/projections/rebuild';
import { HUB_ENGINES, TestCounter, saleFact, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';

/**
 * Counters of one store push at the same moment (every counter drains its backlog when the hub comes back) while
 * the rollup job rebuilds the store's days: each push is taken, and once the job has settled the store's dashboard
 * rollups are what a rebuild from the facts makes — no push lost to a rollup key clash or a deadlock, no store-day
 * left rebuilt without a neighbour's sales that committed during a pass.
 */
describe.each(HUB_ENGINES)('concurrent pushes of one store on %s', (engine) => {
  let t: HubUnderTest;
  beforeAll(async () => {
    // Passes run only when the test runs them (below, as fast as they can, across the pushes).
    t = await startTestHub(engine, { rollupDebounceMs: 3_600_000 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const snapshot = async (): Promise<string[]> => {
    const days = await t.hub.database.db.selectFrom('hub_rollup_days').selectAll().execute();
    const hours = await t.hub.database.db.selectFrom('hub_rollup_hours').selectAll().execute();
    const months = await t.hub.database.db.selectFrom('hub_rollup_months').selectAll().execute();
    const monthHours = await t.hub.database.db.selectFrom('hub_rollup_month_hours').selectAll().execute();
    const monthWeekdays = await t.hub.database.db.selectFrom('hub_rollup_month_weekdays').selectAll().execute();
    return [...days, ...hours, ...months, ...monthHours, ...monthWeekdays].map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();
  };

  it('takes every push of eight counters at once while the rollup job runs, and settles on the rollups a rebuild makes', async () => {
    const store = await t.admin.setUp(t.hub.adminUrl);
    const counters: TestCounter[] = [];
    for (let i = 0; i < 8; i++) {
      const counter = new TestCounter(t.hub.url, t.clock);
      expect((await counter.enrol(await t.admin.pairingCode(store.storeId))).status).toBe(200);
      counters.push(counter);
    }
    let pushing = true;
    let passes = 0;
    const job = (async () => {
      while (pushing) {
        await t.hub.jobs.rollups.tick();
        passes += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      for (let round = 0; round < 3; round++) {
        // Two days per push (one sale a day later), so a pass rebuilds a range of days of the store.
        const answers = await Promise.all(counters.map((c, i) => c.pushFacts(Array.from({ length: 20 }, (_, k) =>
          saleFact(round * 20 + k + 1, 100 + i * 10 + k, t.clock.now() + (k === 19 ? 86_400_000 : k * 60_000))))));
        expect(answers.map((a) => a.status)).toEqual(counters.map(() => 200));
      }
    } finally {
      pushing = false;
      await job;
    }
    expect(passes).toBeGreaterThan(0);
    await t.hub.jobs.rollups.settle();
    const marks = await t.hub.database.db.selectFrom('hub_rollup_marks').selectAll().execute();
    expect(marks).toEqual([]);
    const sales = await t.hub.database.db.selectFrom('hub_sales').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(sales.n)).toBe(8 * 60);
    const settled = await snapshot();
    const paid = await t.hub.database.db.selectFrom('hub_rollup_hours').select((eb) => eb.fn.sum<number>('sales_count').as('n')).executeTakeFirstOrThrow();
    expect(Number(paid.n)).toBe(8 * 60);
    await rebuildProjections(t.hub.database.db, t.clock.now());
    expect(await snapshot()).toEqual(settled);
  });
});
