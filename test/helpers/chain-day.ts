import type { FactEnvelope } from '../../shared/hub-protocol';
import type { HubMerchant, HubMerchantDirectory } from '../../electron/hub/merchants/directory';
import type { Sandbox } from '../../electron/sandbox/server';
import type { ApiVersion } from '../../electron/wechat/types';

/**
 * Facts a counter pushes to the hub for a day of WeChat sales, shaped as shared/hub-facts.ts wants them: the
 * shift, each sale with its WeChat tender, the attempt's final state, refunds. Numbers follow the counter's
 * out_trade_no layout (electron/payments/trade-no.ts): `<terminal><install id><yyMMdd><P|R><sequence>`.
 */
export class CounterFacts {
  readonly facts: FactEnvelope[] = [];
  private sequence = 0;

  constructor(
    readonly terminalId: string,
    readonly shiftId: string,
    readonly cashierId: string,
    private readonly installId = 'ab12cd34',
  ) {}

  orderNo(kind: 'P' | 'R', yymmdd = '261207'): string {
    this.sequence += 1;
    return `${this.terminalId}${this.installId}${yymmdd}${kind}${String(this.sequence).padStart(6, '0')}`;
  }

  private add(kind: FactEnvelope['kind'], at: number, body: Record<string, unknown>): void {
    this.facts.push({ seq: this.facts.length + 1, kind, at, body: JSON.stringify(body) });
  }

  openShift(at: number): void {
    this.add('shift', at, {
      event: 'opened', shiftId: this.shiftId, terminalId: this.terminalId, cashierId: this.cashierId, cashierName: `收银员${this.cashierId}`,
      state: 'open', openingFloatFen: 0, openedAt: at, count: null, countedFen: null, countedAt: null, expectedCashFen: null,
      differenceFen: null, countersignedBy: null, closedWithPending: false, closedBy: null, closedAt: null, zNo: null,
    });
  }

  /** A sale paid by a payment code (or left open with a pending QR tender: `pendingQr`). Returns the sale id. */
  sale(at: number, outTradeNo: string, totalFen: number, options: { pendingQr?: boolean } = {}): number {
    const saleId = this.facts.filter((f) => f.kind === 'sale').length + 1;
    const pending = options.pendingQr === true;
    this.add('sale', at, {
      saleId, terminalId: this.terminalId, receiptNo: saleId, cashierId: this.cashierId, shiftId: this.shiftId, state: pending ? 'open' : 'paid',
      description: `小票 ${saleId}`, totalFen, createdAt: at, paidAt: pending ? null : at, voidedAt: null, voidReason: null,
      lines: [{ lineNo: 1, name: '商品', unitFen: totalFen, quantity: 1, amountFen: totalFen }],
      tenders: [{
        tenderId: saleId, kind: pending ? 'wechat-qr' : 'wechat-code', amountFen: totalFen, state: pending ? 'pending' : 'paid', tenderedFen: null,
        changeFen: null, createdAt: at, settledAt: pending ? null : at, outTradeNo, transactionId: null,
      }],
    });
    if (!pending) {
      this.add('wechat-attempt', at, {
        attemptId: saleId, saleId, tenderId: saleId, terminalId: this.terminalId, receiptNo: saleId, mode: 'micropay', outTradeNo,
        amountFen: totalFen, state: 'paid', authCodeMasked: '1301**********0001', payerMasked: 'oU****6o', transactionId: null,
        bankType: 'OTHERS', paidFen: totalFen, successTime: at, failureCode: null, createdAt: at, resolvedAt: at,
      });
    }
    return saleId;
  }

  refund(at: number, saleId: number, outTradeNo: string, outRefundNo: string, amountFen: number): void {
    const refundId = this.facts.filter((f) => f.kind === 'refund').length + 1;
    this.add('refund', at, {
      refundId, saleId, terminalId: this.terminalId, receiptNo: saleId, tenderId: saleId, attemptId: saleId, outTradeNo, kind: 'wechat',
      outRefundNo, amountFen, state: 'succeeded', approvedBy: 'm1', reason: '顾客退货', requestedAt: at, requestedOffline: false,
      wechatRefundId: null, failureCode: null, finishedAt: at,
    });
  }
}

/** A merchant directory over sandboxes, filled in once the stores exist (the hub reads it on every job run). */
export class SandboxMerchants implements HubMerchantDirectory {
  private merchants: HubMerchant[] = [];

  add(sandbox: Sandbox, apiVersion: ApiVersion, storeIds: string[]): HubMerchant {
    const { baseUrl, ...credentials } = sandbox.credentials;
    const merchant: HubMerchant = { mchid: credentials.mchid, apiVersion, baseUrl, credentials, storeIds };
    this.merchants.push(merchant);
    return merchant;
  }

  /**
   * The sandbox's sub-merchant as the hub holds a store in service-provider mode: keyed by its sub_mchid, the
   * provider's credentials sign every call.
   */
  addSubMerchant(sandbox: Sandbox, apiVersion: ApiVersion, storeIds: string[]): HubMerchant {
    const { baseUrl, ...credentials } = sandbox.credentials;
    const subMchid = sandbox.credentials.subMchid;
    const merchant: HubMerchant = { mchid: subMchid, apiVersion, baseUrl, credentials, storeIds, partner: { subMchid } };
    this.merchants.push(merchant);
    return merchant;
  }

  list(): HubMerchant[] {
    return [...this.merchants];
  }

  credentialsFor(mchid: string): HubMerchant | undefined {
    return this.merchants.find((m) => m.mchid === mchid);
  }
}
