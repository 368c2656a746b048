import type { Clock } from '../../shared/clock';
import { parseFactBody } from '../../shared/hub-facts';
import type { Logger } from '../../shared/log';
import type { PushFactsAnswer, PushFactsRequest } from '../../shared/hub-protocol';
import { raiseAlert } from './db/alerts';
import type { HubDatabase } from './db/database';
import { factBodies, insertFacts, seqsAbove, type FactRow } from './db/facts';
import { recordNonce } from './db/request-nonces';
import { markRollupDays } from './db/rollup-marks';
import { setHighWaterAndLastSeen, type TerminalRow } from './db/terminals';
import { replayed } from './counter-auth';
import { applyFacts } from './projections/apply';
import { namedWechatOrders, settleAwaiting } from './notify/record';
import { HubHttpError, badRequest } from './http/io';
import { sha256Hex } from './passwords';

/**
 * Stores a terminal's batch of facts, exactly once each:
 * - every body is checked first against its kind's schema (parseFactBody, shared/hub-facts.ts); one bad fact refuses the whole batch and nothing is stored, so
 *   the counter's outbox keeps them in order and its operator sees the refusal;
 * - all facts go in one transaction with `ON CONFLICT (terminal_id, seq) DO NOTHING`; a number already held is
 *   compared by body text: identical is a harmless repeat, different raises an alert and the hub's copy stands;
 * - the high-water mark (every number up to it is held) advances over the gapless prefix; facts beyond a hole raise
 *   one gap alert per hole (keyed by its first missing number).
 * - facts new to the hub are projected (projections/apply.ts) in the same transaction, and the store-days whose
 *   dashboard rollups they change are marked for the rollup job (projections/rollup-job.ts), which rebuilds them
 *   shortly after: the push no longer pays for a store-day's rebuild.
 * On PostgreSQL the terminal's row is locked for the transaction, so two pushes from one terminal (a retry racing
 * its original) are applied one after the other and the high-water mark cannot miss the other's facts. SQLite's
 * single connection serializes transactions already.
 */
export async function pushFacts(database: HubDatabase, clock: Clock, log: Logger, terminal: TerminalRow & { nonce: string }, request: PushFactsRequest): Promise<PushFactsAnswer> {
  const bySeq = new Map<number, PushFactsRequest['facts'][number]>();
  /** Each body as checked: the projections use it as it is instead of parsing and checking it a second time. */
  const checkedBodies = new Map<number, Record<string, unknown>>();
  for (const fact of request.facts) {
    const checked = parseFactBody(fact.kind, fact.body);
    // The reason names the field, never the body (it may hold amounts or masked payers the refusal log does not need).
    if (!checked.ok) throw badRequest(`fact ${fact.seq}: ${checked.error}`);
    const twin = bySeq.get(fact.seq);
    if (twin && (twin.body !== fact.body || twin.kind !== fact.kind)) throw badRequest(`fact ${fact.seq} appears twice with different bodies`);
    bySeq.set(fact.seq, fact);
    checkedBodies.set(fact.seq, checked.value);
  }
  const { db, engine } = database;
  return db.transaction().execute(async (trx) => {
    let lock = trx.selectFrom('terminals').select(['revoked_at', 'high_water']).where('terminal_id', '=', terminal.terminal_id);
    if (engine === 'postgres') lock = lock.forUpdate();
    const current = await lock.executeTakeFirstOrThrow();
    // Revoked between the signature check and now: still nothing is stored.
    if (current.revoked_at !== null) throw new HubHttpError(401, 'REVOKED', '此终端已在总部停用 / This terminal was revoked at the hub');
    const now = clock.now();
    // The signature's nonce, in this transaction (authenticateCounter deferred it): a replay stores nothing.
    if (!(await recordNonce(trx, terminal.terminal_id, terminal.nonce, now))) throw replayed();
    const rows: FactRow[] = [...bySeq.values()].map((f) => ({
      terminal_id: terminal.terminal_id, seq: f.seq, store_id: terminal.store_id, kind: f.kind, at: f.at, body: f.body, received_at: now,
    }));
    const inserted = await insertFacts(trx, engine, rows);
    // Only facts new to the hub reach the projections, in the same transaction: a fact is stored and projected, or neither.
    const fresh = rows.filter((r) => inserted.has(r.seq)).sort((a, b) => a.seq - b.seq).map((r) => ({ ...r, value: checkedBodies.get(r.seq) }));
    const projected = await applyFacts(trx, fresh, now);
    // A WeChat notification that came before the fact naming its order is matched now, in this transaction.
    await settleAwaiting(trx, now, namedWechatOrders(fresh));
    for (const z of projected.zMismatches) log.warn('hub: a Z report does not match its SHA-256', { terminal: z.terminalId, zNo: z.zNo });
    const held = rows.filter((r) => !inserted.has(r.seq));
    const stored = await factBodies(trx, terminal.terminal_id, held.map((r) => r.seq));
    const conflicting: number[] = [];
    for (const row of held) {
      const hubBody = stored.get(row.seq);
      if (hubBody === undefined || hubBody === row.body) continue;
      conflicting.push(row.seq);
      const isNew = await raiseAlert(trx, {
        dedupe_key: `fact-conflict:${terminal.terminal_id}:${row.seq}:${sha256Hex(row.body)}`,
        kind: 'fact-conflict', store_id: terminal.store_id, terminal_id: terminal.terminal_id, raised_at: now,
        detail: JSON.stringify({ seq: row.seq, hubBodySha256: sha256Hex(hubBody), refusedBodySha256: sha256Hex(row.body) }),
      });
      if (isNew) log.warn('hub: a fact differs from the one held under its number; the hub keeps its copy', { terminal: terminal.terminal_id, seq: row.seq });
    }
    // Every number of this push is held now (stored or already there): the mark walks over them in memory, then over
    // what earlier pushes left beyond them (usually nothing, one short read), which also finds a gap's far side.
    let walked = current.high_water;
    for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) {
      if (seq === walked + 1) walked = seq;
      else if (seq > walked + 1) break;
    }
    const { highWater, nextHeld } = await advanceHighWater(trx, terminal.terminal_id, walked);
    await setHighWaterAndLastSeen(trx, terminal.terminal_id, Math.max(highWater, current.high_water), now);
    if (nextHeld !== null) {
      const missingFrom = highWater + 1;
      const isNew = await raiseAlert(trx, {
        dedupe_key: `fact-gap:${terminal.terminal_id}:${missingFrom}`,
        kind: 'fact-gap', store_id: terminal.store_id, terminal_id: terminal.terminal_id, raised_at: now,
        detail: JSON.stringify({ missingFrom, nextHeld }),
      });
      if (isNew) log.warn('hub: facts arrived beyond a gap', { terminal: terminal.terminal_id, missingFrom, nextHeld });
    }
    // Last, so the mark's row is held only until the commit: the dashboards' rollups of the store-days these facts
    // changed are rebuilt by the rollup job (projections/rollup-job.ts), not here.
    await markRollupDays(trx, projected.rollupDays, now);
    return { highWater, stored: inserted.size, conflicting: conflicting.sort((a, b) => a - b) };
  });
}

/**
 * Walks the held numbers above `from` while they follow each other without a hole: the new mark, and the first
 * number held beyond a hole (null when nothing is held beyond the mark).
 */
async function advanceHighWater(db: HubDatabase['db'], terminalId: string, from: number): Promise<{ highWater: number; nextHeld: number | null }> {
  let highWater = from;
  for (;;) {
    const next = await seqsAbove(db, terminalId, highWater, 1000);
    for (const seq of next) {
      if (seq !== highWater + 1) return { highWater, nextHeld: seq };
      highWater = seq;
    }
    if (next.length < 1000) return { highWater, nextHeld: null };
  }
}
