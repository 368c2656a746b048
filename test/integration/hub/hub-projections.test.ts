import type { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFacts } from '../../../electron/db/facts';
import { appMigrations } from '../../../electron/db/migrations';
import { openDatabase } from '../../../electron/db/open';
import { rebuildProjections } from '../../../electron/hub/projections/rebuild';
import { PROJECTION_TABLES } from '../../../electron/hub/projections/upsert';
import { HUB_ADMIN_PATHS, type AlertView, type StoreView } from '../../../shared/hub-admin-api';
import { HUB_PATHS, type FactEnvelope, type HubErrorBody, type HubSaleView, type PushFactsAnswer } from '../../../shared/hub-protocol';
import { writeRealisticDay } from '../../helpers/fact-day';
import { HUB_ENGINES, HUB_TEST_START, TestCounter, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';

/** The hub's projections (electron/hub/projections/) built from real counters' facts, on both engines. */
describe.each(HUB_ENGINES)('projections at the hub on %s', (engine) => {
  let t: HubUnderTest;
  let storeA = '';
  let storeB = '';
  const dirs: string[] = [];
  const counterDbs: Database[] = [];

  beforeAll(async () => {
    t = await startTestHub(engine);
    storeA = (await t.admin.setUp(t.hub.adminUrl)).storeId;
    storeB = (await t.admin.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name: '二号店' })).body.storeId;
  });
  afterAll(async () => {
    for (const db of counterDbs) db.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  const enrolled = async (storeId: string): Promise<TestCounter> => {
    const counter = new TestCounter(t.hub.url, t.clock);
    expect((await counter.enrol(await t.admin.pairingCode(storeId))).status).toBe(200);
    return counter;
  };
  /** A real counter database with a realistic day written through the counter's table modules, under this terminal id. */
  const counterDay = (terminalId: string): { db: Database; facts: FactEnvelope[] } => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-projection-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'pos.db'), appMigrations);
    counterDbs.push(db);
    writeRealisticDay(db, HUB_TEST_START - 3_600_000, terminalId);
    return { db, facts: listFacts(db, 1, 100_000).map((f) => ({ seq: f.seq, kind: f.kind, at: f.at, body: f.body })) };
  };
  const push = async (counter: TestCounter, facts: readonly FactEnvelope[]): Promise<PushFactsAnswer> => {
    const answer = await counter.pushFacts<PushFactsAnswer>(facts);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const snapshot = async (): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const table of PROJECTION_TABLES) {
      const rows = await t.hub.database.db.selectFrom(table).selectAll().execute();
      out[table] = rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();
    }
    return out;
  };
  const lookup = (counter: TestCounter, terminal: string, receiptNo: number | string) =>
    counter.signed<HubSaleView & HubErrorBody>('GET', `${HUB_PATHS.saleLookup}?terminal=${terminal}&receiptNo=${receiptNo}`);

  it("lands a day of two counters' real facts in the projection with the amounts, tenders and shifts their databases hold", async () => {
    const [a, b] = [await enrolled(storeA), await enrolled(storeA)];
    for (const counter of [a, b]) {
      const day = counterDay(counter.terminalId);
      for (let from = 0; from < day.facts.length; from += 7) await push(counter, day.facts.slice(from, from + 7));
      const db = t.hub.database.db;
      const local = day.db.prepare('SELECT id, receipt_no, state, total_fen, shift_id FROM sales ORDER BY id').all() as Record<string, unknown>[];
      const sales = await db.selectFrom('hub_sales').select(['sale_id', 'receipt_no', 'state', 'total_fen', 'shift_id', 'store_id', 'receipt_terminal'])
        .where('terminal_id', '=', counter.terminalId).orderBy('sale_id').execute();
      expect(sales).toEqual(local.map((s) => ({
        sale_id: s.id, receipt_no: s.receipt_no, state: s.state, total_fen: s.total_fen, shift_id: s.shift_id, store_id: storeA, receipt_terminal: counter.terminalId,
      })));
      const localTenders = day.db.prepare('SELECT id, sale_id, kind, amount_fen, state FROM tenders ORDER BY id').all();
      const tenders = await db.selectFrom('hub_tenders').select(['tender_id as id', 'sale_id', 'kind', 'amount_fen', 'state'])
        .where('terminal_id', '=', counter.terminalId).orderBy('tender_id').execute();
      expect(tenders).toEqual(localTenders);
      expect(tenders.map((x) => x.state)).toEqual(['paid', 'paid', 'paid']);
      const attempts = await db.selectFrom('hub_wechat_attempts').select(['out_trade_no', 'state', 'auth_code_masked', 'payer_masked', 'paid_fen'])
        .where('terminal_id', '=', counter.terminalId).orderBy('attempt_id').execute();
      expect(attempts.map((x) => [x.out_trade_no, x.state, x.paid_fen])).toEqual([[`${counter.terminalId}P000001`, 'paid', 3_300], [`${counter.terminalId}Q000002`, 'paid', 880]]);
      expect(attempts[0]?.auth_code_masked).toMatch(/\*/);
      expect(attempts.every((x) => x.payer_masked?.includes('*'))).toBe(true);
      const refunds = await db.selectFrom('hub_refunds').select(['amount_fen', 'state', 'sale_receipt_no', 'cross_counter', 'out_trade_no'])
        .where('terminal_id', '=', counter.terminalId).execute();
      expect(refunds).toEqual([{ amount_fen: 1_650, state: 'succeeded', sale_receipt_no: 2, cross_counter: 0, out_trade_no: `${counter.terminalId}P000001` }]);
      const movements = await db.selectFrom('hub_cash_movements').select(['kind', 'amount_fen', 'shift_id']).where('terminal_id', '=', counter.terminalId).orderBy('movement_id').execute();
      expect(movements).toEqual([{ kind: 'in', amount_fen: 5_000, shift_id: 'SH1' }, { kind: 'out', amount_fen: 3_000, shift_id: 'SH1' }, { kind: 'no-sale', amount_fen: 0, shift_id: 'SH1' }]);
      const shifts = await db.selectFrom('hub_shifts').select(['shift_id', 'state', 'counted_fen', 'z_no', 'store_id']).where('terminal_id', '=', counter.terminalId).execute();
      expect(shifts).toEqual([{ shift_id: 'SH1', state: 'closed', counted_fen: 23_250, z_no: 1, store_id: storeA }]);
      const z = await db.selectFrom('hub_z_reports').select(['z_no', 'sha256_verified']).where('terminal_id', '=', counter.terminalId).execute();
      expect(z).toEqual([{ z_no: 1, sha256_verified: 1 }]);
      const alerts = await db.selectFrom('hub_counter_alerts').select(['source', 'kind', 'state', 'amount_fen']).where('terminal_id', '=', counter.terminalId).orderBy('source').execute();
      expect(alerts).toEqual([{ source: 'payment', kind: 'paid-while-away', state: 'kept', amount_fen: 880 }, { source: 'risk', kind: 'failed-scans', state: 'acknowledged', amount_fen: null }]);
    }
    const paidTotal = await t.hub.database.db.selectFrom('hub_sales').select((eb) => eb.fn.sum<number | string>('total_fen').as('fen'))
      .where('store_id', '=', storeA).where('state', '=', 'paid').where('terminal_id', 'in', [a.terminalId, b.terminalId]).executeTakeFirstOrThrow();
    expect(Number(paidTotal.fen)).toBe(2 * (1_250 + 3_300 + 880));
  });

  it('builds the same projection from facts arriving out of order after a gap as a replay of the facts, and never moves a row backwards', async () => {
    const counter = await enrolled(storeA);
    const day = counterDay(counter.terminalId);
    const half = Math.floor(day.facts.length / 2);
    // The newer half first (beyond a gap), then the older half in reversed batches: every sale's older facts arrive last.
    await push(counter, day.facts.slice(half));
    const older = day.facts.slice(0, half);
    for (let end = older.length; end > 0; end -= 5) await push(counter, older.slice(Math.max(0, end - 5), end));
    const micropay = await t.hub.database.db.selectFrom('hub_sales').select(['state', 'paid_at']).where('terminal_id', '=', counter.terminalId).where('receipt_no', '=', 2).executeTakeFirstOrThrow();
    expect(micropay.state).toBe('paid');
    expect(micropay.paid_at).not.toBeNull();
    const shift = await t.hub.database.db.selectFrom('hub_shifts').select(['state', 'z_no']).where('terminal_id', '=', counter.terminalId).executeTakeFirstOrThrow();
    expect(shift).toEqual({ state: 'closed', z_no: 1 });
    const pushedOutOfOrder = await snapshot();
    const outcome = await rebuildProjections(t.hub.database.db, t.clock.now());
    expect(outcome).toEqual({ zMismatches: [], skipped: 0 });
    expect(await snapshot()).toEqual(pushedOutOfOrder);
    // Pushing everything again (a counter's retry) stores nothing and changes nothing.
    expect((await push(counter, day.facts.slice(0, 100))).stored).toBe(0);
    expect(await snapshot()).toEqual(pushedOutOfOrder);
  });

  it("replaces a sale's lines with its newest fact's, in one push or across pushes, and never with an older fact's", async () => {
    const counter = await enrolled(storeA);
    const day = counterDay(counter.terminalId);
    const template = day.facts.find((f) => f.kind === 'sale' && (JSON.parse(f.body) as { lines: unknown[] }).lines.length > 0);
    if (!template) throw new Error('the day has no sale with lines');
    const body = JSON.parse(template.body) as { saleId: number; lines: { lineNo: number; name: string }[] };
    const line = body.lines[0];
    if (!line) throw new Error('no line');
    const withLines = (n: number): string => JSON.stringify({ ...body, saleId: 9_999, lines: Array.from({ length: n }, (_, i) => ({ ...line, lineNo: i + 1, name: `第${i + 1}行` })) });
    const fact = (seq: number, lines: number): FactEnvelope => ({ seq, kind: 'sale', at: template.at, body: withLines(lines) });
    const linesAtHub = async (): Promise<string[]> =>
      (await t.hub.database.db.selectFrom('hub_sale_lines').select('name').where('terminal_id', '=', counter.terminalId).where('sale_id', '=', 9_999).orderBy('line_no').execute()).map((r) => r.name);
    await push(counter, [fact(1, 3), fact(2, 2)]); // both in one push: the newer one's two lines
    expect(await linesAtHub()).toEqual(['第1行', '第2行']);
    await push(counter, [fact(4, 1)]); // beyond a gap, newer: one line left
    expect(await linesAtHub()).toEqual(['第1行']);
    await push(counter, [fact(3, 3)]); // older, late: changes nothing
    expect(await linesAtHub()).toEqual(['第1行']);
  });

  it('keeps a Z report whose SHA-256 does not match as unverified and raises one alert', async () => {
    const counter = await enrolled(storeA);
    const body = { shiftId: 'SH9', terminalId: counter.terminalId, zNo: 9, reportJson: '{"zNo":9,"salesFen":100}', sha256: 'a'.repeat(64), createdAt: HUB_TEST_START };
    await push(counter, [{ seq: 1, kind: 'z-report', at: HUB_TEST_START, body: JSON.stringify(body) }]);
    const row = await t.hub.database.db.selectFrom('hub_z_reports').select(['sha256_verified', 'report_json']).where('terminal_id', '=', counter.terminalId).executeTakeFirstOrThrow();
    expect(row).toEqual({ sha256_verified: 0, report_json: body.reportJson });
    await rebuildProjections(t.hub.database.db, t.clock.now());
    const alerts = (await t.admin.request<AlertView[]>('GET', HUB_ADMIN_PATHS.alerts)).body.filter((x) => x.terminalId === counter.terminalId);
    expect(alerts.map((x) => x.kind)).toEqual(['z-report-mismatch']);
    expect(alerts[0]?.message).toContain('Z');
  });

  it("answers a sale lookup for the calling counter's store with refundedFen from every counter's refunds, and refuses another store's sale", async () => {
    const [a, b, other] = [await enrolled(storeA), await enrolled(storeA), await enrolled(storeB)];
    // B's refund of A's micropay sale arrives before A has pushed anything: linked as soon as the sale is there.
    const crossRefund = {
      refundId: 1, saleId: null, terminalId: b.terminalId, receiptNo: null, tenderId: null, originTerminalId: a.terminalId, originReceiptNo: 2,
      attemptId: null, outTradeNo: `${a.terminalId}P000001`, kind: 'wechat', outRefundNo: `${b.terminalId}R000001`, amountFen: 500, state: 'succeeded',
      approvedBy: 'm1', reason: '跨台退款', requestedAt: HUB_TEST_START, requestedOffline: false, wechatRefundId: '5030000009', failureCode: null, finishedAt: HUB_TEST_START,
    };
    await push(b, [{ seq: 1, kind: 'refund', at: HUB_TEST_START, body: JSON.stringify(crossRefund) }]);
    expect((await lookup(b, a.terminalId, 2)).status).toBe(404);
    await push(a, counterDay(a.terminalId).facts);

    const found = await lookup(b, a.terminalId, 2);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ terminalId: a.terminalId, receiptNo: 2, state: 'paid', totalFen: 3_300, lines: [{ name: '咖啡', unitFen: 1_650, quantity: 2, amountFen: 3_300 }] });
    expect(found.body.tenders).toEqual([
      { kind: 'wechat-code', amountFen: 3_300, state: 'paid', outTradeNo: `${a.terminalId}P000001`, transactionId: '4200000001', refundedFen: 1_650 + 500 },
    ]);
    const cash = await lookup(a, a.terminalId, 1);
    expect(cash.body.tenders).toEqual([expect.objectContaining({ kind: 'cash', amountFen: 1_250, refundedFen: 0 })]);

    const elsewhere = await lookup(other, a.terminalId, 2);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('FORBIDDEN');
    expect(JSON.stringify(elsewhere.body)).not.toContain('3300');
    expect((await lookup(b, a.terminalId, 999)).status).toBe(404);
    expect((await lookup(b, 'bad-terminal', 2)).status).toBe(400);
    expect((await lookup(b, a.terminalId, 'x')).status).toBe(400);
  });
});
