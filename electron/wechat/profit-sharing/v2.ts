import { fen, type Fen } from '../../../shared/money';
import { runLogged } from '../log-outcome';
import { failure, fromErrorCode, MalformedAnswer, success } from '../outcome';
import { fenField } from '../parse-values';
import { splitLineOf } from './split-line';
import type { BillResult, WechatOutcome } from '../types';
import { callV2, type V2Context, type V2Reply } from '../v2/call';
import type {
  ProfitSharingClient,
  ReceiverSpec,
  ReceiverType,
  ReturnRequest,
  ReturnState,
  SplitOrderState,
  SplitRequest,
  UnfreezeRequest,
} from './types';

/** v2's "no such split / return" codes, named as the v3 client names them so the hub reads both alike. */
const NOT_FOUND_CODES = new Set(['ORDERNOTEXIST', 'ORDER_NOT_EXIST', 'RESOURCE_NOT_EXISTS']);

function jsonOf(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedAnswer(`${what} is not JSON`);
  }
}

const record = (value: unknown, what: string): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedAnswer(`${what} is not an object`);
  return value as Record<string, unknown>;
};

/**
 * The v2 profit-sharing API (XML, HMAC-SHA256 only, the client certificate on the secapi paths) behind the same
 * interface as the v3 client, so the hub's settlement runs work unchanged for a merchant on v2. A service provider
 * splits for its sub-merchant: sub_mch_id (and sub_appid) go on every call (v2/call.ts, from ctx.partner).
 * A split is sent as 多次分账 (the rest stays frozen until 完结分账) unless `unfreezeUnsplit` asks for 单次分账.
 * Refusals are definite failures with WeChat's err_code; SYSTEMERROR / FREQUENCY_LIMITED, network trouble and
 * unverifiable answers are unknown, to be retried with the same out_order_no / out_return_no (both idempotent).
 */
export class ProfitSharingV2Client implements ProfitSharingClient {
  constructor(private readonly ctx: V2Context) {}

  /** The merchant whose money is split: the sub-merchant in service-provider mode. */
  private ownerMchid(): string {
    return this.ctx.partner?.subMchid ?? this.ctx.credentials.mchid;
  }

  private static refused<T>(reply: Exclude<V2Reply, { kind: 'ok' }>): WechatOutcome<T> {
    if (reply.kind === 'outcome') return reply.outcome;
    if (NOT_FOUND_CODES.has(reply.code)) return failure('RESOURCE_NOT_EXISTS', reply.message || undefined);
    return fromErrorCode(reply.code, reply.message);
  }

  private splitState(fields: Record<string, string>, expected: string, sent?: SplitRequest): SplitOrderState {
    if (fields.out_order_no !== expected) throw new MalformedAnswer('answer is about a different out_order_no');
    if (sent && fields.transaction_id !== undefined && fields.transaction_id !== sent.transactionId) throw new MalformedAnswer('answer is about another transaction');
    const status = fields.status ?? 'PROCESSING';
    if (!['PROCESSING', 'ACCEPTED', 'FINISHED', 'CLOSED'].includes(status)) throw new MalformedAnswer('unknown profit-sharing status');
    const state: SplitOrderState['state'] = status === 'FINISHED' || status === 'CLOSED' ? 'FINISHED' : 'PROCESSING';
    let receivers: SplitOrderState['receivers'];
    if (fields.receivers !== undefined && fields.receivers !== '') {
      const list = jsonOf(fields.receivers, 'receivers');
      if (!Array.isArray(list)) throw new MalformedAnswer('receivers is not a list');
      receivers = list.map((raw) => splitLineOf(record(raw, 'receiver')));
    } else if (fields.amount !== undefined) {
      // A finish (完结分账) order: one amount released to the merchant itself.
      receivers = [{ type: 'MERCHANT_ID', account: this.ownerMchid(), amountFen: fenField(fields.amount, 'amount'), description: fields.description ?? '', result: 'SUCCESS' }];
    } else {
      // The split's own answer may carry no lines: what was sent, pending until the query says otherwise.
      receivers = (sent?.receivers ?? []).map((r) => ({ type: r.type, account: r.account, amountFen: r.amountFen, description: r.description, result: 'PENDING' as const }));
    }
    return { outOrderNo: expected, orderId: fields.order_id ?? '', transactionId: fields.transaction_id ?? sent?.transactionId ?? '', state, receivers };
  }

  private static returnState(fields: Record<string, string>, expected: string): ReturnState {
    if (fields.out_return_no !== expected) throw new MalformedAnswer('answer is about a different out_return_no');
    const result = fields.result;
    if (result !== 'PROCESSING' && result !== 'SUCCESS' && result !== 'FAILED') throw new MalformedAnswer('unknown return result');
    const state: ReturnState = {
      outOrderNo: fields.out_order_no ?? '',
      outReturnNo: expected,
      returnId: fields.return_no ?? '',
      returnMchid: fields.return_account ?? '',
      amountFen: fenField(fields.return_amount, 'return_amount'),
      result,
    };
    if (fields.fail_reason) state.failReason = fields.fail_reason;
    return state;
  }

  addReceiver(receiver: ReceiverSpec): Promise<WechatOutcome<void>> {
    return runLogged(this.ctx, 'v2', 'ps-add-receiver', { type: receiver.type }, async () => {
      const spec: Record<string, string> = { type: receiver.type, account: receiver.account, relation_type: receiver.relationType };
      // v2 sends the name in clear inside the signed body (over TLS); v3 encrypts it.
      if (receiver.name !== undefined) spec.name = receiver.name;
      if (receiver.customRelation) spec.custom_relation = receiver.customRelation;
      const hide = [receiver.account, ...(receiver.name ? [receiver.name] : [])];
      const reply = await callV2(this.ctx, { path: '/pay/profitsharingaddreceiver', fields: { receiver: JSON.stringify(spec) }, hide });
      return reply.kind === 'ok' ? success(undefined) : ProfitSharingV2Client.refused(reply);
    });
  }

  deleteReceiver(receiver: { type: ReceiverType; account: string }): Promise<WechatOutcome<void>> {
    return runLogged(this.ctx, 'v2', 'ps-delete-receiver', { type: receiver.type }, async () => {
      const spec = JSON.stringify({ type: receiver.type, account: receiver.account });
      const reply = await callV2(this.ctx, { path: '/pay/profitsharingremovereceiver', fields: { receiver: spec }, hide: [receiver.account] });
      return reply.kind === 'ok' ? success(undefined) : ProfitSharingV2Client.refused(reply);
    });
  }

  split(req: SplitRequest): Promise<WechatOutcome<SplitOrderState>> {
    const total = req.receivers.reduce((sum, r) => sum + r.amountFen, 0);
    return runLogged(this.ctx, 'v2', 'ps-split', { outOrderNo: req.outOrderNo, totalFen: total }, async () => {
      if (req.receivers.length === 0) return failure('PARAM_ERROR', 'a split needs at least one receiver');
      const receivers = JSON.stringify(req.receivers.map((r) => ({ type: r.type, account: r.account, amount: r.amountFen, description: r.description })));
      const reply = await callV2(this.ctx, {
        path: req.unfreezeUnsplit ? '/secapi/pay/profitsharing' : '/secapi/pay/multiprofitsharing',
        fields: { transaction_id: req.transactionId, out_order_no: req.outOrderNo, receivers },
        mutualTls: true,
      });
      return reply.kind === 'ok' ? success(this.splitState(reply.fields, req.outOrderNo, req)) : ProfitSharingV2Client.refused(reply);
    });
  }

  querySplit(outOrderNo: string, transactionId: string): Promise<WechatOutcome<SplitOrderState>> {
    return runLogged(this.ctx, 'v2', 'ps-query', { outOrderNo }, async () => {
      const reply = await callV2(this.ctx, { path: '/pay/profitsharingquery', fields: { transaction_id: transactionId, out_order_no: outOrderNo }, withoutAppid: true });
      return reply.kind === 'ok' ? success(this.splitState(reply.fields, outOrderNo)) : ProfitSharingV2Client.refused(reply);
    });
  }

  returnSplit(req: ReturnRequest): Promise<WechatOutcome<ReturnState>> {
    return runLogged(this.ctx, 'v2', 'ps-return', { outOrderNo: req.outOrderNo, outReturnNo: req.outReturnNo, amountFen: req.amountFen }, async () => {
      const reply = await callV2(this.ctx, {
        path: '/secapi/pay/profitsharingreturn',
        fields: {
          out_order_no: req.outOrderNo,
          out_return_no: req.outReturnNo,
          return_account_type: 'MERCHANT_ID',
          return_account: req.returnMchid,
          return_amount: req.amountFen,
          description: req.description,
        },
        mutualTls: true,
      });
      return reply.kind === 'ok' ? success(ProfitSharingV2Client.returnState(reply.fields, req.outReturnNo)) : ProfitSharingV2Client.refused(reply);
    });
  }

  queryReturn(outReturnNo: string, outOrderNo: string): Promise<WechatOutcome<ReturnState>> {
    return runLogged(this.ctx, 'v2', 'ps-return-query', { outReturnNo }, async () => {
      const reply = await callV2(this.ctx, { path: '/pay/profitsharingreturnquery', fields: { out_order_no: outOrderNo, out_return_no: outReturnNo } });
      return reply.kind === 'ok' ? success(ProfitSharingV2Client.returnState(reply.fields, outReturnNo)) : ProfitSharingV2Client.refused(reply);
    });
  }

  unfreeze(req: UnfreezeRequest): Promise<WechatOutcome<SplitOrderState>> {
    return runLogged(this.ctx, 'v2', 'ps-unfreeze', { outOrderNo: req.outOrderNo }, async () => {
      const reply = await callV2(this.ctx, {
        path: '/secapi/pay/profitsharingfinish',
        fields: { transaction_id: req.transactionId, out_order_no: req.outOrderNo, description: req.description },
        mutualTls: true,
      });
      if (reply.kind !== 'ok') return ProfitSharingV2Client.refused(reply);
      // The finish answer names the order only; the release itself is done when it is accepted.
      return success({ ...this.splitState({ ...reply.fields, status: reply.fields.status ?? 'FINISHED' }, req.outOrderNo), receivers: [] });
    });
  }

  unsplitAmount(transactionId: string): Promise<WechatOutcome<Fen>> {
    return runLogged(this.ctx, 'v2', 'ps-amounts', {}, async () => {
      const reply = await callV2(this.ctx, { path: '/pay/profitsharingorderamountquery', fields: { transaction_id: transactionId }, withoutAppid: true });
      if (reply.kind !== 'ok') return ProfitSharingV2Client.refused(reply);
      if (reply.fields.transaction_id !== undefined && reply.fields.transaction_id !== transactionId) throw new MalformedAnswer('answer is about another transaction');
      return success(fen(fenField(reply.fields.unsplit_amount, 'unsplit_amount')));
    });
  }

  /**
   * API v2 has no profit-sharing bill download (the bill is a v3 endpoint): a definite failure, so the hub keeps
   * such a day's bill check pending rather than calling anything.
   */
  downloadBill(billDate: string): Promise<WechatOutcome<BillResult>> {
    return runLogged(this.ctx, 'v2', 'ps-bill', { billDate }, () =>
      Promise.resolve(failure('NO_V2_PROFIT_SHARING_BILL', 'API v2 has no profit-sharing bill; the merchant’s APIv3 credentials are needed for it')),
    );
  }
}
