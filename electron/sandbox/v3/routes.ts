import type { SandboxRequest, SandboxResponse } from '../http';
import { closeTransaction, codepay, nativeOrder, queryTransaction, reverseTransaction } from './payments';
import { partnerClose, partnerCodepay, partnerNative, partnerQuery, partnerReverse } from './partner';
import {
  addReceiver,
  profitSharingBill,
  querySplitOrder,
  queryReturnOrder,
  removeReceiver,
  returnOrder,
  splitOrder,
  unfreezeOrder,
  unsplitAmounts,
} from './profit-sharing';
import { parseJsonBody, v3Error, verifyV3Request } from './protocol';
import { createRefund, downloadBillFile, fundFlowBill, platformCertificates, queryRefund, tradeBill } from './refunds-bills';
import type { V3Deps } from './shape';

/** API v3 front end: routing, request signature check, JSON bodies, and v3-shaped fault answers. */

interface V3Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle: (deps: V3Deps, req: SandboxRequest, params: string[], body: Record<string, unknown>) => SandboxResponse;
}

const SEGMENT = '([^/]+)';

const ROUTES: V3Route[] = [
  { method: 'POST', pattern: /^\/v3\/pay\/transactions\/codepay$/, handle: (d, _r, _p, b) => codepay(d, b) },
  { method: 'POST', pattern: /^\/v3\/pay\/transactions\/native$/, handle: (d, _r, _p, b) => nativeOrder(d, b) },
  {
    method: 'GET',
    pattern: new RegExp(`^/v3/pay/transactions/out-trade-no/${SEGMENT}$`),
    handle: (d, r, [no]) => queryTransaction(d, { outTradeNo: no ?? '' }, r.query),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v3/pay/transactions/id/${SEGMENT}$`),
    handle: (d, r, [id]) => queryTransaction(d, { transactionId: id ?? '' }, r.query),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v3/pay/transactions/out-trade-no/${SEGMENT}/close$`),
    handle: (d, _r, [no], b) => closeTransaction(d, no ?? '', b),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v3/pay/transactions/out-trade-no/${SEGMENT}/reverse$`),
    handle: (d, _r, [no], b) => reverseTransaction(d, no ?? '', b),
  },
  { method: 'POST', pattern: /^\/v3\/refund\/domestic\/refunds$/, handle: (d, _r, _p, b) => createRefund(d, b) },
  {
    method: 'GET',
    pattern: new RegExp(`^/v3/refund/domestic/refunds/${SEGMENT}$`),
    handle: (d, r, [no]) => queryRefund(d, no ?? '', r.query),
  },
  { method: 'GET', pattern: /^\/v3\/bill\/tradebill$/, handle: (d, r) => tradeBill(d, r.query) },
  { method: 'GET', pattern: /^\/v3\/bill\/fundflowbill$/, handle: (d, r) => fundFlowBill(d, r.query) },
  { method: 'GET', pattern: /^\/v3\/billdownload\/file$/, handle: (d, r) => downloadBillFile(d, r.query) },
  { method: 'GET', pattern: /^\/v3\/certificates$/, handle: (d) => platformCertificates(d) },
  // Service provider (服务商) payments for a sub-merchant.
  { method: 'POST', pattern: /^\/v3\/pay\/partner\/transactions\/codepay$/, handle: (d, _r, _p, b) => partnerCodepay(d, b) },
  { method: 'POST', pattern: /^\/v3\/pay\/partner\/transactions\/native$/, handle: (d, _r, _p, b) => partnerNative(d, b) },
  {
    method: 'GET',
    pattern: new RegExp(`^/v3/pay/partner/transactions/out-trade-no/${SEGMENT}$`),
    handle: (d, r, [no]) => partnerQuery(d, no ?? '', r.query),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v3/pay/partner/transactions/out-trade-no/${SEGMENT}/close$`),
    handle: (d, _r, [no], b) => partnerClose(d, no ?? '', b),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v3/pay/partner/transactions/out-trade-no/${SEGMENT}/reverse$`),
    handle: (d, _r, [no], b) => partnerReverse(d, no ?? '', b),
  },
  // Profit sharing (分账).
  { method: 'POST', pattern: /^\/v3\/profitsharing\/receivers\/add$/, handle: (d, r, _p, b) => addReceiver(d, r, b) },
  { method: 'POST', pattern: /^\/v3\/profitsharing\/receivers\/delete$/, handle: (d, _r, _p, b) => removeReceiver(d, b) },
  { method: 'POST', pattern: /^\/v3\/profitsharing\/orders$/, handle: (d, _r, _p, b) => splitOrder(d, b) },
  { method: 'POST', pattern: /^\/v3\/profitsharing\/orders\/unfreeze$/, handle: (d, _r, _p, b) => unfreezeOrder(d, b) },
  {
    method: 'GET',
    pattern: new RegExp(`^/v3/profitsharing/orders/${SEGMENT}$`),
    handle: (d, r, [no]) => querySplitOrder(d, no ?? '', r.query),
  },
  { method: 'POST', pattern: /^\/v3\/profitsharing\/return-orders$/, handle: (d, _r, _p, b) => returnOrder(d, b) },
  {
    method: 'GET',
    pattern: new RegExp(`^/v3/profitsharing/return-orders/${SEGMENT}$`),
    handle: (d, r, [no]) => queryReturnOrder(d, no ?? '', r.query),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v3/profitsharing/transactions/${SEGMENT}/amounts$`),
    handle: (d, r, [id]) => unsplitAmounts(d, id ?? '', r.query),
  },
  { method: 'GET', pattern: /^\/v3\/profitsharing\/bills$/, handle: (d, r) => profitSharingBill(d, r.query) },
];

export function isV3Path(path: string): boolean {
  return path.startsWith('/v3/');
}

function decodeSegments(match: RegExpExecArray): string[] | null {
  try {
    return match.slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

export function handleV3(deps: V3Deps, req: SandboxRequest): SandboxResponse {
  const candidates = ROUTES.map((route) => ({ route, match: route.pattern.exec(req.path) })).filter((c) => c.match !== null);
  if (candidates.length === 0) return v3Error(deps, 404, 'NOT_FOUND', '请求的资源不存在');
  const auth = verifyV3Request(deps, req);
  if (!auth.ok) return auth.response;
  const found = candidates.find((c) => c.route.method === req.method);
  if (!found?.match) return v3Error(deps, 405, 'METHOD_NOT_ALLOWED', `不支持${req.method}方法`);
  const params = decodeSegments(found.match);
  if (params === null) return v3Error(deps, 400, 'PARAM_ERROR', '路径参数格式错误');
  let body: Record<string, unknown> = {};
  if (req.method === 'POST') {
    const parsed = parseJsonBody(deps, req);
    if (!parsed.ok) return parsed.response;
    body = parsed.value;
  }
  return found.route.handle(deps, req, params, body);
}

export function v3SystemError(deps: V3Deps): SandboxResponse {
  return v3Error(deps, 500, 'SYSTEM_ERROR', '系统繁忙，请稍后重试');
}

export function v3RateLimited(deps: V3Deps): SandboxResponse {
  return v3Error(deps, 429, 'FREQUENCY_LIMITED', '请求频率超过限制，请稍后再试');
}
