import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listFacts } from '../../../electron/db/facts';
import { ManualClock } from '../../../shared/clock';
import { parseFactBody } from '../../../shared/hub-facts';
import { FakeWechat } from '../../helpers/fake-wechat-client';
import { createHarness, openPaymentsDb, T0, type Harness } from '../../helpers/payments-harness';
import { walCommitCount } from '../../helpers/wal-commits';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function onDisk(): { h: Harness; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pos-cash-sale-'));
  dirs.push(dir);
  const file = join(dir, 'pos.sqlite');
  const db = openPaymentsDb(file);
  db.pragma('wal_autocheckpoint = 0');
  const clock = new ManualClock(T0);
  return { h: createHarness(new FakeWechat(clock).client(), { clock, db }), file };
}

describe('a cash sale is one commit', () => {
  it('records the sale, its lines, its receipt number, the cash and the counter sale in one commit', () => {
    const { h, file } = onDisk();
    const before = walCommitCount(file);
    const result = h.service.cashSale(
      { cashierId: 'c1', shiftId: 's1', lines: [{ name: '矿泉水', unitFen: 250, quantity: 2 }] },
      1000,
      { onCounter: true },
    );
    expect(walCommitCount(file) - before).toBe(1);
    expect(result.changeFen).toBe(500);
    expect(result.sale).toMatchObject({ state: 'paid', totalFen: 500, dueFen: 0, receiptNo: 1, shiftId: 's1' });
    expect(result.sale.tenders).toMatchObject([{ kind: 'cash', amountFen: 500, state: 'paid', tenderedFen: 1000, changeFen: 500 }]);
    expect(h.service.counterSale()).toBe(result.sale.id);
    expect(h.events['sale.paid'].map((e) => e.sale.id)).toEqual([result.sale.id]);
    expect(h.drawerOpened).toBe(1);
  });

  it('writes one sale fact for the hub, carrying the sale paid with its lines and its cash tender', () => {
    const { h } = onDisk();
    const result = h.service.cashSale({ cashierId: 'c1', shiftId: 's1', lines: [{ name: '矿泉水', unitFen: 250, quantity: 2 }] }, 1000, { onCounter: true });
    const facts = listFacts(h.db, 1, 100);
    expect(facts.map((f) => f.kind)).toEqual(['sale']);
    const [fact] = facts;
    expect(fact?.at).toBe(T0);
    expect(parseFactBody('sale', fact?.body ?? '')).toMatchObject({ ok: true });
    expect(JSON.parse(fact?.body ?? '{}')).toEqual({
      saleId: result.sale.id, terminalId: result.sale.terminalId, receiptNo: 1, cashierId: 'c1', shiftId: 's1', state: 'paid',
      description: '收银小票 1', totalFen: 500, createdAt: T0, paidAt: T0, voidedAt: null, voidReason: null,
      lines: [{ lineNo: 1, name: '矿泉水', unitFen: 250, quantity: 2, amountFen: 500 }],
      tenders: [{ tenderId: result.tenderId, kind: 'cash', amountFen: 500, state: 'paid', tenderedFen: 1000, changeFen: 500, createdAt: T0, settledAt: T0, outTradeNo: null, transactionId: null }],
    });
  });

  it('answers with, and tells the windows, the very view the sale reads back as', () => {
    const { h } = onDisk();
    const result = h.service.cashSale({ cashierId: 'c1', lines: [{ name: '可乐', unitFen: 350, quantity: 2 }, { name: '面包', unitFen: 550, quantity: 1 }] }, 2000);
    const stored = h.service.getSale(result.sale.id);
    expect(result.sale).toEqual(stored);
    expect(h.events['sale.updated'].at(-1)).toEqual(stored);
    expect(h.events['sale.paid'].at(-1)?.sale).toEqual(stored);
  });

  it('takes as many commits as the sales it records (the old checkout + cash took two per sale)', () => {
    const { h, file } = onDisk();
    const before = walCommitCount(file);
    for (let i = 0; i < 5; i += 1) h.service.cashSale({ cashierId: 'c1', amountFen: 100 + i }, 200);
    expect(walCommitCount(file) - before).toBe(5);
  });

  it("still marks every sale's paid event delivered (riding along with the next commit, or at stop)", async () => {
    const { h } = onDisk();
    const first = h.service.cashSale({ cashierId: 'c1', amountFen: 100 }, 100).sale.id;
    const second = h.service.cashSale({ cashierId: 'c1', amountFen: 200 }, 200).sale.id;
    const delivered = (id: number): unknown => h.db.prepare('SELECT paid_event_delivered FROM sales WHERE id = ?').pluck().get(id);
    expect(delivered(first)).toBe(1);
    await h.service.stop();
    expect(delivered(second)).toBe(1);
  });

  it('refuses too little cash without creating the sale or spending a receipt number', () => {
    const { h } = onDisk();
    expect(() => h.service.cashSale({ cashierId: 'c1', amountFen: 500 }, 0)).toThrow();
    expect(() => h.service.cashSale({ cashierId: 'c1', amountFen: 500 }, 499)).toThrow(/不足/);
    expect(() => h.service.cashSale({ cashierId: 'c1', amountFen: 0 }, 100)).toThrow();
    expect(h.service.cashSale({ cashierId: 'c1', amountFen: 500 }, 500).sale.receiptNo).toBe(1);
    expect(h.service.listSales({ from: 0, to: Number.MAX_SAFE_INTEGER })).toHaveLength(1);
  });
});

describe('a sale started by a payment code is one commit', () => {
  it('records the sale, its lines, the micropay attempt, its outbox job and the counter sale in one commit', () => {
    const { h, file } = onDisk();
    const before = walCommitCount(file);
    const { sale, attempt } = h.service.codeSale(
      { cashierId: 'c1', shiftId: 's1', lines: [{ name: '矿泉水', unitFen: 250, quantity: 2 }] },
      '130100000000000011',
      { onCounter: true },
    );
    expect(walCommitCount(file) - before).toBe(1);
    expect(sale).toMatchObject({ state: 'open', totalFen: 500, receiptNo: 1, shiftId: 's1' });
    expect(attempt).toMatchObject({ saleId: sale.id, mode: 'micropay', amountFen: 500, state: 'queued' });
    const jobs = h.db.prepare('SELECT operation, sale_id AS saleId, state FROM outbox').all();
    expect(jobs).toEqual([{ operation: 'micropay.send', saleId: sale.id, state: 'pending' }]);
    expect(h.service.counterSale()).toBe(sale.id);
  });

  it('leaves nothing behind for a code that is not a WeChat payment code: no sale, no receipt number spent', () => {
    const { h, file } = onDisk();
    const before = walCommitCount(file);
    expect(() => h.service.codeSale({ cashierId: 'c1', amountFen: 500 }, '281234567890123456')).toThrow();
    expect(() => h.service.codeSale({ cashierId: 'c1', amountFen: 500 }, 'not a code')).toThrow();
    expect(walCommitCount(file) - before).toBe(0);
    expect(h.service.listSales({ from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual([]);
    expect(h.service.codeSale({ cashierId: 'c1', amountFen: 500 }, '130100000000000011').sale.receiptNo).toBe(1);
  });
});
