import { createHash } from 'node:crypto';
import { beijingDate, type Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import { beijingDayStart, billReadyAt } from '../../wechat/bills/beijing-day';
import { BillFormatError, parseBill } from '../../wechat/bills/bill-parse';
import { parseFundFlowBill } from '../../wechat/bills/fund-flow-parse';
import type { BillResult, WechatOutcome, WechatPayClient } from '../../wechat/types';
import {
  dueBillDays, ensureBillDay, markReconciled, reconciledTradeDays, replaceBillLines, replaceFundFlowLines, updateBillDay, type BillDayRow, type BillKind,
  type BillLineRow, type FundFlowLineRow,
} from '../db/bill-days';
import type { HubDb } from '../db/database';
import { arrivedSince } from '../db/recon-local';
import { findStore } from '../db/stores';
import type { HubMerchant, HubMerchantDirectory } from '../merchants/directory';
import { GONE_NOTES, reconcileMerchantDay, type ReconCounts } from './reconcile';
import { SingleFlight } from '../../../shared/single-flight';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** WeChat says "creating" until the bill is ready: ask again in half an hour (as the counter does). */
const CREATING_RETRY_MS = 30 * MINUTE;
/** Other trouble (network, 5xx, a refusal): a minute, doubling to an hour. */
const RETRY_BASE_MS = MINUTE;
const RETRY_CAP_MS = 60 * MINUTE;
/** A day gives up two days after its bill was due: WeChat has it by then or will not (the head office sees why). */
const DEADLINE_AFTER_DUE_MS = 2 * DAY;
/** Days looked back on each tick: a hub that was down over a weekend still fetches every day it missed. */
export const BILL_LOOKBACK_DAYS = 7;
/**
 * Late facts are looked for back this far (a counter offline for a fortnight still corrects its days). A fact or
 * notification received up to LATE_MARGIN_MS before a day's reconciliation also counts as late: on PostgreSQL one
 * may commit after the reconciliation's snapshot with an earlier time; the day is then just reconciled once more.
 */
const REMATCH_LOOKBACK_DAYS = 14;
const LATE_MARGIN_MS = MINUTE;

export interface HubBillJobDeps {
  db: HubDb;
  merchants: HubMerchantDirectory;
  clientFor: (merchant: HubMerchant) => WechatPayClient;
  clock: Clock;
  log: Logger;
  /** After a merchant's day is reconciled (tests and logs). */
  onReconciled?: (mchid: string, billDate: string, counts: ReconCounts) => void;
}

type Got = { kind: 'bill'; csv: string } | { kind: 'no-bill' };

/**
 * The hub's bill download (issue 14): after 10:00 Beijing time, for every merchant of the directory, the previous
 * day's trade bill (v2 downloadbill / v3 tradebill) and, for v3 merchants, the fund-flow bill (fundflowbill), each a
 * row of hub_bill_days that moves pending → stored / no-bill / unreadable / gave-up. A bill is downloaded and parsed
 * outside any transaction; its lines, the day's new state and (trade bills) the chain reconciliation of that day
 * are written in ONE transaction that first deletes whatever lines the day had: a restart at any point leaves the
 * day pending and is redone whole, never half stored nor doubled. The SHA-1 check of v3 files (hash_value) and the
 * gzip handling are the WeChat client's; "creating" (STATEMENT_CREATING / Bill Creating) waits 30 minutes.
 */
export class HubBillJob {
  private readonly flight = new SingleFlight<void>(() => this.run());

  constructor(private readonly deps: HubBillJobDeps) {}

  /** Queues what is due and works through it; overlapping calls share one run. */
  tick(): Promise<void> {
    return this.flight.start();
  }

  /** Resolves when no run is in flight (the hub waits for it before closing the database). */
  async idle(): Promise<void> {
    await this.flight.idle();
  }

  private async run(): Promise<void> {
    const now = this.deps.clock.now();
    await this.queueDue(now);
    for (const day of await dueBillDays(this.deps.db, now)) {
      const merchant = this.deps.merchants.credentialsFor(day.mchid);
      if (!merchant) continue;
      await this.work(merchant, day);
    }
    await this.rematchLate(now);
  }

  /**
   * A day already reconciled is reconciled again when facts of it reach the hub afterwards (a counter that was
   * offline) or WeChat notifies a payment of it late: mismatches the new facts explain are resolved by the hub with
   * the note "explained by late facts" (audit-logged), new disagreements appear, resolved ones stay resolved.
   */
  async rematchLate(now: number): Promise<number> {
    const { db, log } = this.deps;
    let redone = 0;
    for (const merchant of this.deps.merchants.list()) {
      for (const day of await reconciledTradeDays(db, merchant.mchid, beijingDate(now - REMATCH_LOOKBACK_DAYS * DAY))) {
        const start = beijingDayStart(day.bill_date);
        if (start === null || day.reconciled_at === null) continue;
        if (!(await arrivedSince(db, merchant.mchid, merchant.storeIds, start, start + DAY, day.reconciled_at - LATE_MARGIN_MS))) continue;
        const { counts, gone } = await db.transaction().execute(async (trx) => {
          const result = await reconcileMerchantDay(trx, merchant, day.bill_date, now, GONE_NOTES.lateFacts);
          await markReconciled(trx, day, now);
          return result;
        });
        redone += 1;
        log.info('hub: day reconciled again after late facts', { mchid: merchant.mchid, billDate: day.bill_date, explained: gone.length, ...counts });
        this.deps.onReconciled?.(merchant.mchid, day.bill_date, counts);
      }
    }
    return redone;
  }

  /** Each merchant's days from the day before today back BILL_LOOKBACK_DAYS, none before its stores existed. */
  async queueDue(now: number): Promise<void> {
    const newest = now >= billReadyAt(now) ? 1 : 2;
    for (const merchant of this.deps.merchants.list()) {
      const created = await Promise.all(merchant.storeIds.map((id) => findStore(this.deps.db, id)));
      const since = Math.min(...created.map((s) => s?.created_at ?? Number.POSITIVE_INFINITY));
      if (!Number.isFinite(since)) continue;
      const firstDay = beijingDate(since);
      for (let back = newest; back <= BILL_LOOKBACK_DAYS; back++) {
        const day = beijingDate(now - back * DAY);
        if (day < firstDay) break;
        const due = (beijingDayStart(day) ?? now) + DAY + 10 * 60 * MINUTE;
        const bills: BillKind[] = merchant.apiVersion === 'v3' ? ['trade', 'fund-flow'] : ['trade'];
        for (const bill of bills) {
          await ensureBillDay(this.deps.db, { mchid: merchant.mchid, bill_date: day, bill, deadline_at: due + DEADLINE_AFTER_DUE_MS, created_at: now });
        }
      }
    }
  }

  private async work(merchant: HubMerchant, day: BillDayRow): Promise<void> {
    const { db, log } = this.deps;
    const client = this.deps.clientFor(merchant);
    const outcome: WechatOutcome<BillResult> =
      day.bill === 'trade'
        ? await client.downloadBill({ billDate: day.bill_date, billType: 'ALL' })
        : client.downloadFundFlowBill
          ? await client.downloadFundFlowBill(day.bill_date)
          : { kind: 'failure', code: 'UNSUPPORTED', reason: { zh: '该接口版本没有资金账单', en: 'no fund-flow bill in this API version' } };
    const now = this.deps.clock.now();
    const ref = { mchid: merchant.mchid, billDate: day.bill_date, bill: day.bill };
    if (outcome.kind !== 'success') {
      const attempts = day.attempts + 1;
      const reason = outcome.kind === 'failure' ? outcome.code : (outcome.code ?? outcome.cause);
      const wait = outcome.kind === 'unknown' && outcome.code === 'BILL_CREATING' ? CREATING_RETRY_MS : Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
      if (now + wait > day.deadline_at) {
        await updateBillDay(db, day, { state: 'gave-up', attempts, next_attempt_at: null, last_error: reason });
        log.error('hub: bill not downloaded by its deadline', { ...ref, attempts, reason });
        return;
      }
      await updateBillDay(db, day, { attempts, next_attempt_at: now + wait, last_error: reason });
      log.warn('hub: bill download will be retried', { ...ref, attempts, reason, inMs: wait });
      return;
    }
    try {
      const counts = await this.store(merchant, day, outcome.value, now);
      log.info('hub: bill stored', { ...ref, kind: outcome.value.kind, ...(counts ?? {}) });
      if (counts) this.deps.onReconciled?.(merchant.mchid, day.bill_date, counts);
    } catch (error) {
      if (!(error instanceof BillFormatError)) throw error;
      // WeChat would send the same file again: the day stops here and the head office is told where it failed.
      const message = `${error.message}${error.line === null ? '' : ` (line ${error.line}${error.column ? `, ${error.column}` : ''})`}`;
      await updateBillDay(db, day, { state: 'unreadable', attempts: day.attempts + 1, next_attempt_at: null, last_error: message });
      log.error('hub: bill unreadable', { ...ref, message });
    }
  }

  /** Parses (outside the transaction), then stores the lines, the day's state and its reconciliation in one. */
  private async store(merchant: HubMerchant, day: BillDayRow, got: Got, now: number): Promise<ReconCounts | null> {
    const sha1 = got.kind === 'bill' ? createHash('sha1').update(got.csv, 'utf8').digest('hex') : null;
    const trade = day.bill === 'trade' && got.kind === 'bill' ? parseBill(got.csv) : null;
    const flow = day.bill === 'fund-flow' && got.kind === 'bill' ? parseFundFlowBill(got.csv) : null;
    const key = { mchid: merchant.mchid, bill_date: day.bill_date };
    const tradeLines: BillLineRow[] = (trade?.lines ?? []).map((l) => ({
      ...key, line_no: l.lineNo, kind: l.kind, trade_time: l.tradeTime, transaction_id: l.transactionId, out_trade_no: l.outTradeNo,
      trade_type: l.tradeType, trade_state: l.tradeState, settle_fen: l.settleFen, order_fen: l.orderFen, out_refund_no: l.outRefundNo,
      refund_id: l.refundId, refund_fen: l.refundFen, refund_status: l.refundStatus, fee_fen: l.feeFen,
    }));
    const flowLines: FundFlowLineRow[] = (flow?.lines ?? []).map((l) => ({
      ...key, line_no: l.lineNo, booked_at: l.bookedAt, business_id: l.businessId, flow_id: l.flowId, business_name: l.businessName,
      business_type: l.businessType, direction: l.direction, amount_fen: l.amountFen, balance_fen: l.balanceFen, voucher_no: l.voucherNo,
    }));
    return this.deps.db.transaction().execute(async (trx) => {
      if (day.bill === 'trade') await replaceBillLines(trx, merchant.mchid, day.bill_date, tradeLines);
      else await replaceFundFlowLines(trx, merchant.mchid, day.bill_date, flowLines);
      const summary = trade?.summary ?? flow?.summary ?? null;
      const lineCount = day.bill === 'trade' ? tradeLines.length : flowLines.length;
      const counts = day.bill === 'trade' ? (await reconcileMerchantDay(trx, merchant, day.bill_date, now)).counts : null;
      await updateBillDay(trx, day, {
        state: got.kind === 'bill' ? 'stored' : 'no-bill', attempts: day.attempts + 1, next_attempt_at: null, last_error: null, sha1,
        line_count: lineCount, summary_json: summary === null ? null : JSON.stringify(summary), stored_at: now, reconciled_at: counts ? now : null,
      });
      return counts;
    });
  }
}
