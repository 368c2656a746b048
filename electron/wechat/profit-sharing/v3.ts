import { constants, publicEncrypt } from 'node:crypto';
import { fen, type Fen } from '../../../shared/money';
import { normaliseV3Code } from '../codes';
import { runLogged } from '../log-outcome';
import { failure, fromErrorCode, MalformedAnswer, success, unknown } from '../outcome';
import { fenField, optionalString } from '../parse-values';
import { splitLineOf } from './split-line';
import type { BillResult, WechatOutcome } from '../types';
import { fetchV3BillFile } from '../v3/bill-file';
import { callV3, type V3Context, type V3Reply } from '../v3/call';
import { asObject } from '../v3/map';
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

const enc = encodeURIComponent;

/** The key that encrypts sensitive fields, and the serial that names it in the Wechatpay-Serial header. */
export interface EncryptionKey {
  serial: string;
  publicKeyPem: string;
}

/** RSA-OAEP (SHA-1, MGF1), base64: how WeChat Pay v3 wants sensitive fields such as a receiver's name. */
export function encryptSensitive(text: string, key: EncryptionKey): string {
  return publicEncrypt({ key: key.publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(text, 'utf8')).toString('base64');
}

function splitState(json: unknown, expectedOutOrderNo: string): SplitOrderState {
  const o = asObject(json, 'profit-sharing order');
  if (o.out_order_no !== expectedOutOrderNo) throw new MalformedAnswer('answer is about a different out_order_no');
  if (o.state !== 'PROCESSING' && o.state !== 'FINISHED') throw new MalformedAnswer('unknown profit-sharing state');
  const receivers = Array.isArray(o.receivers) ? o.receivers : [];
  return {
    outOrderNo: expectedOutOrderNo,
    orderId: optionalString(o.order_id) ?? '',
    transactionId: optionalString(o.transaction_id) ?? '',
    state: o.state,
    receivers: receivers.map((raw) => splitLineOf(asObject(raw, 'receiver'))),
  };
}

function returnState(json: unknown, expectedOutReturnNo: string): ReturnState {
  const r = asObject(json, 'return order');
  if (r.out_return_no !== expectedOutReturnNo) throw new MalformedAnswer('answer is about a different out_return_no');
  if (r.result !== 'PROCESSING' && r.result !== 'SUCCESS' && r.result !== 'FAILED') throw new MalformedAnswer('unknown return result');
  const state: ReturnState = {
    outOrderNo: optionalString(r.out_order_no) ?? '',
    outReturnNo: expectedOutReturnNo,
    returnId: optionalString(r.return_id) ?? '',
    returnMchid: optionalString(r.return_mchid) ?? '',
    amountFen: fenField(r.amount, 'return amount'),
    result: r.result,
  };
  const failReason = optionalString(r.fail_reason);
  if (failReason) state.failReason = failReason;
  return state;
}

/**
 * The v3 profit-sharing API (/v3/profitsharing/*) for a direct merchant, or for a service provider on behalf of a
 * sub-merchant (ctx.partner: sub_mchid in every body and query). Refusals are definite failures with WeChat's code
 * (NOT_ENOUGH, INVALID_REQUEST…); network trouble, 5xx and unreadable answers are unknown, to be retried with the
 * same out_order_no / out_return_no (both idempotent).
 */
export class ProfitSharingV3Client implements ProfitSharingClient {
  constructor(
    private readonly ctx: V3Context,
    private readonly encryptionKey: EncryptionKey,
  ) {}

  private sub(): Record<string, string> {
    return this.ctx.partner ? { sub_mchid: this.ctx.partner.subMchid } : {};
  }

  private subQuery(joiner: '?' | '&'): string {
    return this.ctx.partner ? `${joiner}sub_mchid=${enc(this.ctx.partner.subMchid)}` : '';
  }

  private static refused<T>(reply: Exclude<V3Reply, { kind: 'ok' }>): WechatOutcome<T> {
    if (reply.kind === 'outcome') return reply.outcome;
    if (reply.status === 404 || reply.code === 'RESOURCE_NOT_EXISTS') return failure('RESOURCE_NOT_EXISTS', reply.message || undefined);
    return fromErrorCode(normaliseV3Code(reply.code), reply.message);
  }

  addReceiver(receiver: ReceiverSpec): Promise<WechatOutcome<void>> {
    return runLogged(this.ctx, 'v3', 'ps-add-receiver', { type: receiver.type }, async () => {
      const body: Record<string, unknown> = {
        ...this.sub(),
        appid: this.ctx.credentials.appid,
        type: receiver.type,
        account: receiver.account,
        relation_type: receiver.relationType,
      };
      if (receiver.customRelation) body.custom_relation = receiver.customRelation;
      let serial: string | undefined;
      if (receiver.name !== undefined) {
        body.name = encryptSensitive(receiver.name, this.encryptionKey);
        serial = this.encryptionKey.serial;
      }
      const reply = await callV3(this.ctx, { method: 'POST', path: '/v3/profitsharing/receivers/add', body, wechatpaySerial: serial, hide: [receiver.account] });
      return reply.kind === 'ok' ? success(undefined) : ProfitSharingV3Client.refused(reply);
    });
  }

  deleteReceiver(receiver: { type: ReceiverType; account: string }): Promise<WechatOutcome<void>> {
    return runLogged(this.ctx, 'v3', 'ps-delete-receiver', { type: receiver.type }, async () => {
      const body = { ...this.sub(), appid: this.ctx.credentials.appid, type: receiver.type, account: receiver.account };
      const reply = await callV3(this.ctx, { method: 'POST', path: '/v3/profitsharing/receivers/delete', body, hide: [receiver.account] });
      return reply.kind === 'ok' ? success(undefined) : ProfitSharingV3Client.refused(reply);
    });
  }

  split(req: SplitRequest): Promise<WechatOutcome<SplitOrderState>> {
    const total = req.receivers.reduce((sum, r) => sum + r.amountFen, 0);
    return runLogged(this.ctx, 'v3', 'ps-split', { outOrderNo: req.outOrderNo, totalFen: total }, async () => {
      if (req.receivers.length === 0) return failure('PARAM_ERROR', 'a split needs at least one receiver');
      const body = {
        ...this.sub(),
        appid: this.ctx.credentials.appid,
        transaction_id: req.transactionId,
        out_order_no: req.outOrderNo,
        receivers: req.receivers.map((r) => ({ type: r.type, account: r.account, amount: r.amountFen, description: r.description })),
        unfreeze_unsplit: req.unfreezeUnsplit,
      };
      const reply = await callV3(this.ctx, { method: 'POST', path: '/v3/profitsharing/orders', body });
      return reply.kind === 'ok' ? success(splitState(reply.json, req.outOrderNo)) : ProfitSharingV3Client.refused(reply);
    });
  }

  querySplit(outOrderNo: string, transactionId: string): Promise<WechatOutcome<SplitOrderState>> {
    return runLogged(this.ctx, 'v3', 'ps-query', { outOrderNo }, async () => {
      const path = `/v3/profitsharing/orders/${enc(outOrderNo)}?transaction_id=${enc(transactionId)}${this.subQuery('&')}`;
      const reply = await callV3(this.ctx, { method: 'GET', path });
      return reply.kind === 'ok' ? success(splitState(reply.json, outOrderNo)) : ProfitSharingV3Client.refused(reply);
    });
  }

  returnSplit(req: ReturnRequest): Promise<WechatOutcome<ReturnState>> {
    return runLogged(this.ctx, 'v3', 'ps-return', { outOrderNo: req.outOrderNo, outReturnNo: req.outReturnNo, amountFen: req.amountFen }, async () => {
      const body = {
        ...this.sub(),
        out_order_no: req.outOrderNo,
        out_return_no: req.outReturnNo,
        return_mchid: req.returnMchid,
        amount: req.amountFen,
        description: req.description,
      };
      const reply = await callV3(this.ctx, { method: 'POST', path: '/v3/profitsharing/return-orders', body });
      return reply.kind === 'ok' ? success(returnState(reply.json, req.outReturnNo)) : ProfitSharingV3Client.refused(reply);
    });
  }

  queryReturn(outReturnNo: string, outOrderNo: string): Promise<WechatOutcome<ReturnState>> {
    return runLogged(this.ctx, 'v3', 'ps-return-query', { outReturnNo }, async () => {
      const path = `/v3/profitsharing/return-orders/${enc(outReturnNo)}?out_order_no=${enc(outOrderNo)}${this.subQuery('&')}`;
      const reply = await callV3(this.ctx, { method: 'GET', path });
      return reply.kind === 'ok' ? success(returnState(reply.json, outReturnNo)) : ProfitSharingV3Client.refused(reply);
    });
  }

  unfreeze(req: UnfreezeRequest): Promise<WechatOutcome<SplitOrderState>> {
    return runLogged(this.ctx, 'v3', 'ps-unfreeze', { outOrderNo: req.outOrderNo }, async () => {
      const body = { ...this.sub(), transaction_id: req.transactionId, out_order_no: req.outOrderNo, description: req.description };
      const reply = await callV3(this.ctx, { method: 'POST', path: '/v3/profitsharing/orders/unfreeze', body });
      return reply.kind === 'ok' ? success(splitState(reply.json, req.outOrderNo)) : ProfitSharingV3Client.refused(reply);
    });
  }

  unsplitAmount(transactionId: string): Promise<WechatOutcome<Fen>> {
    return runLogged(this.ctx, 'v3', 'ps-amounts', {}, async () => {
      const path = `/v3/profitsharing/transactions/${enc(transactionId)}/amounts${this.subQuery('?')}`;
      const reply = await callV3(this.ctx, { method: 'GET', path });
      if (reply.kind !== 'ok') return ProfitSharingV3Client.refused(reply);
      const answer = asObject(reply.json, 'amounts answer');
      if (answer.transaction_id !== undefined && answer.transaction_id !== transactionId) throw new MalformedAnswer('answer is about another transaction');
      return success(fen(fenField(answer.unsplit_amount, 'unsplit_amount')));
    });
  }

  downloadBill(billDate: string): Promise<WechatOutcome<BillResult>> {
    return runLogged(this.ctx, 'v3', 'ps-bill', { billDate }, async () => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(billDate)) throw new MalformedAnswer('bill date must be yyyy-MM-dd');
      const reply = await callV3(this.ctx, { method: 'GET', path: `/v3/profitsharing/bills?bill_date=${billDate}&tar_type=GZIP${this.subQuery('&')}` });
      if (reply.kind === 'error' && reply.code === 'NO_STATEMENT_EXIST') return success({ kind: 'no-bill' as const });
      if (reply.kind === 'error' && reply.code === 'STATEMENT_CREATING') return unknown('system-error', 'the bill is still being generated', 'BILL_CREATING');
      if (reply.kind !== 'ok') return ProfitSharingV3Client.refused(reply);
      return fetchV3BillFile(this.ctx, asObject(reply.json, 'profit-sharing bill answer'));
    });
  }
}
