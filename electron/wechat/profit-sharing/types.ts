import type { Fen } from '../../../shared/money';
import type { BillResult, WechatOutcome } from '../types';

/**
 * Profit sharing (分账): after a payment made with profit sharing on, the merchant (or its service provider for a
 * sub-merchant) splits part of it to receivers added beforehand, may return (回退) a split before refunding, and
 * unfreezes what is left. Used by the hub's settlement runs; the counter only flags payments for it.
 */

export type ReceiverType = 'MERCHANT_ID' | 'PERSONAL_OPENID' | 'PERSONAL_SUB_OPENID';

/** WeChat's relation types between the splitting merchant and a receiver. */
export type RelationType =
  | 'STORE'
  | 'STAFF'
  | 'STORE_OWNER'
  | 'PARTNER'
  | 'HEADQUARTER'
  | 'BRAND'
  | 'DISTRIBUTOR'
  | 'USER'
  | 'SUPPLIER'
  | 'SERVICE_PROVIDER'
  | 'CUSTOM';

export interface ReceiverSpec {
  type: ReceiverType;
  account: string;
  /** Full name in clear (merchant: 商户全称, required for MERCHANT_ID); encrypted before it leaves this process. */
  name?: string;
  relationType: RelationType;
  /** Required when relationType is CUSTOM (at most 10 characters). */
  customRelation?: string;
}

export interface SplitReceiver {
  type: ReceiverType;
  account: string;
  amountFen: Fen;
  description: string;
}

export interface SplitRequest {
  transactionId: string;
  /** Idempotency key: the same out_order_no again is the same split. */
  outOrderNo: string;
  receivers: readonly SplitReceiver[];
  /** true: whatever is left after this split is released to the merchant and the order cannot be split again. */
  unfreezeUnsplit: boolean;
}

export type SplitLineResult = 'PENDING' | 'SUCCESS' | 'CLOSED';

export interface SplitOrderState {
  outOrderNo: string;
  orderId: string;
  transactionId: string;
  state: 'PROCESSING' | 'FINISHED';
  receivers: {
    type: string;
    account: string;
    amountFen: Fen;
    description: string;
    result: SplitLineResult;
    failReason?: string;
    detailId?: string;
  }[];
}

export interface ReturnRequest {
  outOrderNo: string;
  /** Idempotency key of the return. */
  outReturnNo: string;
  returnMchid: string;
  amountFen: Fen;
  description: string;
}

export interface ReturnState {
  outOrderNo: string;
  outReturnNo: string;
  returnId: string;
  returnMchid: string;
  amountFen: Fen;
  result: 'PROCESSING' | 'SUCCESS' | 'FAILED';
  failReason?: string;
}

export interface UnfreezeRequest {
  transactionId: string;
  outOrderNo: string;
  description: string;
}

export interface ProfitSharingClient {
  addReceiver(receiver: ReceiverSpec): Promise<WechatOutcome<void>>;
  deleteReceiver(receiver: { type: ReceiverType; account: string }): Promise<WechatOutcome<void>>;
  /** Success means accepted: PROCESSING lines finish later (query). */
  split(req: SplitRequest): Promise<WechatOutcome<SplitOrderState>>;
  querySplit(outOrderNo: string, transactionId: string): Promise<WechatOutcome<SplitOrderState>>;
  returnSplit(req: ReturnRequest): Promise<WechatOutcome<ReturnState>>;
  queryReturn(outReturnNo: string, outOrderNo: string): Promise<WechatOutcome<ReturnState>>;
  unfreeze(req: UnfreezeRequest): Promise<WechatOutcome<SplitOrderState>>;
  /** 剩余待分金额 of a payment. */
  unsplitAmount(transactionId: string): Promise<WechatOutcome<Fen>>;
  /** The profit-sharing bill of a Beijing day (yyyy-MM-dd). */
  downloadBill(billDate: string): Promise<WechatOutcome<BillResult>>;
}
