import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../../electron/hub/projections/rebuild';
import { HUB_ENGINES, TestCounter, saleFact, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';

/**
 * Counters of one store push at the same moment (every counter drains its backlog when the hub comes back): each
 * push is taken, and the store's dashboard rollups are what a rebuild from the facts makes — no push lost to a
 * rollup key clash or a deadlock, no store-day rebuilt without a neighbour's sales.
 */
describe.each(HUB_ENGINES)('concurrent pushes of one store on %s', (engine) => {
  let t: HubUnderTest;
  beforeAll(async () => {
    t = await startTestHub(engine);
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

  it('takes every push of eight counters at once and keeps the rollups equal to a rebuild', async () => {
    const store = await t.admin.setUp(t.hub.adminUrl);
    const counters: TestCounter[] = [];
    for (let i = 0; i < 8; i++) {
      const counter = new TestCounter(t.hub.url, t.clock);
      expect((await counter.enrol(await t.admin.pairingCode(store.storeId))).status).toBe(200);
      counters.push(counter);
    }
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(counters.map((c, i) =>
        c.pushFacts(Array.from({ length: 20 }, (_, k) => saleFact(round * 20 + k + 1, 100 + i * 10 + k)))));
      expect(answers.map((a) => a.status)).toEqual(counters.map(() => 200));
    }
    const sales = await t.hub.database.db.selectFrom('hub_sales').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(sales.n)).toBe(8 * 60);
    const pushed = await snapshot();
    expect(pushed.length).toBeGreaterThan(0);
    await rebuildProjections(t.hub.database.db, t.clock.now());
    expect(await snapshot()).toEqual(pushed);
  });
});
