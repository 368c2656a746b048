import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { getFactHead, listUnsentFacts } from '../../electron/db/facts';
import { insertSale, markSalePaid } from '../../electron/db/sales';
import { insertSaleLine } from '../../electron/db/sale-lines';
import { insertTender } from '../../electron/db/tenders';
import { MAX_FACT_BODY_BYTES, utf8ByteLength } from '../../shared/hub-protocol';
import type { HubLink } from '../../electron/hub-link/link';
import { createPaymentService } from '../../electron/payments/service';
import { silentLogger } from '../../shared/log';
import { FakeWechat } from '../helpers/fake-wechat-client';
import { writeRealisticDay } from '../helpers/fact-day';
import { startTestHub, type HubUnderTest } from '../helpers/hub-harness';
import { openLinkedCounter } from '../helpers/linked-counter';

/** The counter's link against the real hub (electron/hub/, SQLite engine): enrol, push a day's facts, heartbeat. */
let hub: HubUnderTest | null = null;
let dir: string | null = null;
afterEach(async () => {
  await hub?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  hub = dir = null;
});

/**
 * A counter's database with a realistic day of facts, and its link to the hub under test. `clockOffsetMs` is how far
 * the counter PC's clock is off the hub's (read on every request, so a test can set the time right later).
 */
async function counterWithLink(clockOffsetMs: () => number): Promise<{ db: Database; link: HubLink; storeId: string; code: string }> {
  if (!hub) throw new Error('start the hub first');
  const store = await hub.admin.setUp(hub.hub.adminUrl);
  const code = await hub.admin.pairingCode(store.storeId);
  dir = mkdtempSync(join(tmpdir(), 'hub-link-real-'));
  const clock = hub.clock;
  const { db, link } = openLinkedCounter(dir, clock, { requestNow: () => clock.now() + clockOffsetMs(), timeoutMs: 10_000 });
  writeRealisticDay(db, clock.now() - 3_600_000);
  return { db, link, storeId: store.storeId, code };
}

describe('hub link against the real hub', () => {
  it('keeps its link when the counter\'s clock is too far off the hub\'s, says so, and pushes once the clock is right', async () => {
    hub = await startTestHub('sqlite');
    let counterClockOffsetMs = 0;
    const { db, link, code } = await counterWithLink(() => counterClockOffsetMs);
    await link.enrol({ hubUrl: hub.hub.url, pairingCode: code, counterName: '1号收银台' }, { id: 'm1', name: '李经理' });
    counterClockOffsetMs = 10 * 60_000; // the counter PC's clock runs 10 minutes fast
    expect(await link.pushOnce()).not.toBe('pushed');
    expect(link.status()).toMatchObject({ enrolled: true, reachable: true });
    expect(link.status().problem).toMatch(/时钟|clock/);
    expect(getFactHead(db).acked).toBe(0);
    counterClockOffsetMs = 0; // someone set the time
    expect(await link.pushOnce()).toBe('pushed');
    expect(link.status().problem).toBeNull();
    db.close();
  });

  it('enrols with a pairing code from the hub, pushes a realistic day until the hub holds every fact, and sends a heartbeat', async () => {
    hub = await startTestHub('sqlite');
    const { db, link, storeId, code } = await counterWithLink(() => 0);
    const enrolled = await link.enrol({ hubUrl: hub.hub.url, pairingCode: code, counterName: '1号收银台' }, { id: 'm1', name: '李经理' });
    expect(enrolled).toMatchObject({ enrolled: true, storeId });
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const outcome = await link.pushOnce();
      outcomes.push(outcome);
      if (outcome !== 'pushed') break;
    }
    expect({ outcomes, problem: link.status().problem }).toMatchObject({ outcomes: ['pushed', 'idle'], problem: null });
    expect(getFactHead(db).acked).toBe(getFactHead(db).seq);
    expect(await link.sendHeartbeat()).toBe(true);
    db.close();
  });

  it("reaches the head office with a cash sale rung up in one commit (one fact): paid, with its lines and the cash tender", async () => {
    hub = await startTestHub('sqlite');
    const { db, link, code } = await counterWithLink(() => 0);
    await link.enrol({ hubUrl: hub.hub.url, pairingCode: code, counterName: '1号收银台' }, { id: 'm1', name: '李经理' });
    const payments = createPaymentService({ db, client: new FakeWechat(hub.clock).client(), clock: hub.clock, logger: silentLogger, terminalId: 'T09' });
    const before = getFactHead(db).seq;
    const { sale, tenderId } = payments.cashSale({ cashierId: 'c1', lines: [{ name: '可乐', unitFen: 350, quantity: 2 }, { name: '面包', unitFen: 550, quantity: 1 }] }, 2000, { onCounter: true });
    expect(getFactHead(db).seq - before).toBe(1);
    for (let i = 0; i < 10 && (await link.pushOnce()) === 'pushed'; i++);
    expect(link.status().problem).toBeNull();
    expect(getFactHead(db).acked).toBe(getFactHead(db).seq);
    const hubDb = hub.hub.database.db;
    // The day written before used terminal T01's receipt numbers; this sale's receipt is T09's (its own sequence).
    const hubSale = await hubDb.selectFrom('hub_sales').select(['state', 'total_fen', 'paid_at', 'receipt_no']).where('receipt_terminal', '=', 'T09').where('sale_id', '=', sale.id).executeTakeFirstOrThrow();
    expect({ ...hubSale, total_fen: Number(hubSale.total_fen), paid_at: Number(hubSale.paid_at), receipt_no: Number(hubSale.receipt_no) })
      .toEqual({ state: 'paid', total_fen: 1250, paid_at: sale.paidAt, receipt_no: sale.receiptNo });
    const lines = await hubDb.selectFrom('hub_sale_lines').select(['name', 'amount_fen']).where('sale_id', '=', sale.id).orderBy('line_no').execute();
    expect(lines.map((l) => [l.name, Number(l.amount_fen)])).toEqual([['可乐', 700], ['面包', 550]]);
    const tenders = await hubDb.selectFrom('hub_tenders').select(['tender_id', 'kind', 'state', 'amount_fen', 'tendered_fen', 'change_fen']).where('sale_id', '=', sale.id).execute();
    expect(tenders.map((t) => ({ ...t, tender_id: Number(t.tender_id), amount_fen: Number(t.amount_fen), tendered_fen: Number(t.tendered_fen), change_fen: Number(t.change_fen) })))
      .toEqual([{ tender_id: tenderId, kind: 'cash', state: 'paid', amount_fen: 1250, tendered_fen: 2000, change_fen: 750 }]);
    await payments.stop();
    db.close();
  });

  it('pushes the largest sale a cashier can ring up (500 lines of 64-character Chinese names) instead of stopping the link', async () => {
    hub = await startTestHub('sqlite');
    const { db, link, code } = await counterWithLink(() => 0);
    await link.enrol({ hubUrl: hub.hub.url, pairingCode: code, counterName: '1号收银台' }, { id: 'm1', name: '李经理' });
    const at = hub.clock.now();
    const name = '特'.repeat(64);
    const saleId = db.transaction(() => {
      const id = insertSale(db, { terminalId: 'T01', receiptNo: 9_001, cashierId: 'c1', shiftId: null, description: name, totalFen: 500 * 9_999 * 99_999, createdAt: at });
      for (let i = 1; i <= 500; i++) insertSaleLine(db, { sale_id: id, line_no: i, name, unit_fen: 99_999, quantity: 9_999, amount_fen: 9_999 * 99_999 });
      insertTender(db, { saleId: id, kind: 'cash', amountFen: 500 * 9_999 * 99_999, state: 'paid', tenderedFen: 500 * 9_999 * 99_999, changeFen: 0, createdAt: at });
      markSalePaid(db, id, at);
      return id;
    })();
    const largest = Math.max(...listUnsentFacts(db, 10_000).map((f) => utf8ByteLength(f.body)));
    expect(largest).toBeGreaterThan(64 * 1024); // the old per-fact limit, which stopped this link for good
    expect(largest).toBeLessThan(MAX_FACT_BODY_BYTES);
    for (let i = 0; i < 10 && (await link.pushOnce()) === 'pushed'; i++);
    expect(link.status().problem).toBeNull();
    expect(getFactHead(db).acked).toBe(getFactHead(db).seq);
    const lines = await hub.hub.database.db.selectFrom('hub_sale_lines').select((eb) => eb.fn.countAll<number>().as('n')).where('sale_id', '=', saleId).executeTakeFirstOrThrow();
    expect(Number(lines.n)).toBe(500);
    db.close();
  });
});
