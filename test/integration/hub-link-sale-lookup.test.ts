import type { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HubClient } from '../../electron/hub-link/client';
import type { HubLink } from '../../electron/hub-link/link';
import { HUB_NEEDED, lookupOtherCounterSale } from '../../electron/hub-link/sale-lookup';
import { HUB_ADMIN_PATHS, type StoreView } from '../../shared/hub-admin-api';
import { receiptQrPayload } from '../../shared/scan';
import { writeRealisticDay } from '../helpers/fact-day';
import { startTestHub, type HubUnderTest } from '../helpers/hub-harness';
import { openLinkedCounter } from '../helpers/linked-counter';

/** A counter finds another counter's sale at the real hub (SQLite engine) for a refund, or is told it needs the hub. */
let hub: HubUnderTest | null = null;
const dirs: string[] = [];
const dbs: Database[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) db.close();
  await hub?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  hub = null;
});

interface Counter {
  db: Database;
  link: HubLink;
  client: HubClient;
}

function counter(h: HubUnderTest): Counter {
  const dir = mkdtempSync(join(tmpdir(), 'hub-lookup-'));
  dirs.push(dir);
  const { db, link, client } = openLinkedCounter(dir, h.clock);
  dbs.push(db);
  return { db, link, client };
}

async function enrol(h: HubUnderTest, c: Counter, storeId: string): Promise<string> {
  const answer = await c.link.enrol({ hubUrl: h.hub.url, pairingCode: await h.admin.pairingCode(storeId), counterName: '收银台' }, { id: 'm1', name: '李经理' });
  if (!answer.enrolled) throw new Error('not enrolled');
  return answer.terminalId ?? '';
}

describe("looking up another counter's sale at the hub", () => {
  it("finds counter A's WeChat sale from counter B by receipt number and by the receipt's QR, and refuses another store's counter", async () => {
    hub = await startTestHub('sqlite');
    const store = await hub.admin.setUp(hub.hub.adminUrl);
    const otherStore = (await hub.admin.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name: '二号店' })).body.storeId;
    const [a, b, elsewhere] = [counter(hub), counter(hub), counter(hub)];
    const terminalA = await enrol(hub, a, store.storeId);
    await enrol(hub, b, store.storeId);
    await enrol(hub, elsewhere, otherStore);
    writeRealisticDay(a.db, hub.clock.now() - 3_600_000, terminalA);
    while ((await a.link.pushOnce()) === 'pushed');
    const deps = (c: Counter) => ({ client: c.client, identity: () => c.link.currentIdentity() });

    const byNumber = await lookupOtherCounterSale(deps(b), { terminalId: terminalA, receiptNo: 2 });
    expect(byNumber).toMatchObject({ ok: true, sale: { terminalId: terminalA, receiptNo: 2, totalFen: 3_300, state: 'paid' } });
    if (!byNumber.ok) return;
    expect(byNumber.sale.tenders).toEqual([
      { kind: 'wechat-code', amountFen: 3_300, state: 'paid', outTradeNo: `${terminalA}P000001`, transactionId: '4200000001', refundedFen: 1_650 },
    ]);
    const byQr = await lookupOtherCounterSale(deps(b), { receiptQr: receiptQrPayload(terminalA, '2') });
    expect(byQr).toEqual(byNumber);

    expect(await lookupOtherCounterSale(deps(elsewhere), { terminalId: terminalA, receiptNo: 2 })).toMatchObject({ ok: false, reason: 'other-store' });
    expect(await lookupOtherCounterSale(deps(b), { terminalId: terminalA, receiptNo: 77 })).toMatchObject({ ok: false, reason: 'not-found' });
    expect(await lookupOtherCounterSale(deps(b), { receiptQr: '6901234567890' })).toMatchObject({ ok: false, reason: 'bad-receipt' });
  });

  it('tells the cashier that sales from other counters need the hub when the hub is down or the counter never enrolled', async () => {
    hub = await startTestHub('sqlite');
    const store = await hub.admin.setUp(hub.hub.adminUrl);
    const [b, lone] = [counter(hub), counter(hub)];
    await enrol(hub, b, store.storeId);
    expect(await lookupOtherCounterSale({ client: lone.client, identity: () => lone.link.currentIdentity() }, { terminalId: 'AB12', receiptNo: 1 }))
      .toEqual({ ok: false, reason: 'hub-needed', message: HUB_NEEDED });
    await hub.close();
    hub = null;
    expect(await lookupOtherCounterSale({ client: b.client, identity: () => b.link.currentIdentity() }, { terminalId: 'AB12', receiptNo: 1 }))
      .toEqual({ ok: false, reason: 'hub-needed', message: HUB_NEEDED });
  });
});
