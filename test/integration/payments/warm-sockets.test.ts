import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import type { AttemptView } from '../../../shared/payments';
import { silentLogger } from '../../../shared/log';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { createWechatPayClient } from '../../../electron/wechat/factory';
import type { ApiVersion, WechatPayClient } from '../../../electron/wechat/types';
import { walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, T0, type Harness } from '../../helpers/payments-harness';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy';

/**
 * Payments over kept-alive connections, with the connections cut at the worst moments: between two sales (the
 * kept socket is dead when the next code goes out), and after a request was written (the answer never comes).
 * The sandbox is real (HTTPS, ledger); a TCP proxy in front of it cuts the connections, as a server or a NAT does.
 */

let serial = 5000;
const nextSerial = (): number => ++serial;

describe.each<ApiVersion>(['v2', 'v3'])('warm sockets cut by the server (%s)', (apiVersion) => {
  const clock = new ManualClock(T0);
  let sandbox: Sandbox;
  let proxy: TcpProxy;
  let terminal = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(sandbox.url).port) });
  });
  afterAll(async () => {
    await proxy.close();
    await sandbox.close();
  });

  /** The real client through the proxy; every micropay outcome kind is recorded. */
  function harness(): { h: Harness; micropayOutcomes: string[] } {
    terminal += 1;
    const client = createWechatPayClient({
      apiVersion,
      credentials: sandbox.credentials,
      baseUrl: proxy.url,
      timeouts: { connectMs: 2_000, totalMs: 5_000 },
      clock,
      logger: silentLogger,
      spbillCreateIp: '127.0.0.1',
    });
    const micropayOutcomes: string[] = [];
    const observed: WechatPayClient = Object.create(client) as WechatPayClient;
    observed.micropay = async (request) => {
      const outcome = await client.micropay(request);
      micropayOutcomes.push(outcome.kind);
      return outcome;
    };
    const h = createHarness(observed, { clock, terminalId: `W${apiVersion}${terminal}` });
    return { h, micropayOutcomes };
  }

  it('a kept connection closed between two sales: every sale paid once, no unknown outcome, no second charge', async () => {
    const { h, micropayOutcomes } = harness();
    const attempts: AttemptView[] = [];
    for (let sale = 0; sale < 6; sale += 1) {
      const created = h.service.createSale({ cashierId: 'c1', amountFen: 1000 + sale });
      // The server drops the idle connection right as the next code is scanned.
      if (sale > 0) proxy.cutAll();
      attempts.push(h.service.scanPaymentCode(created.id, walletCode(WALLETS.instant, nextSerial())));
      await h.drain(60_000);
    }
    expect(micropayOutcomes).toEqual(Array(6).fill('success'));
    for (const attempt of attempts) {
      expect(h.service.getAttempt(attempt.id).state).toBe('paid');
      expect(sandbox.getOrder(attempt.outTradeNo)?.tradeState).toBe('SUCCESS');
    }
    const charged = sandbox.listOrders().filter((o) => attempts.some((a) => a.outTradeNo === o.outTradeNo));
    expect(charged).toHaveLength(6);
  });

  it('sales on one kept connection need no new handshake', async () => {
    const { h } = harness();
    const first = h.service.createSale({ cashierId: 'c1', amountFen: 300 });
    h.service.scanPaymentCode(first.id, walletCode(WALLETS.instant, nextSerial()));
    await h.drain(60_000);
    const accepted = proxy.accepted;
    for (let sale = 0; sale < 3; sale += 1) {
      const created = h.service.createSale({ cashierId: 'c1', amountFen: 400 + sale });
      h.service.scanPaymentCode(created.id, walletCode(WALLETS.instant, nextSerial()));
      await h.drain(60_000);
    }
    expect(proxy.accepted).toBe(accepted);
  });

  it('a kept connection cut after the code was written: unknown outcome, then query → reverse, charged never', async () => {
    const { h, micropayOutcomes } = harness();
    const warmUp = h.service.createSale({ cashierId: 'c1', amountFen: 500 });
    h.service.scanPaymentCode(warmUp.id, walletCode(WALLETS.instant, nextSerial()));
    await h.drain(60_000);
    // The next request on a kept connection is processed by the server, which then drops the connection unanswered.
    const reusedFlags: boolean[] = [];
    proxy.onClientData(({ reused }) => reusedFlags.push(reused));
    const path = apiVersion === 'v2' ? '/pay/micropay' : '/v3/pay/transactions/codepay';
    await sandbox.faults.add({ kind: 'drop', pathPrefix: path, times: 1 });
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 700 });
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.passwordNever, nextSerial()));
    await h.drain(5 * 60_000);
    proxy.onClientData(null);
    await sandbox.faults.clear();
    expect(reusedFlags[0]).toBe(true);
    expect(micropayOutcomes.slice(1)).toEqual(['unknown']);
    const ended = h.service.getAttempt(attempt.id);
    expect(ended.state).toBe('reversed');
    expect(sandbox.getOrder(attempt.outTradeNo)?.tradeState).toBe('REVOKED');
  });
});
