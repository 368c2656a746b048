import type { Database } from 'better-sqlite3';
import type { HubDb } from '../../electron/hub/db/database';
import { getHubLink } from '../../electron/db/hub-link';

/**
 * The hub's "Done when" invariants after counters drained (issue 13), as a list of violations (empty = held):
 * - every counter's facts are at the hub byte for byte (kind, at, body) under the same numbers, and nothing else
 *   is stored for its terminal: the hub's numbers are gapless 1..n and its high-water is n = the counter's last;
 * - every sale in the counter's database is at the hub: the newest `sale` fact per (terminal, saleId) has the
 *   sale's state, total, lines and tenders (id, kind, amount, state) as the counter's rows say;
 * - no fact-gap or fact-conflict alert was raised, and no fact at the hub belongs to no counter.
 * A sale rung but never tendered nor voided has no fact yet (migration 0011 writes a sale's fact when a tender is
 * added or its state changes: until then it carries no money); such a sale is only counted, not required.
 */
export interface CounterUnderCheck {
  name: string;
  db: Database;
}

interface HubFact {
  terminal_id: string;
  seq: number;
  kind: string;
  at: number;
  body: string;
}

export interface InvariantReport {
  violations: string[];
  /** Per counter: facts, sales at the hub, sales never tendered (no fact by design). */
  counts: Record<string, { facts: number; sales: number; untendered: number }>;
}

export async function hubInvariantViolations(hub: HubDb, counters: readonly CounterUnderCheck[]): Promise<InvariantReport> {
  const violations: string[] = [];
  const counts: InvariantReport['counts'] = {};
  const all = (await hub.selectFrom('facts').select(['terminal_id', 'seq', 'kind', 'at', 'body']).orderBy('terminal_id').orderBy('seq').execute()) as HubFact[];
  const terminals = await hub.selectFrom('terminals').select(['terminal_id', 'high_water']).execute();
  const alerts = await hub.selectFrom('alerts').select(['kind', 'terminal_id', 'detail']).execute();
  for (const a of alerts) violations.push(`alert ${a.kind} for ${a.terminal_id}: ${a.detail}`);
  const known = new Set<string>();
  for (const counter of counters) {
    const terminalId = getHubLink(counter.db)?.terminal_id;
    if (terminalId === undefined) {
      violations.push(`${counter.name}: not enrolled`);
      continue;
    }
    known.add(terminalId);
    const mine = counterFacts(counter.db);
    const atHub = all.filter((f) => f.terminal_id === terminalId);
    const head = counter.db.prepare('SELECT seq, acked FROM fact_head WHERE id = 1').get() as { seq: number; acked: number };
    if (head.acked !== head.seq) violations.push(`${counter.name}: acknowledged ${head.acked} of ${head.seq} facts`);
    if (mine.length !== head.seq) violations.push(`${counter.name}: ${mine.length} facts kept, head at ${head.seq}`);
    atHub.forEach((f, i) => {
      if (f.seq !== i + 1) violations.push(`${counter.name}: the hub's numbers are not gapless at ${i + 1} (holds ${f.seq})`);
    });
    if (atHub.length !== mine.length) violations.push(`${counter.name}: the hub holds ${atHub.length} facts, the counter wrote ${mine.length}`);
    const hubBySeq = new Map(atHub.map((f) => [f.seq, f]));
    for (const f of mine) {
      const h = hubBySeq.get(f.seq);
      if (!h) violations.push(`${counter.name}: fact ${f.seq} (${f.kind}) missing at the hub`);
      else if (h.body !== f.body || h.kind !== f.kind || h.at !== f.at) violations.push(`${counter.name}: fact ${f.seq} differs at the hub`);
    }
    const counterSeqs = new Set(mine.map((f) => f.seq));
    for (const h of atHub) if (!counterSeqs.has(h.seq)) violations.push(`${counter.name}: the hub holds fact ${h.seq} the counter never wrote`);
    const highWater = terminals.find((t) => t.terminal_id === terminalId)?.high_water;
    if (highWater !== head.seq) violations.push(`${counter.name}: the hub's high-water is ${highWater}, the counter's last fact ${head.seq}`);
    const sales = compareSales(counter, terminalId, atHub, violations);
    counts[counter.name] = { facts: mine.length, ...sales };
  }
  for (const f of all) if (!known.has(f.terminal_id)) violations.push(`the hub holds fact ${f.terminal_id}/${f.seq} of no counter under test`);
  return { violations, counts };
}

function counterFacts(db: Database): { seq: number; kind: string; at: number; body: string }[] {
  return db.prepare('SELECT seq, kind, at, body FROM facts ORDER BY seq').all() as { seq: number; kind: string; at: number; body: string }[];
}

interface SaleFactBody {
  saleId: number;
  terminalId: string;
  state: string;
  totalFen: number;
  lines: { lineNo: number; name: string; amountFen: number }[];
  tenders: { tenderId: number; kind: string; amountFen: number; state: string }[];
}

function compareSales(counter: CounterUnderCheck, terminalId: string, atHub: readonly HubFact[], violations: string[]): { sales: number; untendered: number } {
  const newest = new Map<number, SaleFactBody>();
  for (const f of atHub) {
    if (f.kind !== 'sale') continue;
    const body = JSON.parse(f.body) as SaleFactBody;
    newest.set(body.saleId, body); // ascending seq: the last one wins
  }
  const sales = counter.db.prepare('SELECT id, terminal_id, state, total_fen FROM sales ORDER BY id').all() as { id: number; terminal_id: string; state: string; total_fen: number }[];
  const tenders = counter.db.prepare('SELECT id, sale_id, kind, amount_fen, state FROM tenders ORDER BY id').all() as { id: number; sale_id: number; kind: string; amount_fen: number; state: string }[];
  const lines = counter.db.prepare('SELECT sale_id, line_no, name, amount_fen FROM sale_lines ORDER BY sale_id, line_no').all() as { sale_id: number; line_no: number; name: string; amount_fen: number }[];
  let untendered = 0;
  for (const sale of sales) {
    const mine = tenders.filter((t) => t.sale_id === sale.id);
    const hub = newest.get(sale.id);
    newest.delete(sale.id);
    if (!hub) {
      if (sale.state === 'open' && mine.length === 0) untendered += 1;
      else violations.push(`${counter.name}: sale ${sale.id} (${sale.state}, ${mine.length} tenders) is not at the hub`);
      continue;
    }
    const want = {
      terminalId: sale.terminal_id, state: sale.state, totalFen: sale.total_fen,
      lines: lines.filter((l) => l.sale_id === sale.id).map((l) => ({ lineNo: l.line_no, name: l.name, amountFen: l.amount_fen })),
      tenders: mine.map((t) => ({ tenderId: t.id, kind: t.kind, amountFen: t.amount_fen, state: t.state })),
    };
    const got = {
      terminalId: hub.terminalId, state: hub.state, totalFen: hub.totalFen,
      lines: hub.lines.map((l) => ({ lineNo: l.lineNo, name: l.name, amountFen: l.amountFen })),
      tenders: hub.tenders.map((t) => ({ tenderId: t.tenderId, kind: t.kind, amountFen: t.amountFen, state: t.state })),
    };
    if (JSON.stringify(want) !== JSON.stringify(got)) violations.push(`${counter.name}: sale ${sale.id} differs at the hub: counter ${JSON.stringify(want)} hub ${JSON.stringify(got)}`);
    if (sale.terminal_id !== terminalId) violations.push(`${counter.name}: sale ${sale.id} names terminal ${sale.terminal_id}, enrolled as ${terminalId}`);
  }
  for (const saleId of newest.keys()) violations.push(`${counter.name}: the hub has sale ${saleId} the counter does not`);
  return { sales: sales.length - untendered, untendered };
}
