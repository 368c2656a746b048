import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import { diagnoseConnection } from '../../../electron/wechat/diagnose';
import type { OrderState, WechatOutcome, WechatPayClient } from '../../../electron/wechat/types';
import { clientFor, outNo, startHarness, walletCode, type Harness } from './harness';

/** Every fault switch of the sandbox, for both API generations: nothing may come back as a definite failure. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.sandbox.faults.clear();
});
afterAll(async () => {
  await h.close();
});

const pay = (outTradeNo = outNo()) => ({ outTradeNo, authCode: walletCode('01'), totalFen: fen(800), description: '故障测试' });

/** The sandbox may still be sleeping on a latency fault: query until the order shows up (bounded). */
async function eventuallyQuery(client: WechatPayClient, outTradeNo: string): Promise<WechatOutcome<OrderState>> {
  let last = await client.queryOrder(outTradeNo);
  for (let i = 0; i < 50 && !(last.kind === 'success'); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await client.queryOrder(outTradeNo);
  }
  return last;
}

for (const api of ['v2', 'v3'] as const) {
  describe(`${api} client under sandbox faults`, () => {
    it('latency beyond the total timeout: unknown timeout, yet the payment went through', async () => {
      await h.sandbox.faults.add({ kind: 'latency', latencyMs: 1500, times: 1 });
      const slow = clientFor(h, api, { timeouts: { connectMs: 400, totalMs: 500 } }).client;
      const req = pay();
      expect(await slow.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'timeout', code: 'TOTAL_TIMEOUT' });
      expect(await eventuallyQuery(clientFor(h, api).client, req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
    });

    it('latency within the timeout: a normal answer', async () => {
      await h.sandbox.faults.add({ kind: 'latency', latencyMs: 200, times: 1 });
      expect(await clientFor(h, api).client.micropay(pay())).toMatchObject({ kind: 'success' });
    });

    it('dropped answer: unknown network, and the query finds the payment', async () => {
      await h.sandbox.faults.add({ kind: 'drop', times: 1 });
      const { client } = clientFor(h, api);
      const req = pay();
      expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'network' });
      expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
    });

    it('HTML 5xx before processing: unknown http-5xx, and no order exists', async () => {
      await h.sandbox.faults.add({ kind: 'http-5xx', status: 502, times: 1 });
      const { client } = clientFor(h, api);
      const req = pay();
      expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'http-5xx', code: 'HTTP_502' });
      expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'failure', code: 'ORDERNOTEXIST' });
    });

    it('HTML 5xx after processing: unknown http-5xx, and the order is paid', async () => {
      await h.sandbox.faults.add({ kind: 'http-5xx', status: 503, processed: true, times: 1 });
      const { client } = clientFor(h, api);
      const req = pay();
      expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'http-5xx' });
      expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
    });

    it('SYSTEMERROR: unknown, never failure', async () => {
      await h.sandbox.faults.add({ kind: 'system-error', times: 1 });
      const outcome = await clientFor(h, api).client.micropay(pay());
      expect(outcome.kind).toBe('unknown');
      expect(outcome).toMatchObject(api === 'v2' ? { cause: 'system-error', code: 'SYSTEMERROR' } : { cause: 'http-5xx', code: 'SYSTEM_ERROR' });
    });

    it('SYSTEMERROR on reverse asks to call reverse again', async () => {
      const { client } = clientFor(h, api);
      const req = pay();
      await client.micropay(req);
      await h.sandbox.faults.add({ kind: 'system-error', pathPrefix: api === 'v2' ? '/secapi/pay/reverse' : '/v3/pay/transactions', times: 1 });
      expect((await client.reverseOrder(req.outTradeNo)).kind).toBe('unknown');
      expect(await client.reverseOrder(req.outTradeNo)).toEqual({ kind: 'success', value: { recall: false } });
    });

    it('rate limiting: unknown rate-limited', async () => {
      await h.sandbox.faults.add({ kind: 'rate-limit', times: 1 });
      expect(await clientFor(h, api).client.queryOrder(outNo())).toMatchObject({ kind: 'unknown', cause: 'rate-limited' });
      if (api === 'v2') {
        await h.sandbox.faults.add({ kind: 'rate-limit', v2Code: 'INVALID_REQUEST', times: 1 });
        expect(await clientFor(h, api).client.queryOrder(outNo())).toMatchObject({ kind: 'unknown', cause: 'rate-limited', code: 'INVALID_REQUEST' });
        await h.sandbox.faults.add({ kind: 'rate-limit', times: 1 });
        const report = await clientFor(h, api).client.reportMicropayBatch([{ outTradeNo: 'X', beginTime: 0, endTime: 1, state: 'OK' }]);
        expect(report).toMatchObject({ kind: 'unknown', cause: 'rate-limited' });
      }
    });

    it('an answer tampered in transit: unknown bad-signature, though the payment went through', async () => {
      await h.sandbox.faults.add({ kind: 'tamper', times: 1 });
      const { client } = clientFor(h, api);
      const req = pay();
      expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
      expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
    });

    it('total outage: unknown network (connection refused), diagnosed as unreachable; back after clearing', async () => {
      await h.sandbox.faults.add({ kind: 'outage' });
      const { client } = clientFor(h, api);
      expect(await client.micropay(pay())).toMatchObject({ kind: 'unknown', cause: 'network', code: 'ECONNREFUSED' });
      expect(await diagnoseConnection(client)).toMatchObject({ ok: false, verdict: 'unreachable' });
      await h.sandbox.faults.clear();
      expect(await client.micropay(pay())).toMatchObject({ kind: 'success' });
    });
  });
}
