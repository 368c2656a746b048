import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS, type AlertView, type StoreView } from '../../../shared/hub-admin-api';
import { HUB_PATHS, MAX_COUNTER_BODY_BYTES, type HubErrorBody, type PushFactsAnswer } from '../../../shared/hub-protocol';
import { countFacts } from '../../../electron/hub/db/facts';
import { HUB_ENGINES, TestCounter, saleFact, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';

describe.each(HUB_ENGINES)('facts reaching the hub on %s', (engine) => {
  let t: HubUnderTest;
  let storeA = '';
  let storeB = '';

  const enrolled = async (storeId: string): Promise<TestCounter> => {
    const counter = new TestCounter(t.hub.url, t.clock);
    const answer = await counter.enrol(await t.admin.pairingCode(storeId));
    expect(answer.status).toBe(200);
    return counter;
  };
  const alertsOf = async (terminalId: string): Promise<AlertView[]> =>
    (await t.admin.request<AlertView[]>('GET', HUB_ADMIN_PATHS.alerts)).body.filter((a) => a.terminalId === terminalId);

  beforeAll(async () => {
    t = await startTestHub(engine);
    storeA = (await t.admin.setUp(t.hub.adminUrl)).storeId;
    storeB = (await t.admin.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name: '二号店' })).body.storeId;
  });
  afterAll(async () => t?.close());

  it('stores facts of two counters of one store and one of another exactly once under concurrent duplicate pushes', async () => {
    const counters = [await enrolled(storeA), await enrolled(storeA), await enrolled(storeB)];
    const total = 60;
    const batches = (counter: TestCounter): Promise<PushFactsAnswer[]>[] =>
      [0, 1, 2].map(async () => {
        const answers: PushFactsAnswer[] = [];
        // Each copy pushes the whole backlog in batches of 20, as a retry after a lost answer would.
        for (let from = 1; from <= total; from += 20) {
          const push = await counter.pushFacts<PushFactsAnswer>(Array.from({ length: 20 }, (_, i) => saleFact(from + i)));
          expect(push.status).toBe(200);
          answers.push(push.body);
        }
        return answers;
      });
    const results = await Promise.all(counters.map(async (c) => (await Promise.all(batches(c))).flat()));
    for (const [index, counter] of counters.entries()) {
      expect(await countFacts(t.hub.database.db, counter.terminalId)).toBe(total);
      expect(results[index]?.reduce((sum, a) => sum + a.stored, 0)).toBe(total);
      expect(results[index]?.every((a) => a.conflicting.length === 0)).toBe(true);
      const hw = await counter.signed<{ highWater: number }>('GET', HUB_PATHS.highWater);
      expect(hw.body.highWater).toBe(total);
      expect(await alertsOf(counter.terminalId)).toEqual([]);
    }
    const stores = await t.hub.database.db.selectFrom('facts').select(['terminal_id', 'store_id']).distinct().execute();
    const storeOf = new Map(stores.map((r) => [r.terminal_id, r.store_id]));
    expect(counters.map((c) => storeOf.get(c.terminalId))).toEqual([storeA, storeA, storeB]);
  });

  it('raises one alert for a gap and acknowledges only the gapless prefix until it is filled', async () => {
    const counter = await enrolled(storeA);
    expect((await counter.pushFacts<PushFactsAnswer>([1, 2, 3].map((s) => saleFact(s)))).body.highWater).toBe(3);
    const beyond = await counter.pushFacts<PushFactsAnswer>([6, 7].map((s) => saleFact(s)));
    expect(beyond.body).toEqual({ highWater: 3, stored: 2, conflicting: [] });
    expect((await counter.pushFacts<PushFactsAnswer>([saleFact(8)])).body.highWater).toBe(3);
    const alerts = await alertsOf(counter.terminalId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'fact-gap', storeId: storeA });
    expect(alerts[0]?.message).toMatch(/第 4 号/);
    const filled = await counter.pushFacts<PushFactsAnswer>([4, 5].map((s) => saleFact(s)));
    expect(filled.body).toEqual({ highWater: 8, stored: 2, conflicting: [] });
    expect(await alertsOf(counter.terminalId)).toHaveLength(1);
  });

  it('keeps the hub\'s copy when a different fact arrives under a number it holds, and raises one alert', async () => {
    const counter = await enrolled(storeA);
    const original = saleFact(1, 1000);
    await counter.pushFacts([original, saleFact(2)]);
    const different = saleFact(1, 999_999);
    const answer = await counter.pushFacts<PushFactsAnswer>([different, saleFact(2), saleFact(3)]);
    expect(answer.body).toEqual({ highWater: 3, stored: 1, conflicting: [1] });
    expect((await counter.pushFacts<PushFactsAnswer>([different])).body.conflicting).toEqual([1]);
    const held = await t.hub.database.db.selectFrom('facts').select('body').where('terminal_id', '=', counter.terminalId).where('seq', '=', 1).executeTakeFirstOrThrow();
    expect(held.body).toBe(original.body);
    const alerts = await alertsOf(counter.terminalId);
    expect(alerts.map((a) => a.kind)).toEqual(['fact-conflict']);
  });

  it('refuses oversize and malformed pushes, logs them, and stores nothing of them', async () => {
    const counter = await enrolled(storeB);
    const huge = JSON.stringify({ facts: [{ seq: 1, kind: 'sale', at: 0, body: `{"pad":"${'x'.repeat(MAX_COUNTER_BODY_BYTES)}"}` }] });
    const tooLarge = await counter.signed('POST', HUB_PATHS.facts, huge);
    expect(tooLarge.status).toBe(413);
    expect((tooLarge.body as HubErrorBody).error.code).toBe('TOO_LARGE');

    const malformed = [
      'not json',
      '[1,2]',
      JSON.stringify({ facts: [] }),
      JSON.stringify({ facts: [{ ...saleFact(1), kind: 'lottery' }] }),
      JSON.stringify({ facts: [{ ...saleFact(1), seq: 0 }] }),
      JSON.stringify({ facts: [saleFact(1)], extra: true }),
      // One bad body refuses the whole batch: fact 1 is fine, fact 2's body is not a JSON object.
      JSON.stringify({ facts: [saleFact(1), { ...saleFact(2), body: '[1,2,3]' }] }),
      JSON.stringify({ facts: [saleFact(1), { ...saleFact(2), body: '{"unterminated":' }] }),
      JSON.stringify({ facts: [saleFact(1), saleFact(1, 5)] }),
      // Bodies are checked against their kind (shared/hub-facts.ts): money in whole fen, a masked payment code only.
      JSON.stringify({ facts: [{ ...saleFact(1), body: saleFact(1).body.replace('"totalFen":1251', '"totalFen":12.51') }] }),
      JSON.stringify({ facts: [{ ...saleFact(1), kind: 'wechat-attempt' }] }),
      JSON.stringify({ facts: [{ seq: 1, kind: 'wechat-attempt', at: 0, body: JSON.stringify(unmaskedAttempt()) }] }),
    ];
    for (const body of malformed) {
      const refused = await counter.signed('POST', HUB_PATHS.facts, body);
      expect(refused.status, body.slice(0, 60)).toBe(400);
      expect((refused.body as HubErrorBody).error.code).toBe('BAD_REQUEST');
    }
    expect(await countFacts(t.hub.database.db, counter.terminalId)).toBe(0);
    const hw = await counter.signed<{ highWater: number }>('GET', HUB_PATHS.highWater);
    expect(hw.body.highWater).toBe(0);
    const refusals = t.log.lines.filter((l) => l.message === 'hub: request refused' && l.fields.terminal === counter.terminalId);
    expect(refusals.map((l) => l.fields.status)).toEqual([413, ...malformed.map(() => 400)]);
    expect(t.log.text()).not.toContain('unterminated');
  });
});

/** A final WeChat attempt whose payment code is in clear: a counter must never send one, the hub never stores one. */
function unmaskedAttempt(): Record<string, unknown> {
  return {
    attemptId: 1, saleId: 1, tenderId: 1, terminalId: 'T01', receiptNo: 1, mode: 'micropay', outTradeNo: 'T01X1', amountFen: 100,
    state: 'paid', authCodeMasked: '134567890123456789', payerMasked: null, transactionId: null, bankType: null, paidFen: 100,
    successTime: null, failureCode: null, createdAt: 0, resolvedAt: 0,
  };
}
