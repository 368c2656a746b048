/** A payment service talking to the real sandbox over HTTPS with the real client, on a shared fake clock. */
import type { ManualClock } from '../../shared/clock';
import { silentLogger } from '../../shared/log';
import type { Sandbox } from '../../electron/sandbox/server';
import { createWechatPayClient } from '../../electron/wechat/factory';
import type { ApiVersion, WechatPayClient } from '../../electron/wechat/types';
import type { LedgerOrder, LedgerRefund } from './payments-invariants';

export function sandboxClient(sandbox: Sandbox, clock: ManualClock, apiVersion: ApiVersion = 'v2'): WechatPayClient {
  return createWechatPayClient({
    apiVersion,
    credentials: sandbox.credentials,
    baseUrl: sandbox.url,
    timeouts: { connectMs: 2_000, totalMs: 5_000 },
    clock,
    logger: silentLogger,
    spbillCreateIp: '127.0.0.1',
  });
}

export function sandboxLedger(sandbox: Sandbox): { orders: LedgerOrder[]; refunds: LedgerRefund[] } {
  return {
    orders: sandbox.listOrders().map((o) => ({ outTradeNo: o.outTradeNo, tradeType: o.tradeType, tradeState: o.tradeState, totalFen: o.totalFen })),
    refunds: sandbox.listRefunds().map((r) => ({ outRefundNo: r.outRefundNo, outTradeNo: r.outTradeNo, refundFen: r.refundFen, status: r.status })),
  };
}
