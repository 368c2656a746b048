import type { Clock } from '../../shared/clock';
import type { Database } from '../db/open';
import { getOrderOwner, listPsLines, listPsOrders, type OrderOwner, type PsLineRow, type PsOrderRow } from './ledger/profit-sharing';
import type { MerchantDirectory } from './merchants';
import type { ProfitSharingSettings } from './profit-sharing';
import { receiverBalances, type ReceiverBalance } from './profit-sharing-views';

/** Profit sharing as a test (or the admin endpoints) sees it: balances, the cap, more merchants, an order's owner. */
export interface SandboxProfitSharing {
  /** Each receiver's money from finished splits less what it returned. */
  balances(): ReceiverBalance[];
  /** The maximum share ratio (最大分账比例) in whole percent; WeChat's default is 30. */
  maxRatioPercent(): number;
  setMaxRatioPercent(percent: number): void;
  readonly merchants: MerchantDirectory;
  /** Which sub-merchant an order belongs to (null: the merchant's own) and whether it may be split. */
  ownerOf(outTradeNo: string): OrderOwner;
  /** Every split and unfreeze order the ledger holds, with its lines (a test counts them: one split per number). */
  orders(): (PsOrderRow & { lines: PsLineRow[] })[];
}

export function createSandboxProfitSharing(db: Database, clock: Clock, merchants: MerchantDirectory, settings: ProfitSharingSettings): SandboxProfitSharing {
  return {
    balances: () => receiverBalances(db, clock.now()),
    maxRatioPercent: () => settings.maxRatioPercent,
    setMaxRatioPercent: (percent) => {
      if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new RangeError('the maximum share ratio is a whole percent 0–100');
      settings.maxRatioPercent = percent;
    },
    merchants,
    ownerOf: (outTradeNo) => getOrderOwner(db, outTradeNo),
    orders: () => listPsOrders(db).map((o) => ({ ...o, lines: listPsLines(db, o.ownerMchid, o.outOrderNo) })),
  };
}
