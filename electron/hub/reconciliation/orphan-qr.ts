import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import type { WechatPayClient } from '../../wechat/types';
import { raiseAlert } from '../db/alerts';
import type { HubDb } from '../db/database';
import { orphanQrCandidates, recordQrClose, type QrCloseRow } from '../db/qr-closes';
import type { HubMerchant, HubMerchantDirectory } from '../merchants/directory';
import { SingleFlight } from '../../../shared/single-flight';

/**
 * A QR shown longer than this without the counter reporting the sale complete is abandoned. Generous on purpose:
 * a counter offline from the hub may have completed the sale and only reports it later (a close then answers
 * ORDERPAID and nothing is lost), while a customer paying a QR half an hour after it was shown is not a sale the
 * cashier still expects.
 */
export const ORPHAN_QR_GRACE_MS = 30 * 60_000;

export interface OrphanQrDeps {
  db: HubDb;
  merchants: HubMerchantDirectory;
  clientFor: (merchant: HubMerchant) => WechatPayClient;
  clock: Clock;
  log: Logger;
  graceMs?: number;
}

/**
 * Closes native QR orders a counter told the hub about (a `wechat-qr` tender of a sale fact, with its
 * out_trade_no) whose tender is still pending after the grace period and for which no counter reported an
 * outcome (no wechat-attempt fact): the counter lost or abandoned the sale, and until the order is closed a
 * customer could still pay it after the cashier re-rang the basket another way. Closed with the store's merchant
 * credentials. ORDERPAID means the customer did pay: recorded as `paid` and raised as an `orphan-qr-paid` alert
 * for the head office to refund or record (never lost). An unknown outcome (network, 5xx) records nothing and is
 * tried again on the next tick; a definite refusal is recorded as `failed` with its code.
 */
export class HubOrphanQrCloser {
  private readonly flight = new SingleFlight<number>(() => this.run());

  constructor(private readonly deps: OrphanQrDeps) {}

  /** Closes every orphan due now; returns how many were settled (closed, paid or failed). */
  tick(): Promise<number> {
    return this.flight.start();
  }

  /** Resolves when no run is in flight (the hub waits for it before closing the database). */
  async idle(): Promise<void> {
    await this.flight.idle();
  }

  private async run(): Promise<number> {
    const { db, clock, log } = this.deps;
    const before = clock.now() - (this.deps.graceMs ?? ORPHAN_QR_GRACE_MS);
    const merchants = this.deps.merchants.list();
    let settled = 0;
    for (const c of await orphanQrCandidates(db, before)) {
      const merchant = merchants.find((m) => m.storeIds.includes(c.store_id));
      if (!merchant) continue;
      const outcome = await this.deps.clientFor(merchant).closeOrder(c.out_trade_no);
      const now = clock.now();
      const base = { ...c, mchid: merchant.mchid, closed_at: now };
      let row: QrCloseRow;
      if (outcome.kind === 'success') row = { ...base, state: 'closed', detail: null };
      else if (outcome.kind === 'failure' && outcome.code === 'ORDERPAID') row = { ...base, state: 'paid', detail: 'ORDERPAID' };
      else if (outcome.kind === 'failure' && (outcome.code === 'ORDERCLOSED' || outcome.code === 'ORDERNOTEXIST')) row = { ...base, state: 'closed', detail: outcome.code };
      else if (outcome.kind === 'failure') row = { ...base, state: 'failed', detail: outcome.code };
      else {
        log.warn('hub: orphaned QR order not closed yet', { outTradeNo: c.out_trade_no, cause: outcome.cause });
        continue;
      }
      await db.transaction().execute(async (trx) => {
        if (!(await recordQrClose(trx, row))) return;
        if (row.state === 'paid') {
          await raiseAlert(trx, {
            dedupe_key: `orphan-qr-paid:${row.out_trade_no}`, kind: 'orphan-qr-paid', store_id: row.store_id, terminal_id: row.terminal_id,
            detail: JSON.stringify({ outTradeNo: row.out_trade_no, amountFen: row.amount_fen, tenderId: row.tender_id }), raised_at: now,
          });
        }
      });
      settled += 1;
      const write = row.state === 'paid' ? log.error.bind(log) : log.info.bind(log);
      write('hub: orphaned QR order settled', { outTradeNo: row.out_trade_no, terminal: row.terminal_id, store: row.store_id, state: row.state, detail: row.detail });
    }
    return settled;
  }
}
