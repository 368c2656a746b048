import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  parseFactBody,
  type cashMovementFactSchema, type paymentAlertFactSchema, type refundFactSchema, type riskAlertFactSchema, type saleFactSchema,
  type shiftFactSchema, type wechatAttemptFactSchema, type zReportFactSchema,
} from '../../../shared/hub-facts';
import { raiseAlert } from '../db/alerts';
import type { HubDb } from '../db/database';
import type { HubTables } from '../db/schema';
import type { RollupMark } from '../db/rollup-marks';
import { localDay } from './rollups';
import { upsertNewerMany, type ProjectionTable } from './upsert';

/** A stored fact as the projections read it: who sent it (authenticated terminal and its store) and its text. */
export interface StoredFact {
  terminal_id: string;
  store_id: string;
  seq: number;
  kind: string;
  body: string;
  /**
   * The body already checked against its kind's schema (parseFactBody), when the caller has it: the intake checked
   * every body before storing it. Without it (a rebuild reading stored facts) the body is checked here.
   */
  value?: Record<string, unknown>;
}

export interface ApplyOutcome {
  /** Z reports whose SHA-256, recomputed here, differs from the counter's: an alert was raised for each. */
  zMismatches: { terminalId: string; zNo: number }[];
  /** Facts whose body no longer passes its schema (stored before bodies were checked): left out of the projection. */
  skipped: number;
  /**
   * The (store, local day, terminal) whose dashboard rollups these facts change: a sale or attempt by when it was
   * rung up or scanned, a refund by when it was asked for. The intake marks them for the rollup job; a rebuild
   * builds every rollup anyway.
   */
  rollupDays: RollupMark[];
}

/**
 * Builds the projection rows of each fact, in the caller's transaction. Facts may come in any order (a backlog after
 * a gap, a rebuild): every row is written only if its fact is newer than the one it was built from (upsertNewerMany),
 * and a sale's lines and tenders follow the sale row, so the result depends on the set of facts, not on their order.
 * A fact's sale, refund, movement or report is filed under the shift its body names, however late it arrives.
 */
export async function applyFacts(db: HubDb, facts: readonly StoredFact[], now: number): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { zMismatches: [], skipped: 0, rollupDays: [] };
  const batch = new ProjectionBatch();
  const touched = new Map<string, RollupMark>();
  for (const fact of facts) {
    const checked = fact.value !== undefined ? { ok: true as const, value: fact.value } : parseFactBody(fact.kind, fact.body);
    if (!checked.ok || !(await collectOne(db, batch, fact, checked.value, now, outcome))) {
      outcome.skipped += 1;
      continue;
    }
    const at = rollupTime(fact.kind, checked.value);
    if (at !== null) {
      const day = localDay(at);
      touched.set(`${fact.store_id}\u0000${day}\u0000${fact.terminal_id}`, { store_id: fact.store_id, day, terminal_id: fact.terminal_id });
    }
  }
  await batch.write(db);
  outcome.rollupDays = [...touched.values()];
  return outcome;
}

function rollupTime(kind: string, body: Record<string, unknown>): number | null {
  const at = kind === 'sale' || kind === 'wechat-attempt' ? body.createdAt : kind === 'refund' ? body.requestedAt : null;
  return typeof at === 'number' ? at : null;
}

type Pending = { keys: readonly string[]; rows: Map<string, { source_seq: number }> };
type SaleBody = z.infer<typeof saleFactSchema>;

/**
 * The rows a set of facts makes, newest fact per row key, written table by table in multi-row statements
 * (upsertNewerMany): the same rows row-by-row application in seq order would leave, with a statement per table
 * and chunk instead of one per row.
 */
class ProjectionBatch {
  private readonly tables = new Map<ProjectionTable, Pending>();
  /** Newest sale fact per sale: its row, and (only if that row moves) its lines and tenders. */
  private readonly sales = new Map<string, { fact: StoredFact; body: SaleBody }>();

  upsert<T extends ProjectionTable>(table: T, keys: readonly (keyof HubTables[T] & string)[], row: HubTables[T]): void {
    let pending = this.tables.get(table);
    if (!pending) {
      pending = { keys, rows: new Map() };
      this.tables.set(table, pending);
    }
    const values = row as unknown as Record<string, unknown> & { source_seq: number };
    const key = keys.map((k) => String(values[k])).join('\u0000');
    const held = pending.rows.get(key);
    if (!held || held.source_seq < values.source_seq) pending.rows.set(key, values);
  }

  sale(fact: StoredFact, body: SaleBody): void {
    const key = `${fact.terminal_id}\u0000${body.saleId}`;
    const held = this.sales.get(key);
    if (!held || held.fact.seq < fact.seq) this.sales.set(key, { fact, body });
  }

  async write(db: HubDb): Promise<void> {
    await this.writeSales(db);
    for (const [table, pending] of this.tables) {
      await upsertNewerMany(db, table, pending.keys as never, [...pending.rows.values()] as never);
    }
  }

  private async writeSales(db: HubDb): Promise<void> {
    if (this.sales.size === 0) return;
    const sales = [...this.sales.values()];
    const moved = await upsertNewerMany(db, 'hub_sales', ['terminal_id', 'sale_id'], sales.map(({ fact, body: s }) => ({
      terminal_id: fact.terminal_id, sale_id: s.saleId, store_id: fact.store_id, receipt_terminal: s.terminalId,
      receipt_no: s.receiptNo, state: s.state, description: s.description, total_fen: s.totalFen, cashier_id: s.cashierId,
      shift_id: s.shiftId, created_at: s.createdAt, paid_at: s.paidAt, voided_at: s.voidedAt, void_reason: s.voidReason,
      source_seq: fact.seq,
    })));
    const movedKeys = new Set(moved.map(([terminal, saleId]) => `${terminal}\u0000${saleId}`));
    const children = new ProjectionBatch();
    const movedByTerminal = new Map<string, number[]>();
    for (const [key, { fact, body: s }] of this.sales) {
      if (!movedKeys.has(key)) continue;
      movedByTerminal.set(fact.terminal_id, [...(movedByTerminal.get(fact.terminal_id) ?? []), s.saleId]);
      for (const l of s.lines) {
        children.upsert('hub_sale_lines', ['terminal_id', 'sale_id', 'line_no'], {
          terminal_id: fact.terminal_id, sale_id: s.saleId, line_no: l.lineNo, name: l.name, unit_fen: l.unitFen,
          quantity: l.quantity, amount_fen: l.amountFen, source_seq: fact.seq,
        });
      }
      for (const t of s.tenders) {
        children.upsert('hub_tenders', ['terminal_id', 'tender_id'], {
          terminal_id: fact.terminal_id, tender_id: t.tenderId, sale_id: s.saleId, kind: t.kind, amount_fen: t.amountFen,
          state: t.state, tendered_fen: t.tenderedFen, change_fen: t.changeFen, out_trade_no: t.outTradeNo,
          transaction_id: t.transactionId, created_at: t.createdAt, settled_at: t.settledAt, source_seq: fact.seq,
        });
      }
    }
    await children.write(db);
    // Lines or tenders the newer fact no longer has (none today; a counter may drop a line before paying one day):
    // whatever is older than its sale row now is gone from the sale.
    for (const [terminalId, saleIds] of movedByTerminal) {
      for (let at = 0; at < saleIds.length; at += 1_000) {
        const ids = saleIds.slice(at, at + 1_000);
        for (const table of ['hub_sale_lines', 'hub_tenders'] as const) {
          await db.deleteFrom(table).where('terminal_id', '=', terminalId).where('sale_id', 'in', ids)
            .where('source_seq', '<', (eb) => eb.selectFrom('hub_sales').select('hub_sales.source_seq')
              .whereRef('hub_sales.terminal_id', '=', `${table}.terminal_id`).whereRef('hub_sales.sale_id', '=', `${table}.sale_id`))
            .execute();
        }
      }
    }
  }
}

/**
 * `body` passed parseFactBody for `fact.kind`, i.e. exactly that kind's schema (factBodySchemas), so each case takes
 * it as its kind's type without checking it again.
 */
async function collectOne(db: HubDb, batch: ProjectionBatch, fact: StoredFact, body: Record<string, unknown>, now: number, outcome: ApplyOutcome): Promise<boolean> {
  const base = { terminal_id: fact.terminal_id, source_seq: fact.seq };
  switch (fact.kind) {
    case 'sale': {
      batch.sale(fact, body as SaleBody);
      return true;
    }
    case 'wechat-attempt': {
      const a = body as z.infer<typeof wechatAttemptFactSchema>;
      batch.upsert('hub_wechat_attempts', ['terminal_id', 'attempt_id'], {
        ...base, attempt_id: a.attemptId, store_id: fact.store_id, sale_id: a.saleId, tender_id: a.tenderId, mode: a.mode,
        out_trade_no: a.outTradeNo, amount_fen: a.amountFen, state: a.state, auth_code_masked: a.authCodeMasked,
        payer_masked: a.payerMasked, transaction_id: a.transactionId, paid_fen: a.paidFen, success_time: a.successTime,
        failure_code: a.failureCode, created_at: a.createdAt, resolved_at: a.resolvedAt, first_sent_at: a.firstSentAt ?? null,
      });
      return true;
    }
    case 'refund': {
      const r = body as z.infer<typeof refundFactSchema>;
      const crossCounter = r.originTerminalId != null && r.originReceiptNo != null;
      batch.upsert('hub_refunds', ['terminal_id', 'refund_id'], {
        ...base, refund_id: r.refundId, store_id: fact.store_id,
        sale_receipt_terminal: crossCounter ? (r.originTerminalId as string) : r.terminalId,
        sale_receipt_no: crossCounter ? (r.originReceiptNo as number) : (r.receiptNo as number),
        local_sale_id: crossCounter ? null : r.saleId, local_tender_id: crossCounter ? null : r.tenderId,
        cross_counter: crossCounter ? 1 : 0, kind: r.kind, out_trade_no: r.outTradeNo, out_refund_no: r.outRefundNo,
        amount_fen: r.amountFen, state: r.state, approved_by: r.approvedBy, reason: r.reason, requested_at: r.requestedAt,
        wechat_refund_id: r.wechatRefundId, finished_at: r.finishedAt,
      });
      return true;
    }
    case 'cash-movement': {
      const m = body as z.infer<typeof cashMovementFactSchema>;
      batch.upsert('hub_cash_movements', ['terminal_id', 'movement_id'], {
        ...base, movement_id: m.movementId, store_id: fact.store_id, shift_id: m.shiftId, kind: m.kind, amount_fen: m.amountFen,
        reason: m.reason, actor_id: m.actorId, actor_name: m.actorName, approved_by: m.approvedBy, at: m.at,
      });
      return true;
    }
    case 'shift': {
      const sh = body as z.infer<typeof shiftFactSchema>;
      batch.upsert('hub_shifts', ['terminal_id', 'shift_id'], {
        ...base, shift_id: sh.shiftId, store_id: fact.store_id, cashier_id: sh.cashierId, cashier_name: sh.cashierName,
        state: sh.state, opening_float_fen: sh.openingFloatFen, opened_at: sh.openedAt, counted_fen: sh.countedFen,
        counted_at: sh.countedAt, expected_cash_fen: sh.expectedCashFen, difference_fen: sh.differenceFen,
        countersigned_by: sh.countersignedBy, closed_by: sh.closedBy, closed_at: sh.closedAt, z_no: sh.zNo,
      });
      return true;
    }
    case 'z-report': {
      const z = body as z.infer<typeof zReportFactSchema>;
      const recomputed = createHash('sha256').update(z.reportJson, 'utf8').digest('hex');
      const verified = recomputed === z.sha256;
      batch.upsert('hub_z_reports', ['terminal_id', 'z_no'], {
        ...base, z_no: z.zNo, store_id: fact.store_id, shift_id: z.shiftId, report_json: z.reportJson, sha256: z.sha256,
        sha256_verified: verified ? 1 : 0, created_at: z.createdAt,
      });
      if (!verified) {
        // Keyed by the report and the claimed hash: raised once, also when a rebuild replays the fact.
        const isNew = await raiseAlert(db, {
          dedupe_key: `z-report-mismatch:${fact.terminal_id}:${z.zNo}:${z.sha256}`, kind: 'z-report-mismatch',
          store_id: fact.store_id, terminal_id: fact.terminal_id, raised_at: now,
          detail: JSON.stringify({ zNo: z.zNo, shiftId: z.shiftId, seq: fact.seq, claimedSha256: z.sha256, recomputedSha256: recomputed }),
        });
        if (isNew) outcome.zMismatches.push({ terminalId: fact.terminal_id, zNo: z.zNo });
      }
      return true;
    }
    case 'risk-alert': {
      const r = body as z.infer<typeof riskAlertFactSchema>;
      batch.upsert('hub_counter_alerts', ['terminal_id', 'source', 'alert_id'], {
        ...base, source: 'risk', alert_id: r.alertId, store_id: fact.store_id, kind: r.kind,
        state: r.acknowledgedAt !== null ? 'acknowledged' : 'open', amount_fen: null,
        detail: JSON.stringify({ actorId: r.actorId, count: r.count, windowMs: r.windowMs }), raised_at: r.at,
        resolved_at: r.acknowledgedAt, resolved_by: r.acknowledgedBy,
      });
      return true;
    }
    case 'payment-alert': {
      const p = body as z.infer<typeof paymentAlertFactSchema>;
      batch.upsert('hub_counter_alerts', ['terminal_id', 'source', 'alert_id'], {
        ...base, source: 'payment', alert_id: p.alertId, store_id: fact.store_id, kind: 'paid-while-away', state: p.state,
        amount_fen: p.amountFen,
        detail: JSON.stringify({ saleId: p.saleId, receiptNo: p.receiptNo, outTradeNo: p.outTradeNo, counterSaleId: p.counterSaleId }),
        raised_at: p.paidAt, resolved_at: p.resolvedAt, resolved_by: p.resolvedBy,
      });
      return true;
    }
    case 'audit':
      // The audit chain stays in the raw facts (verified there, in order); no projection row.
      return true;
    default:
      return false;
  }
}
