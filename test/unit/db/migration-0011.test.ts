import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getFactBacklog, getFactHead, listFacts, listUnsentFacts, recordAcknowledged } from '../../../electron/db/facts';
import { migrate } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0011Facts } from '../../../electron/db/migrations/0011-facts';
import { openDatabase } from '../../../electron/db/open';
import { insertSale, markPaidEventDelivered } from '../../../electron/db/sales';
import { insertTender } from '../../../electron/db/tenders';
import { parseFactBody } from '../../../shared/hub-facts';
import { writeRealisticDay } from '../../helpers/fact-day';

function kinds(db: ReturnType<typeof openDatabase>): string[] {
  return listFacts(db, 1, 1_000).map((f) => f.kind);
}

describe('migration 0011-facts', () => {
  it('is version 11 in the app list and creates strict tables', () => {
    expect(appMigrations[10]).toBe(migration0011Facts);
    const db = openDatabase(':memory:', appMigrations);
    for (const name of ['facts', 'fact_head', 'hub_link', 'secrets']) {
      const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) as { sql: string } | undefined;
      expect(table?.sql).toMatch(/\) STRICT$/);
    }
    db.close();
  });

  it('writes a fact for every money and audit change of a day, numbered 1..n, and none for bookkeeping updates', () => {
    const db = openDatabase(':memory:', appMigrations);
    writeRealisticDay(db);
    const facts = listFacts(db, 1, 1_000);
    expect(facts.map((f) => f.seq)).toEqual(facts.map((_, i) => i + 1));
    expect(kinds(db)).toEqual([
      'shift', // opened
      'audit',
      'sale', // cash tender added (paid)
      'sale', // sale paid
      'sale', // micropay tender added (pending)
      'wechat-attempt', // paid (not on sending / USERPAYING / send_count)
      'sale', // tender paid
      'sale', // sale paid (not on paid_event_delivered)
      'sale', // QR tender added
      'wechat-attempt',
      'sale',
      'sale',
      'payment-alert', // raised
      'payment-alert', // kept
      'sale', // voided
      'refund', // queued
      'refund', // processing (not on send_count)
      'refund', // succeeded
      'cash-movement',
      'cash-movement',
      'cash-movement',
      'risk-alert', // raised (not on the count going up)
      'risk-alert', // acknowledged
      'shift', // counted
      'shift', // closed
      'z-report',
      'audit',
    ]);
    expect(getFactHead(db)).toEqual({ seq: facts.length, acked: 0 });
    db.close();
  });

  it('writes nothing when the domain write rolls back, and leaves no hole in the numbers', () => {
    const db = openDatabase(':memory:', appMigrations);
    writeRealisticDay(db);
    const before = getFactHead(db).seq;
    expect(() =>
      db.transaction(() => {
        const id = insertSale(db, { terminalId: 'T01', receiptNo: 900, cashierId: 'c1', shiftId: null, description: 'x', totalFen: 100, createdAt: 1 });
        insertTender(db, { saleId: id, kind: 'cash', amountFen: 100, state: 'paid', createdAt: 2 });
        throw new Error('printer on fire');
      })(),
    ).toThrow('printer on fire');
    expect(getFactHead(db).seq).toBe(before);
    const id = insertSale(db, { terminalId: 'T01', receiptNo: 901, cashierId: 'c1', shiftId: null, description: 'x', totalFen: 100, createdAt: 3 });
    insertTender(db, { saleId: id, kind: 'cash', amountFen: 100, state: 'paid', createdAt: 4 });
    markPaidEventDelivered(db, id);
    expect(listFacts(db, before, 10).map((f) => f.seq)).toEqual([before, before + 1]);
    db.close();
  });

  it('keeps numbering gapless across a reopen and many operations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'facts-'));
    try {
      const path = join(dir, 'pos.db');
      let db = openDatabase(path, appMigrations);
      writeRealisticDay(db);
      db.close();
      db = openDatabase(path, appMigrations);
      for (let i = 0; i < 60; i++) {
        const id = insertSale(db, { terminalId: 'T02', receiptNo: i + 1, cashierId: 'c1', shiftId: null, description: 'x', totalFen: 100 + i, createdAt: i });
        insertTender(db, { saleId: id, kind: 'cash', amountFen: 100 + i, state: 'paid', createdAt: i });
      }
      const seqs = listFacts(db, 1, 10_000).map((f) => f.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to change a fact, to delete one the hub has not acknowledged, or to move the high-water back', () => {
    const db = openDatabase(':memory:', appMigrations);
    writeRealisticDay(db);
    expect(() => db.prepare("UPDATE facts SET body = '{}' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM facts WHERE seq = 1').run()).toThrow(/not acknowledged/);
    expect(recordAcknowledged(db, 5)).toBe(true);
    expect(recordAcknowledged(db, 3)).toBe(true);
    expect(getFactHead(db).acked).toBe(5);
    expect(recordAcknowledged(db, 10_000)).toBe(false);
    expect(() => db.prepare('UPDATE fact_head SET acked = 2').run()).toThrow(/forward/);
    expect(db.prepare('DELETE FROM facts WHERE seq <= 5').run().changes).toBe(5);
    expect(listUnsentFacts(db, 2).map((f) => f.seq)).toEqual([6, 7]);
    expect(getFactBacklog(db).count).toBe(getFactHead(db).seq - 5);
    db.close();
  });

  it('backfills the rows that exist already, one fact each, oldest first, and the triggers continue the numbers', () => {
    const db = openDatabase(':memory:', appMigrations.slice(0, 10));
    writeRealisticDay(db);
    migrate(db, appMigrations);
    const facts = listFacts(db, 1, 1_000);
    expect(facts.map((f) => f.seq)).toEqual(facts.map((_, i) => i + 1));
    const ats = facts.map((f) => f.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    const count = (kind: string): number => facts.filter((f) => f.kind === kind).length;
    expect({ sale: count('sale'), attempt: count('wechat-attempt'), refund: count('refund'), cash: count('cash-movement'), shift: count('shift'), z: count('z-report'), audit: count('audit'), risk: count('risk-alert'), payment: count('payment-alert') })
      .toEqual({ sale: 4, attempt: 2, refund: 1, cash: 3, shift: 1, z: 1, audit: 2, risk: 1, payment: 1 });
    for (const f of facts) expect(parseFactBody(f.kind, f.body)).toMatchObject({ ok: true });
    expect(JSON.parse(facts.find((f) => f.kind === 'shift')!.body)).toMatchObject({ event: 'closed', zNo: 1 });
    const n = facts.length;
    insertSale(db, { terminalId: 'T01', receiptNo: 77, cashierId: 'c1', shiftId: null, description: 'x', totalFen: 1, createdAt: 1 });
    insertTender(db, { saleId: 5, kind: 'cash', amountFen: 1, state: 'paid', createdAt: 1 });
    expect(getFactHead(db).seq).toBe(n + 1);
    db.close();
  });
});
