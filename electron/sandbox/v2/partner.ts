import type { SandboxResponse } from '../http';
import { getOrder } from '../ledger/orders';
import { setOrderOwner } from '../ledger/profit-sharing';
import { getRefund } from '../ledger/refunds';
import { ownedByOther, ownedOrder, takenByOther } from '../merchants';
import { refundBlockedBySplits } from '../profit-sharing';
import type { V2Deps } from './payments';
import { parseFee, v2BusinessFail, v2TransportFail, type V2Request } from './protocol';

/**
 * v2 service-provider mode: the provider's mch_id / appid / key sign the call and `sub_mch_id` (optionally
 * `sub_appid`) names the sub-merchant. A sub_mch_id that is not under this provider is refused at the gateway
 * (return_code FAIL; the live wording is unconfirmed). Orders remember their owner, so one owner never sees or moves
 * another's; `profit_sharing=Y` on micropay / unifiedorder marks an order that may be split later. Every answer to a
 * partner call echoes sub_mch_id (and sub_appid when sent).
 */

type Handler = (deps: V2Deps, req: V2Request) => SandboxResponse;

const CREATES = new Set(['/pay/micropay', '/pay/unifiedorder']);
const ORDER_PATHS = new Set(['/pay/orderquery', '/pay/closeorder', '/secapi/pay/reverse', '/secapi/pay/refund']);

function orderKey(f: Record<string, string>): { outTradeNo: string } | { transactionId: string } | null {
  if (f.transaction_id) return { transactionId: f.transaction_id };
  if (f.out_trade_no) return { outTradeNo: f.out_trade_no };
  return null;
}

export function withPartnerScope(deps: V2Deps, req: V2Request, path: string, handler: Handler): SandboxResponse {
  const f = req.fields;
  const sub = f.sub_mch_id || null;
  if (sub !== null && !deps.merchants.isSubMerchant(sub)) return v2TransportFail('sub_mch_id与mch_id不匹配');
  const scoped: V2Deps = sub === null ? deps : { ...deps, echo: { sub_mch_id: sub, sub_appid: f.sub_appid } };
  const fail = (code: string, message: string, extra: Record<string, string> = {}): SandboxResponse =>
    v2BusinessFail(scoped, req.signType, code, message, extra);

  if (CREATES.has(path) && f.out_trade_no) {
    if (takenByOther(deps.db, f.out_trade_no, sub)) {
      return path === '/pay/micropay' ? fail('OUT_TRADE_NO_USED', '商户订单号重复') : fail('INVALID_REQUEST', '201 商户订单号重复');
    }
    const answer = handler(scoped, req);
    const profitSharing = f.profit_sharing === 'Y';
    if ((sub !== null || profitSharing) && getOrder(deps.db, f.out_trade_no)) {
      setOrderOwner(deps.db, f.out_trade_no, { subMchid: sub, subAppid: f.sub_appid || null, profitSharing });
    }
    return answer;
  }

  const key = orderKey(f);
  if (ORDER_PATHS.has(path) && key !== null && ownedByOther(deps.db, key, sub)) {
    return fail('ORDERNOTEXIST', '订单不存在', path === '/secapi/pay/reverse' ? { recall: 'N' } : {});
  }
  if (path === '/secapi/pay/refund' && key !== null && f.out_refund_no && !getRefund(deps.db, f.out_refund_no)) {
    const order = ownedOrder(deps.db, key, sub);
    const refundFee = parseFee(f.refund_fee);
    const blocked = order && refundFee !== null ? refundBlockedBySplits(deps.db, order, refundFee) : null;
    if (blocked) return fail('NOTENOUGH', blocked);
  }
  if (path === '/pay/refundquery' && f.out_refund_no) {
    const refund = getRefund(deps.db, f.out_refund_no);
    if (refund && ownedByOther(deps.db, { outTradeNo: refund.outTradeNo }, sub)) return fail('REFUNDNOTEXIST', 'not exist');
  }
  return handler(scoped, req);
}
