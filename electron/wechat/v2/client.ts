import { formatBeijingCompact } from '../../../shared/clock';
import { billText, inflateBill, looksLikeBillCsv } from '../bill';
import { clipDescription, extendContext, type ClientContext } from '../config';
import { runLogged } from '../log-outcome';
import { failure, fromErrorCode, success, unknown } from '../outcome';
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
import { callV2, interpretV2Xml, postV2Raw, type V2Context, type V2Reply } from './call';
import { v2BillDate, v2OrderState, v2RefundState } from './map';
import type { V2SignType } from './sign';
import { parseXml } from './xml';

/** Payment codes are 18 digits starting 10–15; anything else is refused before it reaches the network. */
export const AUTH_CODE_PATTERN = /^1[0-5]\d{16}$/;

/** The label the micropay batch report is filed under (a name, not a URL this client calls). */
export const BATCH_REPORT_INTERFACE_URL = 'https://api.mch.weixin.qq.com/pay/batchreport/micropay/total';

/** One API call for the per-call form of payitil/report (交易保障). */
export interface ApiCallReport {
  /** The full URL of the reported interface, e.g. https://api.mch.weixin.qq.com/pay/micropay. */
  interfaceUrl: string;
  executeTimeMs: number;
  returnCode: 'SUCCESS' | 'FAIL';
  returnMsg?: string;
  resultCode: 'SUCCESS' | 'FAIL';
  errCode?: string;
  errCodeDes?: string;
  outTradeNo?: string;
}

export class WechatPayV2Client implements WechatPayClient {
  readonly apiVersion = 'v2' as const;
  private readonly ctx: V2Context;

  constructor(ctx: ClientContext, apiKey: string, signType: V2SignType) {
    this.ctx = extendContext(ctx, { apiKey, signType });
  }

  /** A business error the operation has no special meaning for. */
  private static plainError<T>(reply: Exclude<V2Reply, { kind: 'ok' }>, context: 'payment' | 'refund' = 'payment'): WechatOutcome<T> {
    return reply.kind === 'outcome' ? reply.outcome : fromErrorCode(reply.code, reply.message, context);
  }

  /** Payments go out on the plain connection; reverse and refund (secapi) on the mutual-TLS one: both kept warm. */
  async warmConnections(): Promise<void> {
    const { transport } = this.ctx;
    await Promise.all([transport.warm?.(), transport.hasClientCertificate ? transport.warm?.({ mutualTls: true }) : undefined]);
  }

  afterRequestsWritten(then: () => void): void {
    const { transport } = this.ctx;
    if (transport.afterRequestsWritten) transport.afterRequestsWritten(then);
    else then();
  }

  micropay(req: MicropayRequest): Promise<WechatOutcome<OrderState>> {
    return runLogged(this.ctx, 'v2', 'micropay', { outTradeNo: req.outTradeNo, totalFen: req.totalFen }, async () => {
      if (!AUTH_CODE_PATTERN.test(req.authCode)) return failure('AUTH_CODE_INVALID', 'not an 18-digit WeChat payment code');
      const reply = await callV2(this.ctx, {
        path: '/pay/micropay',
        fields: {
          device_info: req.deviceInfo ?? this.ctx.deviceInfo,
          body: clipDescription(req.description),
          attach: req.attach,
          out_trade_no: req.outTradeNo,
          total_fee: req.totalFen,
          fee_type: 'CNY',
          spbill_create_ip: this.ctx.spbillCreateIp,
          auth_code: req.authCode,
          profit_sharing: this.ctx.profitSharing ? 'Y' : undefined,
        },
        hide: [req.authCode],
      });
      if (reply.kind !== 'ok') return WechatPayV2Client.plainError(reply);
      return success(v2OrderState(reply.fields, req.outTradeNo, 'SUCCESS'));
    });
  }

  createNativeOrder(req: NativeOrderRequest): Promise<WechatOutcome<{ codeUrl: string }>> {
    return runLogged(this.ctx, 'v2', 'native', { outTradeNo: req.outTradeNo, totalFen: req.totalFen }, async () => {
      const reply = await callV2(this.ctx, {
        path: '/pay/unifiedorder',
        fields: {
          device_info: req.deviceInfo ?? this.ctx.deviceInfo,
          body: clipDescription(req.description),
          out_trade_no: req.outTradeNo,
          total_fee: req.totalFen,
          fee_type: 'CNY',
          spbill_create_ip: this.ctx.spbillCreateIp,
          time_start: formatBeijingCompact(this.ctx.clock.now()),
          time_expire: formatBeijingCompact(req.timeExpire),
          notify_url: this.ctx.notifyUrl,
          trade_type: 'NATIVE',
          product_id: req.productId,
          profit_sharing: this.ctx.profitSharing ? 'Y' : undefined,
        },
      });
      if (reply.kind !== 'ok') return WechatPayV2Client.plainError(reply);
      const codeUrl = reply.fields.code_url;
      if (!codeUrl) return unknown('malformed', 'unifiedorder answer without code_url');
      return success({ codeUrl });
    });
  }

  queryOrder(outTradeNo: string): Promise<WechatOutcome<OrderState>> {
    return runLogged(this.ctx, 'v2', 'query', { outTradeNo }, async () => {
      const reply = await callV2(this.ctx, { path: '/pay/orderquery', fields: { out_trade_no: outTradeNo } });
      if (reply.kind !== 'ok') return WechatPayV2Client.plainError(reply);
      return success(v2OrderState(reply.fields, outTradeNo));
    });
  }

  closeOrder(outTradeNo: string): Promise<WechatOutcome<void>> {
    return runLogged(this.ctx, 'v2', 'close', { outTradeNo }, async () => {
      const reply = await callV2(this.ctx, { path: '/pay/closeorder', fields: { out_trade_no: outTradeNo } });
      if (reply.kind === 'ok') return success(undefined);
      // Closing twice (a retry after a lost answer) finds it closed: that is the state the caller wanted.
      if (reply.kind === 'business-error' && reply.code === 'ORDERCLOSED') return success(undefined);
      return WechatPayV2Client.plainError(reply);
    });
  }

  reverseOrder(outTradeNo: string): Promise<WechatOutcome<{ recall: boolean }>> {
    return runLogged(this.ctx, 'v2', 'reverse', { outTradeNo }, async () => {
      if (!this.ctx.transport.hasClientCertificate) return failure('CLIENT_CERT_MISSING');
      const reply = await callV2(this.ctx, {
        path: '/secapi/pay/reverse',
        fields: { out_trade_no: outTradeNo },
        mutualTls: true,
      });
      if (reply.kind === 'ok') return success({ recall: reply.fields.recall === 'Y' });
      // recall=Y on a failed reverse: the order is not reversed yet and must be reversed again.
      if (reply.kind === 'business-error' && reply.fields.recall === 'Y') {
        const outcome = fromErrorCode(reply.code, reply.message);
        return outcome.kind === 'unknown' ? outcome : unknown('system-error', `reverse failed with recall=Y: ${reply.message || reply.code}`, reply.code);
      }
      return WechatPayV2Client.plainError(reply);
    });
  }

  refund(req: RefundRequest): Promise<WechatOutcome<{ refundId?: string; status: RefundStatus }>> {
    const ref = { outTradeNo: req.outTradeNo, outRefundNo: req.outRefundNo, refundFen: req.refundFen };
    return runLogged(this.ctx, 'v2', 'refund', ref, async () => {
      if (!this.ctx.transport.hasClientCertificate) return failure('CLIENT_CERT_MISSING', undefined, 'refund');
      const reply = await callV2(this.ctx, {
        path: '/secapi/pay/refund',
        fields: {
          out_trade_no: req.outTradeNo,
          out_refund_no: req.outRefundNo,
          total_fee: req.totalFen,
          refund_fee: req.refundFen,
          refund_fee_type: 'CNY',
          refund_desc: req.reason ? clipDescription(req.reason, 80) : undefined,
          notify_url: this.ctx.configuredNotifyUrl,
        },
        mutualTls: true,
      });
      if (reply.kind !== 'ok') return WechatPayV2Client.plainError(reply, 'refund');
      const refundId = reply.fields.refund_id;
      // v2 refund success only means accepted: the final status comes from refundquery.
      return success(refundId ? { refundId, status: 'PROCESSING' as const } : { status: 'PROCESSING' as const });
    });
  }

  queryRefund(outRefundNo: string): Promise<WechatOutcome<RefundState>> {
    return runLogged(this.ctx, 'v2', 'refundquery', { outRefundNo }, async () => {
      const reply = await callV2(this.ctx, { path: '/pay/refundquery', fields: { out_refund_no: outRefundNo } });
      if (reply.kind !== 'ok') return WechatPayV2Client.plainError(reply, 'refund');
      return success(v2RefundState(reply.fields, outRefundNo));
    });
  }

  downloadBill(req: BillRequest): Promise<WechatOutcome<BillResult>> {
    return runLogged(this.ctx, 'v2', 'downloadbill', { billDate: req.billDate, billType: req.billType }, async () => {
      const raw = await postV2Raw(this.ctx, {
        path: '/pay/downloadbill',
        fields: { bill_date: v2BillDate(req.billDate), bill_type: req.billType, tar_type: 'GZIP' },
      });
      if (raw.kind === 'outcome') return raw.outcome;
      const bytes = inflateBill(raw.response.body);
      const text = billText(bytes);
      if (text.trimStart().startsWith('<')) return this.billError(bytes);
      if (!looksLikeBillCsv(text)) return unknown('malformed', 'downloadbill answer is neither a bill nor an XML error');
      return success({ kind: 'bill' as const, csv: text });
    });
  }

  /** downloadbill errors: "No Bill Exist" (error_code 20002) is a normal empty day; "Bill Creating" means later. */
  private billError(body: Buffer): WechatOutcome<BillResult> {
    let fields: Record<string, string>;
    try {
      fields = parseXml(billText(body));
    } catch {
      return unknown('malformed', 'downloadbill answered unreadable XML');
    }
    const message = fields.return_msg ?? '';
    if (fields.return_code === 'FAIL') {
      if (fields.error_code === '20002' || /no bill exist/i.test(message)) return success({ kind: 'no-bill' as const });
      if (/bill creating/i.test(message)) return unknown('system-error', 'the bill is still being generated', 'BILL_CREATING');
    }
    const reply = interpretV2Xml(this.ctx, body, { unsignedReply: true });
    if (reply.kind === 'outcome') return reply.outcome;
    return unknown('malformed', 'downloadbill answered XML without an error');
  }

  reportMicropayBatch(trades: readonly ReportTrade[]): Promise<WechatOutcome<void>> {
    return runLogged(this.ctx, 'v2', 'report-batch', { trades: trades.length }, async () => {
      if (trades.length === 0) return success(undefined);
      const list = trades.map((t) => ({
        out_trade_no: t.outTradeNo,
        begin_time: formatBeijingCompact(t.beginTime),
        end_time: formatBeijingCompact(t.endTime),
        state: t.state,
        err_msg: t.errMsg ?? '',
      }));
      const reply = await callV2(this.ctx, {
        path: '/payitil/report',
        fields: {
          device_info: this.ctx.deviceInfo,
          interface_url: BATCH_REPORT_INTERFACE_URL,
          user_ip: this.ctx.spbillCreateIp,
          trades: JSON.stringify(list),
        },
        unsignedReply: true,
      });
      return reply.kind === 'ok' ? success(undefined) : WechatPayV2Client.plainError(reply);
    });
  }

  /** The per-call form of payitil/report: one line per API call, with its duration. */
  reportApiCall(report: ApiCallReport): Promise<WechatOutcome<void>> {
    return runLogged(this.ctx, 'v2', 'report-call', { outTradeNo: report.outTradeNo }, async () => {
      const reply = await callV2(this.ctx, {
        path: '/payitil/report',
        fields: {
          device_info: this.ctx.deviceInfo,
          interface_url: report.interfaceUrl,
          execute_time_: Math.max(0, Math.round(report.executeTimeMs)),
          return_code: report.returnCode,
          return_msg: report.returnMsg,
          result_code: report.resultCode,
          err_code: report.errCode,
          err_code_des: report.errCodeDes,
          out_trade_no: report.outTradeNo,
          user_ip: this.ctx.spbillCreateIp,
          time: formatBeijingCompact(this.ctx.clock.now()),
        },
        unsignedReply: true,
      });
      return reply.kind === 'ok' ? success(undefined) : WechatPayV2Client.plainError(reply);
    });
  }
}
