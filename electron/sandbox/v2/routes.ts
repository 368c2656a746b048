import { nginxErrorPage, type SandboxRequest, type SandboxResponse } from '../http';
import { downloadBillV2, reportV2 } from './bills-report';
import { closeOrderV2, micropay, orderQuery, reverseOrderV2, unifiedOrder, type V2Deps } from './payments';
import { bestEffortSignType, parseV2Request, v2BusinessFail, v2TransportFail, type V2Request } from './protocol';
import { withPartnerScope } from './partner';
import {
  addReceiverV2, amountQueryV2, finishV2, multiSplitV2, querySplitV2, removeReceiverV2, returnQueryV2, returnV2, singleSplitV2,
} from './profit-sharing';
import { refundQueryV2, refundV2 } from './refunds';

/** API v2 front end: routing, the mutual-TLS check on secapi paths, and v2-shaped fault answers. */

type V2Handler = (deps: V2Deps, req: V2Request) => SandboxResponse;

const ROUTES: Record<string, V2Handler> = {
  '/pay/micropay': micropay,
  '/pay/unifiedorder': unifiedOrder,
  '/pay/orderquery': orderQuery,
  '/pay/closeorder': closeOrderV2,
  '/secapi/pay/reverse': reverseOrderV2,
  '/secapi/pay/refund': refundV2,
  '/pay/refundquery': refundQueryV2,
  '/pay/downloadbill': downloadBillV2,
  '/payitil/report': reportV2,
  '/pay/profitsharingaddreceiver': addReceiverV2,
  '/pay/profitsharingremovereceiver': removeReceiverV2,
  '/secapi/pay/profitsharing': singleSplitV2,
  '/secapi/pay/multiprofitsharing': multiSplitV2,
  '/pay/profitsharingquery': querySplitV2,
  '/secapi/pay/profitsharingfinish': finishV2,
  '/secapi/pay/profitsharingreturn': returnV2,
  '/pay/profitsharingreturnquery': returnQueryV2,
  '/pay/profitsharingorderamountquery': amountQueryV2,
};

/** Answers without a signature even on success. */
const UNSIGNED = new Set(['/pay/downloadbill', '/payitil/report']);

export function isV2Path(path: string): boolean {
  return Object.prototype.hasOwnProperty.call(ROUTES, path);
}

/**
 * secapi paths need the merchant's API certificate on the TLS connection. The real front end (nginx) refuses a
 * missing or untrusted certificate with an HTML 400 before the API sees the request; a valid certificate of
 * another merchant reaches the API and is refused there.
 */
function clientCertRefusal(deps: V2Deps, req: SandboxRequest): SandboxResponse | null {
  if (!req.path.startsWith('/secapi/')) return null;
  const cert = req.clientCert;
  if (cert.kind === 'none' || cert.kind === 'no-tls') return nginxErrorPage(400, 'Bad Request', 'No required SSL certificate was sent');
  if (cert.kind === 'untrusted') return nginxErrorPage(400, 'Bad Request', 'The SSL certificate error');
  if (cert.serial !== deps.identity.merchantCertSerial.toUpperCase()) return v2TransportFail('certificate not match');
  return null;
}

export function handleV2(deps: V2Deps, req: SandboxRequest): SandboxResponse {
  const handler = ROUTES[req.path];
  if (!handler) return nginxErrorPage(404, 'Not Found');
  const refusal = clientCertRefusal(deps, req);
  if (refusal) return refusal;
  const parsed = parseV2Request(deps, req);
  if (!parsed.ok) return parsed.response;
  return withPartnerScope(deps, parsed.request, req.path, handler);
}

/** SYSTEMERROR, signed like any business answer; reverse adds recall=Y (call reverse again). */
export function v2SystemError(deps: V2Deps, req: SandboxRequest): SandboxResponse {
  if (UNSIGNED.has(req.path)) return v2TransportFail('系统繁忙,请稍后再试');
  const extra = req.path === '/secapi/pay/reverse' ? { recall: 'Y' } : {};
  return v2BusinessFail(deps, bestEffortSignType(req.body), 'SYSTEMERROR', '系统错误', extra);
}

export function v2RateLimited(deps: V2Deps, req: SandboxRequest, code: 'FREQUENCY_LIMITED' | 'INVALID_REQUEST'): SandboxResponse {
  if (UNSIGNED.has(req.path)) return v2TransportFail('请求过于频繁');
  const des = code === 'FREQUENCY_LIMITED' ? '频率限制，请稍后再试' : '请求过于频繁，请降低频率后重试';
  return v2BusinessFail(deps, bestEffortSignType(req.body), code, des);
}
