import { formatBeijingRfc3339 } from '../../../shared/clock';
import { normaliseV3Code } from '../codes';
import { clipDescription, extendContext, type ClientContext } from '../config';
import { runLogged } from '../log-outcome';
import { failure, fromErrorCode, MalformedAnswer, success, unknown } from '../outcome';
import type {
  BillRequest,
  BillResult,
  MicropayRequest,
  NativeOrderRequest,
  OrderState,
  RefundRequest,
  RefundState,
  RefundStatus,
  ReportTrade,
  WechatOutcome,
  WechatPayClient,
} from '../types';
import { AUTH_CODE_PATTERN } from '../v2/client';
import { fetchV3BillFile } from './bill-file';
import { callV3, type V3Context, type V3Reply } from './call';
import { asObject, v3OrderState, v3RefundState } from './map';
import type { ResponseVerifier } from './verify';
import { v3RefundStatus } from '../parse-values';

const enc = encodeURIComponent;

export class WechatPayV3Client implements WechatPayClient {
  readonly apiVersion = 'v3' as const;
  private readonly ctx: V3Context;

  constructor(ctx: ClientContext, privateKeyPem: string, merchantSerial: string, verifier: ResponseVerifier) {
    this.ctx = extendContext(ctx, { privateKeyPem, merchantSerial, verifier });
  }

  /** A 4xx code the operation has no special meaning for (codes normalised to the v2 spelling). */
  private static plainError<T>(reply: Exclude<V3Reply, { kind: 'ok' }>, context: 'payment' | 'refund' = 'payment'): WechatOutcome<T> {
    return reply.kind === 'outcome' ? reply.outcome : fromErrorCode(normaliseV3Code(reply.code), reply.message, context);
  }

  private sceneInfo(deviceInfo?: string): Record<string, unknown> {
    const device = deviceInfo ?? this.ctx.deviceInfo;
    const scene: Record<string, unknown> = { device_ip: this.ctx.spbillCreateIp, payer_client_ip: this.ctx.spbillCreateIp };
    if (device) {
      scene.device_id = device;
      scene.store_info = { out_id: device };
    }
    return scene;
  }

  /**
   * Who the call is for: a direct merchant's appid/mchid, or in service-provider mode sp_appid/sp_mchid and the
   * sub-merchant. `withApp`: whether the body carries the app id too.
   */
  private ids(withApp: boolean): Record<string, string> {
    const { appid, mchid } = this.ctx.credentials;
    const partner = this.ctx.partner;
    if (!partner) return withApp ? { appid, mchid } : { mchid };
    const ids: Record<string, string> = withApp ? { sp_appid: appid, sp_mchid: mchid } : { sp_mchid: mchid };
    ids.sub_mchid = partner.subMchid;
    if (withApp && partner.subAppid) ids.sub_appid = partner.subAppid;
    return ids;
  }

  /** /v3/pay/transactions/… or, for a service provider, /v3/pay/partner/transactions/…. */
  private payPath(rest: string): string {
    return `${this.ctx.partner ? '/v3/pay/partner/transactions' : '/v3/pay/transactions'}${rest}`;
  }

  /** `&sub_mchid=…` (or `?…`) for a service provider's queries; empty for a direct merchant. */
  private subQuery(joiner: '?' | '&'): string {
    return this.ctx.partner ? `${joiner}sub_mchid=${enc(this.ctx.partner.subMchid)}` : '';
  }

  private settleInfo(): Record<string, unknown> {
    return this.ctx.profitSharing ? { settle_info: { profit_sharing: true } } : {};
  }

  /** v3 has no mutual TLS: one kept connection serves every call. */
  async warmConnections(): Promise<void> {
    await this.ctx.transport.warm?.();
  }

  afterRequestsWritten(then: () => void): void {
    const { transport } = this.ctx;
    if (transport.afterRequestsWritten) transport.afterRequestsWritten(then);
    else then();
  }

  micropay(req: MicropayRequest): Promise<WechatOutcome<OrderState>> {
    return runLogged(this.ctx, 'v3', 'codepay', { outTradeNo: req.outTradeNo, totalFen: req.totalFen }, async () => {
      if (!AUTH_CODE_PATTERN.test(req.authCode)) return failure('AUTH_CODE_INVALID', 'not an 18-digit WeChat payment code');
      const body: Record<string, unknown> = {
        ...this.ids(true),
        description: clipDescription(req.description),
        out_trade_no: req.outTradeNo,
        payer: { auth_code: req.authCode },
        amount: { total: req.totalFen, currency: 'CNY' },
        scene_info: this.sceneInfo(req.deviceInfo),
        ...this.settleInfo(),
      };
      if (req.attach) body.attach = req.attach;
      const reply = await callV3(this.ctx, { method: 'POST', path: this.payPath('/codepay'), body, hide: [req.authCode] });
      if (reply.kind !== 'ok') return WechatPayV3Client.plainError(reply);
      // 202 or any state but SUCCESS: the payer may still be confirming; only a query can settle it.
      if (reply.status === 202 || reply.json === undefined) return unknown('user-paying', `HTTP ${reply.status}: payment pending`, 'USERPAYING');
      const order = v3OrderState(reply.json, req.outTradeNo);
      if (order.tradeState !== 'SUCCESS') return unknown('user-paying', `trade_state ${order.tradeState}`, order.tradeState);
      return success(order);
    });
  }

  createNativeOrder(req: NativeOrderRequest): Promise<WechatOutcome<{ codeUrl: string }>> {
    return runLogged(this.ctx, 'v3', 'native', { outTradeNo: req.outTradeNo, totalFen: req.totalFen }, async () => {
      const body = {
        ...this.ids(true),
        description: clipDescription(req.description),
        out_trade_no: req.outTradeNo,
        time_expire: formatBeijingRfc3339(req.timeExpire),
        notify_url: this.ctx.notifyUrl,
        amount: { total: req.totalFen, currency: 'CNY' },
        scene_info: this.sceneInfo(req.deviceInfo),
        ...this.settleInfo(),
      };
      const reply = await callV3(this.ctx, { method: 'POST', path: this.payPath('/native'), body });
      if (reply.kind !== 'ok') return WechatPayV3Client.plainError(reply);
      const codeUrl = asObject(reply.json, 'native answer').code_url;
      if (typeof codeUrl !== 'string' || codeUrl === '') throw new MalformedAnswer('native answer without code_url');
      return success({ codeUrl });
    });
  }

  queryOrder(outTradeNo: string): Promise<WechatOutcome<OrderState>> {
    return runLogged(this.ctx, 'v3', 'query', { outTradeNo }, async () => {
      const { mchid } = this.ctx.credentials;
      const partner = this.ctx.partner;
      const query = partner ? `sp_mchid=${enc(mchid)}&sub_mchid=${enc(partner.subMchid)}` : `mchid=${enc(mchid)}`;
      const path = `${this.payPath(`/out-trade-no/${enc(outTradeNo)}`)}?${query}`;
      const reply = await callV3(this.ctx, { method: 'GET', path });
      if (reply.kind === 'ok') return success(v3OrderState(reply.json, outTradeNo));
      if (reply.kind === 'error' && (reply.status === 404 || normaliseV3Code(reply.code) === 'ORDERNOTEXIST')) {
        return failure('ORDERNOTEXIST', reply.message || undefined);
      }
      return WechatPayV3Client.plainError(reply);
    });
  }

  closeOrder(outTradeNo: string): Promise<WechatOutcome<void>> {
    return runLogged(this.ctx, 'v3', 'close', { outTradeNo }, async () => {
      const reply = await callV3(this.ctx, {
        method: 'POST',
        path: this.payPath(`/out-trade-no/${enc(outTradeNo)}/close`),
        body: this.ids(false),
      });
      if (reply.kind === 'ok') return success(undefined);
      // Closing twice (a retry after a lost answer) finds it closed: that is the state the caller wanted.
      if (reply.kind === 'error' && normaliseV3Code(reply.code) === 'ORDERCLOSED') return success(undefined);
      return WechatPayV3Client.plainError(reply);
    });
  }

  reverseOrder(outTradeNo: string): Promise<WechatOutcome<{ recall: boolean }>> {
    return runLogged(this.ctx, 'v3', 'reverse', { outTradeNo }, async () => {
      const reply = await callV3(this.ctx, {
        method: 'POST',
        path: this.payPath(`/out-trade-no/${enc(outTradeNo)}/reverse`),
        body: this.ids(true),
      });
      // v3 has no recall flag: a retryable error (unknown) is the "call again" signal.
      if (reply.kind === 'ok') return success({ recall: false });
      return WechatPayV3Client.plainError(reply);
    });
  }

  refund(req: RefundRequest): Promise<WechatOutcome<{ refundId?: string; status: RefundStatus }>> {
    const ref = { outTradeNo: req.outTradeNo, outRefundNo: req.outRefundNo, refundFen: req.refundFen };
    return runLogged(this.ctx, 'v3', 'refund', ref, async () => {
      const body: Record<string, unknown> = {
        ...(this.ctx.partner ? { sub_mchid: this.ctx.partner.subMchid } : {}),
        out_trade_no: req.outTradeNo,
        out_refund_no: req.outRefundNo,
        amount: { refund: req.refundFen, total: req.totalFen, currency: 'CNY' },
      };
      if (req.reason) body.reason = clipDescription(req.reason, 80);
      if (this.ctx.configuredNotifyUrl) body.notify_url = this.ctx.configuredNotifyUrl;
      const reply = await callV3(this.ctx, { method: 'POST', path: '/v3/refund/domestic/refunds', body });
      if (reply.kind !== 'ok') return WechatPayV3Client.plainError(reply, 'refund');
      const answer = asObject(reply.json, 'refund answer');
      const status = v3RefundStatus(answer.status);
      return success(typeof answer.refund_id === 'string' ? { refundId: answer.refund_id, status } : { status });
    });
  }

  queryRefund(outRefundNo: string): Promise<WechatOutcome<RefundState>> {
    return runLogged(this.ctx, 'v3', 'refundquery', { outRefundNo }, async () => {
      const reply = await callV3(this.ctx, { method: 'GET', path: `/v3/refund/domestic/refunds/${enc(outRefundNo)}${this.subQuery('?')}` });
      if (reply.kind === 'ok') return success(v3RefundState(reply.json, outRefundNo));
      if (reply.kind === 'error' && (reply.status === 404 || reply.code === 'RESOURCE_NOT_EXISTS')) {
        return failure('REFUNDNOTEXIST', reply.message || undefined, 'refund');
      }
      return WechatPayV3Client.plainError(reply, 'refund');
    });
  }

  downloadBill(req: BillRequest): Promise<WechatOutcome<BillResult>> {
    return runLogged(this.ctx, 'v3', 'tradebill', { billDate: req.billDate, billType: req.billType }, async () => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(req.billDate)) throw new MalformedAnswer('bill date must be yyyy-MM-dd');
      const path = `/v3/bill/tradebill?bill_date=${req.billDate}&bill_type=${req.billType}&tar_type=GZIP${this.subQuery('&')}`;
      const reply = await callV3(this.ctx, { method: 'GET', path });
      if (reply.kind === 'error' && reply.code === 'NO_STATEMENT_EXIST') return success({ kind: 'no-bill' as const });
      if (reply.kind === 'error' && reply.code === 'STATEMENT_CREATING') {
        return unknown('system-error', 'the bill is still being generated', 'BILL_CREATING');
      }
      if (reply.kind !== 'ok') return WechatPayV3Client.plainError(reply);
      return fetchV3BillFile(this.ctx, asObject(reply.json, 'tradebill answer'));
    });
  }

  downloadFundFlowBill(billDate: string): Promise<WechatOutcome<BillResult>> {
    return runLogged(this.ctx, 'v3', 'fundflowbill', { billDate }, async () => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(billDate)) throw new MalformedAnswer('bill date must be yyyy-MM-dd');
      const reply = await callV3(this.ctx, { method: 'GET', path: `/v3/bill/fundflowbill?bill_date=${billDate}&account_type=BASIC&tar_type=GZIP` });
      if (reply.kind === 'error' && reply.code === 'NO_STATEMENT_EXIST') return success({ kind: 'no-bill' as const });
      if (reply.kind === 'error' && reply.code === 'STATEMENT_CREATING') {
        return unknown('system-error', 'the bill is still being generated', 'BILL_CREATING');
      }
      if (reply.kind !== 'ok') return WechatPayV3Client.plainError(reply);
      return fetchV3BillFile(this.ctx, asObject(reply.json, 'fundflowbill answer'));
    });
  }

  /** v3 has no transaction-report API: nothing to send. */
  reportMicropayBatch(trades: readonly ReportTrade[]): Promise<WechatOutcome<void>> {
    return runLogged(this.ctx, 'v3', 'report-batch', { trades: trades.length }, () => Promise.resolve(success(undefined)));
  }
}
