import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import type { WechatOutcome } from '../../../electron/wechat/types';
import { firstValueByte, startTamperProxy, type TamperProxy } from '../../helpers/tamper-proxy';
import { clientFor, outNo, startHarness, walletCode, type Harness } from './harness';

/** A man in the middle changes one byte of each answer: the client must never believe it. */

let h: Harness;
let proxy: TamperProxy;
beforeAll(async () => {
  h = await startHarness();
  const { caCertPem, clientCertPem, clientKeyPem } = h.sandbox.credentials;
  proxy = await startTamperProxy({ upstream: h.sandbox.url, caCertPem, clientCertPem, clientKeyPem });
});
afterAll(async () => {
  await proxy.close();
  await h.close();
});

const isUnknown = (o: WechatOutcome<unknown>): boolean => o.kind === 'unknown';

for (const api of ['v2', 'v3'] as const) {
  describe(`${api} answers tampered in transit`, () => {
    it('a paid micropay answer with one byte flipped is unknown bad-signature; the payment did happen', async () => {
      const viaProxy = clientFor(h, api, { baseUrl: proxy.url }).client;
      const before = proxy.tampered;
      const req = { outTradeNo: outNo(), authCode: walletCode('01'), totalFen: fen(1250), description: '篡改测试' };
      expect(await viaProxy.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
      expect(proxy.tampered).toBe(before + 1);
      expect(await clientFor(h, api).client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
    });

    it('a refund and a refund query with one byte flipped are unknown bad-signature', async () => {
      const direct = clientFor(h, api).client;
      const req = { outTradeNo: outNo(), authCode: walletCode('01'), totalFen: fen(1000), description: '篡改测试' };
      await direct.micropay(req);
      const viaProxy = clientFor(h, api, { baseUrl: proxy.url }).client;
      const refund = { outTradeNo: req.outTradeNo, outRefundNo: outNo('R'), totalFen: fen(1000), refundFen: fen(100) };
      expect(await viaProxy.refund(refund)).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
      expect(await viaProxy.queryRefund(refund.outRefundNo)).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    });

    it('whichever byte is flipped, a paid order query is never believed', async () => {
      const direct = clientFor(h, api).client;
      const req = { outTradeNo: outNo(), authCode: walletCode('01'), totalFen: fen(1250), description: '篡改测试' };
      await direct.micropay(req);
      const viaProxy = clientFor(h, api, { baseUrl: proxy.url }).client;
      let position = 0;
      let length = 1;
      proxy.setPick((body) => {
        length = body.length;
        return position;
      });
      try {
        const causes = new Set<string>();
        for (position = 0; position < length; position += 13) {
          const outcome = await viaProxy.queryOrder(req.outTradeNo);
          expect(isUnknown(outcome), `byte ${position}: ${JSON.stringify(outcome)}`).toBe(true);
          if (outcome.kind === 'unknown') causes.add(outcome.cause);
          // v3 verifies the raw bytes before reading them: every flip is a signature failure.
          if (api === 'v3') expect(outcome).toMatchObject({ cause: 'bad-signature' });
        }
        expect(causes.has('bad-signature')).toBe(true);
      } finally {
        proxy.setPick(firstValueByte);
      }
    });
  });
}
