import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fen } from '../../shared/money';
import { MemoryLogger } from '../../shared/log';
import { notifyUrlOf } from '../../shared/hub-wechat-admin-api';
import type { FactEnvelope } from '../../shared/hub-protocol';
import { loadOrCreateIdentity } from '../../electron/sandbox/certs';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';
import { createWechatPayClient } from '../../electron/wechat/factory';
import type { ApiVersion, WechatPayClient } from '../../electron/wechat/types';
import { HUB_TEST_START, startTestHub, TestCounter, type HubEngine, type HubUnderTest } from './hub-harness';
import { enterSandboxMerchant } from './hub-wechat';
import { startTlsFront, type TlsFront } from './tls-front';

/**
 * The hub as WeChat reaches it: the hub (either engine) behind HTTPS (a TLS front, like a store's reverse proxy),
 * the sandbox's merchant entered by the owner, one enrolled counter that pushes the facts naming its orders, and
 * WeChat clients whose orders carry the hub's notify_url, so the sandbox's real notification pump delivers there.
 */
export interface NotifyRig {
  t: HubUnderTest;
  sandbox: Sandbox;
  front: TlsFront;
  counter: TestCounter;
  storeId: string;
  client(api: ApiVersion): WechatPayClient;
  notifyUrl(api: ApiVersion): string;
  /** A new out_trade_no shaped like the counter's (its terminal id first). */
  orderNo(): string;
  /** The counter's fact of a sale with a pending QR tender for `outTradeNo` (as it pushes when the QR is shown). */
  pushSale(outTradeNo: string, amountFen: number): Promise<void>;
  /** The counter's refund fact for that order. */
  pushRefund(outTradeNo: string, outRefundNo: string, amountFen: number): Promise<void>;
  /** Creates a native order with the hub's notify_url and has the customer pay it; returns its out_trade_no. */
  paidQr(amountFen: number, options?: { api?: ApiVersion; fact?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function startNotifyRig(engine: HubEngine): Promise<NotifyRig> {
  const sandboxDir = mkdtempSync(join(tmpdir(), 'notify-sandbox-'));
  const identity = await loadOrCreateIdentity(sandboxDir);
  const t = await startTestHub(engine);
  const sandbox = await startSandbox({ clock: t.clock, dataDir: sandboxDir, notifyCaPems: [identity.caCertPem] });
  const front = await startTlsFront(Number(new URL(t.hub.url).port), identity);
  const storeId = (await t.admin.setUp(t.hub.adminUrl)).storeId;
  await enterSandboxMerchant(t.admin, storeId, sandbox);
  const counter = new TestCounter(t.hub.url, t.clock);
  const enrolled = await counter.enrol(await t.admin.pairingCode(storeId));
  if (enrolled.status !== 200) throw new Error('enrolment failed');
  let seq = 0;
  let orders = 0;
  const push = async (kind: FactEnvelope['kind'], body: unknown): Promise<void> => {
    seq += 1;
    const answer = await counter.pushFacts([{ seq, kind, at: t.clock.now(), body: JSON.stringify(body) }]);
    if (answer.status !== 200) throw new Error(`push refused: ${JSON.stringify(answer.body)}`);
  };
  const clients = new Map<ApiVersion, WechatPayClient>();
  const notifyUrl = (api: ApiVersion): string => notifyUrlOf(front.url, api);
  const client = (api: ApiVersion): WechatPayClient => {
    const made = clients.get(api) ?? createWechatPayClient({
      apiVersion: api,
      credentials: { ...sandbox.credentials, platformCertificates: [sandbox.platformCertificate] },
      baseUrl: sandbox.url, timeouts: { connectMs: 3000, totalMs: 8000 }, clock: t.clock, logger: new MemoryLogger(),
      spbillCreateIp: '127.0.0.1', notifyUrl: notifyUrl(api),
    });
    clients.set(api, made);
    return made;
  };
  const rig: NotifyRig = {
    t, sandbox, front, counter, storeId, client, notifyUrl,
    orderNo: () => `${counter.terminalId}abcdefgh261207P${String((orders += 1)).padStart(6, '0')}`,
    async pushSale(outTradeNo, amountFen) {
      const at = t.clock.now();
      await push('sale', {
        saleId: seq + 1, terminalId: counter.terminalId, receiptNo: seq + 1, cashierId: 'c1', shiftId: null, state: 'open', description: '扫码销售',
        totalFen: amountFen, createdAt: at, paidAt: null, voidedAt: null, voidReason: null,
        lines: [{ lineNo: 1, name: '商品', unitFen: amountFen, quantity: 1, amountFen }],
        tenders: [{ tenderId: seq + 1, kind: 'wechat-qr', amountFen, state: 'pending', tenderedFen: null, changeFen: null, createdAt: at, settledAt: null, outTradeNo, transactionId: null }],
      });
    },
    async pushRefund(outTradeNo, outRefundNo, amountFen) {
      await push('refund', {
        refundId: seq + 1, saleId: null, terminalId: counter.terminalId, receiptNo: null, tenderId: null, attemptId: null, outTradeNo, kind: 'wechat',
        outRefundNo, amountFen, state: 'processing', approvedBy: 'm1', reason: null, requestedAt: t.clock.now(), requestedOffline: false,
        wechatRefundId: null, failureCode: null, finishedAt: null, originTerminalId: counter.terminalId, originReceiptNo: 1,
      });
    },
    async paidQr(amountFen, options = {}) {
      const no = rig.orderNo();
      if (options.fact ?? true) await rig.pushSale(no, amountFen);
      const created = await client(options.api ?? 'v3').createNativeOrder({
        outTradeNo: no, totalFen: fen(amountFen), description: '扫码销售', productId: no, timeExpire: t.clock.now() + 30 * 60_000,
      });
      if (created.kind !== 'success') throw new Error(`native order failed: ${JSON.stringify(created)}`);
      sandbox.customerPay(created.value.codeUrl);
      return no;
    },
    async close() {
      await front.close();
      await sandbox.close();
      await t.close();
      rmSync(sandboxDir, { recursive: true, force: true });
    },
  };
  return rig;
}

export { HUB_TEST_START };
