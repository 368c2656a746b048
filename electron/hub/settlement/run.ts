import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import type { ProfitSharingClient, SplitOrderState } from '../../wechat/profit-sharing/types';
import type { WechatOutcome } from '../../wechat/types';
import type { HubDb } from '../db/database';
import {
  dayIsFinished, listSettlementDays, listSettlementMerchants, moveOrders, ordersInState, paymentsReadyToUnfreeze, unfreezeOrderNo,
  updateOrder, updatePayment, updateSettlementDay, type SettlementOrderRow,
} from '../db/settlement';
import type { HubMerchant, HubMerchantDirectory } from '../merchants/directory';
import { checkProfitSharingBills } from './bill-check';
import { planSettlementDay } from './plan';
import { sendPendingReturns } from './returns';
import { SingleFlight } from '../../../shared/single-flight';

/** Split requests sent at once per merchant: WeChat limits the rate per merchant; a few in flight keep a day short. */
const CONCURRENCY = 4;
/** Transactions taken per round of each phase (a day of thousands of orders goes round by round). */
const BATCH = 100;
/** Refusals that say "not now" rather than "no": the request stays sent and is asked about (then sent again) later. */
const TRANSIENT_CODES = new Set(['FREQUENCY_LIMITED', 'SYSTEM_ERROR', 'SYSTEMERROR']);

export interface HubSettlementDeps {
  db: HubDb;
  merchants: HubMerchantDirectory;
  /** The merchant's profit-sharing client (in its API version, as provider for a sub-merchant), or null when its credentials cannot make one (said once in the log). */
  psClientFor: (merchant: HubMerchant) => ProfitSharingClient | null;
  clock: Clock;
  log: Logger;
}

/** What went wrong in words, for the report (never a secret: the client scrubs what WeChat said). */
export const reasonOf = (outcome: Exclude<WechatOutcome<unknown>, { kind: 'success' }>): { code: string; text: string } =>
  outcome.kind === 'failure'
    ? { code: outcome.code, text: `${outcome.reason.zh} / ${outcome.reason.en}${outcome.detail ? ` (${outcome.detail.slice(0, 200)})` : ''}` }
    : { code: outcome.code ?? outcome.cause, text: outcome.detail.slice(0, 200) };

async function inPool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

/**
 * The daily settlement run for merchants in profit-sharing mode (issue 16). Each tick, in this order:
 * 1. plan every reconciled trade-bill day of such a merchant not planned yet (plan.ts, one transaction);
 * 2. send the planned split requests: a request's rows move planned → sent in their own commit BEFORE the call,
 *    so a crash after it leaves them `sent`, never `planned` (which would send again without asking);
 * 3. ask WeChat about every `sent` request (query by out_order_no): finished lines → done / failed; a request
 *    WeChat never received (RESOURCE_NOT_EXISTS) is sent again with the same out_order_no (idempotent at WeChat);
 *    no answer → asked again next tick. So after any crash nothing is sent twice and nothing is skipped;
 * 4. unfreeze (解冻) what each order has left once its parts are all done, returned or resolved by hand;
 * 5. send returns (回退) a refund clearance left unsent (returns.ts), close finished days, and check finished days
 *    against WeChat's profit-sharing bills (bill-check.ts).
 * Failures of a part are kept with WeChat's code and words for the head office (retry, or resolve with a note).
 */
export class HubSettlementJob {
  private readonly flight = new SingleFlight<void>(() => this.run());

  constructor(private readonly deps: HubSettlementDeps) {}

  tick(): Promise<void> {
    return this.flight.start();
  }

  async idle(): Promise<void> {
    await this.flight.idle();
  }

  private clientOf(mchid: string): ProfitSharingClient | null {
    const merchant = this.deps.merchants.credentialsFor(mchid);
    return merchant ? this.deps.psClientFor(merchant) : null;
  }

  private async run(): Promise<void> {
    await this.planDue();
    await this.sendPlanned();
    await this.askSent();
    await this.unfreezeReady();
    await sendPendingReturns(this.deps.db, (mchid) => this.clientOf(mchid), this.deps.clock, this.deps.log);
    await this.closeFinishedDays();
    await checkProfitSharingBills(this.deps.db, (mchid) => this.clientOf(mchid), this.deps.clock, this.deps.log);
  }

  /** Days whose trade bill is stored and reconciled (or which had no bill), from the merchant's first settled day on. */
  private async planDue(): Promise<void> {
    const { db, clock, log } = this.deps;
    for (const mode of await listSettlementMerchants(db)) {
      const merchant = this.deps.merchants.credentialsFor(mode.mchid);
      if (!merchant) continue;
      const days = await db.selectFrom('hub_bill_days').select('bill_date').where('mchid', '=', mode.mchid).where('bill', '=', 'trade')
        .where((eb) => eb.or([eb.and([eb('state', '=', 'stored'), eb('reconciled_at', 'is not', null)]), eb('state', '=', 'no-bill')]))
        .where('bill_date', '>=', mode.since_day)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('hub_settlement_days as d').select('d.bill_date')
          .whereRef('d.mchid', '=', 'hub_bill_days.mchid').whereRef('d.bill_date', '=', 'hub_bill_days.bill_date'))))
        .orderBy('bill_date').execute();
      for (const { bill_date: day } of days) {
        const counts = await db.transaction().execute((trx) => planSettlementDay(trx, merchant, mode, day, clock.now()));
        if (counts) log.info('hub: settlement day planned', { mchid: mode.mchid, billDate: day, ...counts });
      }
    }
  }

  private async sendPlanned(): Promise<void> {
    for (;;) {
      const rows = await ordersInState(this.deps.db, 'planned', BATCH);
      if (rows.length === 0) return;
      let progressed = false;
      await inPool(groupByRequest(rows), async (group) => {
        if (await this.send(group)) progressed = true;
      });
      if (!progressed) return;
    }
  }

  /** Marks the request's rows sent (its own commit), then sends it. False when another run took it first or no client. */
  private async send(group: SettlementOrderRow[]): Promise<boolean> {
    const first = group[0];
    if (!first) return false;
    const client = this.clientOf(first.mchid);
    if (!client) return false;
    const now = this.deps.clock.now();
    const moved = await moveOrders(this.deps.db, first.transaction_id, first.out_order_no, 'planned', { state: 'sent', sent_at: now, updated_at: now });
    if (moved === 0) return false;
    const outcome = await client.split({
      transactionId: first.transaction_id, outOrderNo: first.out_order_no, unfreezeUnsplit: false,
      receivers: group.map((r) => ({ type: 'MERCHANT_ID' as const, account: r.account, amountFen: r.amount_fen as never, description: r.description })),
    });
    await this.apply(group, outcome);
    return true;
  }

  private async askSent(): Promise<void> {
    const seen = new Set<string>();
    for (;;) {
      const rows = (await ordersInState(this.deps.db, 'sent', BATCH)).filter((r) => !seen.has(r.transaction_id));
      if (rows.length === 0) return;
      for (const r of rows) seen.add(r.transaction_id);
      await inPool(groupByRequest(rows), async (group) => {
        const first = group[0];
        const client = first ? this.clientOf(first.mchid) : null;
        if (!first || !client) return;
        const outcome = await client.querySplit(first.out_order_no, first.transaction_id);
        if (outcome.kind === 'failure' && outcome.code === 'RESOURCE_NOT_EXISTS') {
          // WeChat never received it (the hub stopped between marking and sending, or the request was lost): the
          // same out_order_no again.
          this.deps.log.info('hub: split request not at WeChat, sending it again', { outOrderNo: first.out_order_no });
          const again = await client.split({
            transactionId: first.transaction_id, outOrderNo: first.out_order_no, unfreezeUnsplit: false,
            receivers: group.map((r) => ({ type: 'MERCHANT_ID' as const, account: r.account, amountFen: r.amount_fen as never, description: r.description })),
          });
          await this.apply(group, again);
          return;
        }
        // Anything else (rate limit, a refusal of the query itself) says nothing about the split: asked again later.
        if (outcome.kind === 'success') await this.apply(group, outcome);
      });
    }
  }

  /** Writes what WeChat said about a request: only rows still `sent` move (a late answer never undoes a return). */
  private async apply(group: SettlementOrderRow[], outcome: WechatOutcome<SplitOrderState>): Promise<void> {
    const { db, clock, log } = this.deps;
    const now = clock.now();
    const first = group[0];
    if (!first) return;
    if (outcome.kind === 'unknown' || (outcome.kind === 'failure' && TRANSIENT_CODES.has(outcome.code))) {
      log.warn('hub: split outcome unknown, will ask again', { outOrderNo: first.out_order_no, code: outcome.kind === 'unknown' ? outcome.cause : outcome.code });
      return;
    }
    if (outcome.kind === 'failure') {
      const { code, text } = reasonOf(outcome);
      await moveOrders(db, first.transaction_id, first.out_order_no, 'sent', { state: 'failed', fail_code: code, fail_reason: text, updated_at: now });
      log.warn('hub: split refused', { outOrderNo: first.out_order_no, code });
      return;
    }
    await db.transaction().execute(async (trx) => {
      for (const row of group) {
        const line = outcome.value.receivers.find((l) => l.account === row.account);
        const current = await trx.selectFrom('hub_settlement_orders').select('state').where('transaction_id', '=', row.transaction_id)
          .where('account', '=', row.account).executeTakeFirst();
        if (current?.state !== 'sent') continue;
        if (line?.result === 'SUCCESS' || (outcome.value.state === 'FINISHED' && line !== undefined && line.result !== 'CLOSED')) {
          await updateOrder(trx, row.transaction_id, row.account, { state: 'done', done_at: now, updated_at: now });
        } else if (line === undefined && outcome.value.state === 'FINISHED') {
          // WeChat's split under this number has no line for this receiver: it was never part of that request.
          await updateOrder(trx, row.transaction_id, row.account, { state: 'failed', fail_code: 'NOT_IN_SPLIT', fail_reason: '微信的分账单中没有这个接收方 / WeChat\'s split has no line for this receiver', updated_at: now });
        } else if (line?.result === 'CLOSED') {
          await updateOrder(trx, row.transaction_id, row.account, { state: 'failed', fail_code: 'CLOSED', fail_reason: line.failReason ?? '分账失败 / Split closed by WeChat', updated_at: now });
        }
      }
    });
  }

  private async unfreezeReady(): Promise<void> {
    const { db, clock, log } = this.deps;
    const tried = new Set<string>();
    for (;;) {
      const ready = (await paymentsReadyToUnfreeze(db, BATCH)).filter((p) => !tried.has(p.transaction_id));
      if (ready.length === 0) return;
      await inPool(ready, async (p) => {
        tried.add(p.transaction_id);
        const client = this.clientOf(p.mchid);
        if (!client) return;
        const outcome = await client.unfreeze({ transactionId: p.transaction_id, outOrderNo: unfreezeOrderNo(p.transaction_id), description: '解冻剩余资金' });
        const now = clock.now();
        if (outcome.kind === 'success') await updatePayment(db, p.transaction_id, { unfreeze_state: 'done', unfreeze_error: null, updated_at: now });
        else if (outcome.kind === 'failure') {
          const { code, text } = reasonOf(outcome);
          await updatePayment(db, p.transaction_id, { unfreeze_state: 'failed', unfreeze_error: `${code}: ${text}`, updated_at: now });
          log.warn('hub: unfreeze refused', { transaction: p.transaction_id.slice(-6), code });
        }
      });
    }
  }

  private async closeFinishedDays(): Promise<void> {
    for (const day of await listSettlementDays(this.deps.db, { state: 'running' })) {
      if (await dayIsFinished(this.deps.db, day.mchid, day.bill_date)) {
        await updateSettlementDay(this.deps.db, day.mchid, day.bill_date, { state: 'done', finished_at: this.deps.clock.now() });
      }
    }
  }
}

function groupByRequest(rows: readonly SettlementOrderRow[]): SettlementOrderRow[][] {
  const groups = new Map<string, SettlementOrderRow[]>();
  for (const r of rows) groups.set(`${r.transaction_id}|${r.out_order_no}`, [...(groups.get(`${r.transaction_id}|${r.out_order_no}`) ?? []), r]);
  return [...groups.values()];
}
