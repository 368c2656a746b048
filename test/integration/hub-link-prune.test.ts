import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { getFactHead, pruneAcknowledgedFacts } from '../../electron/db/facts';
import { writeCashSale, writeRealisticDay } from '../helpers/fact-day';
import { startTestHub, type HubUnderTest } from '../helpers/hub-harness';
import { openLinkedCounter } from '../helpers/linked-counter';

/** Issue 13/15: facts leave the counter's database only after the hub acknowledged them and the retention passed. */
let hub: HubUnderTest | null = null;
let dir: string | null = null;
afterEach(async () => {
  await hub?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  hub = dir = null;
});

const DAY = 86_400_000;

const factSeqs = (db: Database): number[] => (db.prepare('SELECT seq FROM facts ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);

describe('pruning acknowledged facts at the counter', () => {
  it('deletes facts older than the retention once the hub acknowledged them, keeps recent ones, and never an unacknowledged one', async () => {
    hub = await startTestHub('sqlite');
    const t = hub;
    const store = await t.admin.setUp(t.hub.adminUrl);
    dir = mkdtempSync(join(tmpdir(), 'hub-prune-'));
    const { db, link } = openLinkedCounter(dir, t.clock);
    writeRealisticDay(db, t.clock.now() - 40 * DAY); // before the 30-day default retention
    const oldDay = getFactHead(db).seq;
    expect(await link.pushOnce()).toBe('not-enrolled');
    expect(factSeqs(db)).toHaveLength(oldDay); // nothing pruned before a hub holds it

    await link.enrol({ hubUrl: t.hub.url, pairingCode: await t.admin.pairingCode(store.storeId), counterName: '1号收银台' }, { id: 'm1', name: '李经理' });
    writeCashSale(db, 8_001, t.clock.now() - DAY); // recent: kept
    for (let i = 0; i < 10 && (await link.pushOnce()) === 'pushed'; i++);
    const head = getFactHead(db);
    expect(head.acked).toBe(head.seq);
    const kept = factSeqs(db);
    expect(kept[0]).toBe(oldDay + 1);
    expect(kept.at(-1)).toBe(head.seq);

    await t.close(); // the hub is gone: an old fact written now is not acknowledged, so it stays
    hub = null;
    writeCashSale(db, 8_002, t.clock.now() - 60 * DAY);
    expect(await link.pushOnce()).toBe('failed');
    expect(factSeqs(db)).toContain(head.seq + 1);
    expect(getFactHead(db).acked).toBe(head.seq);
    pruneAcknowledgedFacts(db, t.clock.now() + DAY, 10_000); // even with everything past its retention
    const unacknowledged = Array.from({ length: getFactHead(db).seq - head.seq }, (_, i) => head.seq + 1 + i);
    expect(factSeqs(db)).toEqual(unacknowledged);
    db.close();
  });
});
