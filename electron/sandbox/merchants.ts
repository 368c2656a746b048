import type { Database } from '../db/open';
import type { SandboxIdentity } from './certs';
import { getOrder, getOrderByTransactionId, type OrderRow } from './ledger/orders';
import { getOrderOwner, type OrderOwner } from './ledger/profit-sharing';

/**
 * The merchants the sandbox knows besides its own test merchant. The test merchant doubles as the service provider
 * (服务商, sp_mchid / sp_appid): its keys sign partner calls, as a real service provider's keys do. Under it sits one
 * sub-merchant (特约商户, `subMchid`); `receiverMchid` is another merchant that can receive split money. Both ids are
 * derived from the merchant id, so an identity file written before partner mode existed gets the same ids on every
 * start. Merchant full names are what a MERCHANT_ID receiver's encrypted `name` must match. Tests may register more
 * merchants (a second store, the brand) with `addMerchant`.
 */
export interface MerchantDirectory {
  readonly spMchid: string;
  readonly spAppid: string;
  readonly subMchid: string;
  readonly receiverMchid: string;
  /** Full legal name (商户全称) of each known merchant id. */
  nameOf(mchid: string): string | undefined;
  isSubMerchant(mchid: string): boolean;
  addMerchant(input: { mchid: string; name: string; subMerchant?: boolean }): void;
  list(): { mchid: string; name: string; subMerchant: boolean }[];
}

export const SANDBOX_SP_NAME = '微信支付沙箱服务商有限公司';
export const SANDBOX_SUB_NAME = '沙箱特约商户（一号门店）';
export const SANDBOX_RECEIVER_NAME = '沙箱分账接收方有限公司';

export function createMerchantDirectory(identity: SandboxIdentity): MerchantDirectory {
  const tail = identity.mchid.slice(2);
  const subMchid = `16${tail}`;
  const receiverMchid = `17${tail}`;
  const merchants = new Map<string, { name: string; subMerchant: boolean }>([
    [identity.mchid, { name: SANDBOX_SP_NAME, subMerchant: false }],
    [subMchid, { name: SANDBOX_SUB_NAME, subMerchant: true }],
    [receiverMchid, { name: SANDBOX_RECEIVER_NAME, subMerchant: false }],
  ]);
  return {
    spMchid: identity.mchid,
    spAppid: identity.appid,
    subMchid,
    receiverMchid,
    nameOf: (mchid) => merchants.get(mchid)?.name,
    isSubMerchant: (mchid) => merchants.get(mchid)?.subMerchant === true,
    addMerchant: ({ mchid, name, subMerchant }) => {
      if (!/^\d{8,16}$/.test(mchid)) throw new Error('a merchant id is 8–16 digits');
      if (mchid === identity.mchid) throw new Error('that is the service provider itself');
      merchants.set(mchid, { name, subMerchant: subMerchant === true });
    },
    list: () => [...merchants].map(([mchid, m]) => ({ mchid, ...m })),
  };
}

/** Who an order belongs to: the sub-merchant, or the service provider / direct merchant (`null`). */
export function ownerOf(db: Database, outTradeNo: string): OrderOwner {
  return getOrderOwner(db, outTradeNo);
}

/**
 * The order behind an out_trade_no or transaction_id, if it belongs to `subMchid` (null = the merchant's own
 * orders). An order of another sub-merchant is, to this caller, an order that does not exist.
 */
export function ownedOrder(db: Database, key: { outTradeNo: string } | { transactionId: string }, subMchid: string | null): OrderRow | null {
  const order = 'outTradeNo' in key ? getOrder(db, key.outTradeNo) : getOrderByTransactionId(db, key.transactionId);
  if (!order) return null;
  return getOrderOwner(db, order.outTradeNo).subMchid === subMchid ? order : null;
}

/** Whether an out_trade_no is already taken by another owner (a new order with it must be refused). */
export function takenByOther(db: Database, outTradeNo: string, subMchid: string | null): boolean {
  return getOrder(db, outTradeNo) !== null && getOrderOwner(db, outTradeNo).subMchid !== subMchid;
}

/** Whether the order behind a key exists and belongs to someone other than `subMchid`. */
export function ownedByOther(db: Database, key: { outTradeNo: string } | { transactionId: string }, subMchid: string | null): boolean {
  const order = 'outTradeNo' in key ? getOrder(db, key.outTradeNo) : getOrderByTransactionId(db, key.transactionId);
  return order !== null && getOrderOwner(db, order.outTradeNo).subMchid !== subMchid;
}
