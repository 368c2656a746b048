import { describe, expect, it } from 'vitest';
import { diagnoseConnection, explainOutcome, probeOrderNo } from '../../../electron/wechat/diagnose';
import { failure, unknown } from '../../../electron/wechat/outcome';
import type { OrderState, WechatOutcome, WechatPayClient } from '../../../electron/wechat/types';

function clientAnswering(outcome: WechatOutcome<OrderState>, apiVersion: 'v2' | 'v3' = 'v3'): WechatPayClient & { asked: string[] } {
  const asked: string[] = [];
  const unused = (): Promise<never> => Promise.reject(new Error('not used by the diagnosis'));
  return {
    apiVersion,
    asked,
    queryOrder: (outTradeNo: string) => {
      asked.push(outTradeNo);
      return Promise.resolve(outcome);
    },
    micropay: unused,
    createNativeOrder: unused,
    closeOrder: unused,
    reverseOrder: unused,
    refund: unused,
    queryRefund: unused,
    downloadBill: unused,
    reportMicropayBatch: unused,
  };
}

describe('connection diagnosis', () => {
  it('queries an order number that cannot collide with a real one', async () => {
    const client = clientAnswering(failure('ORDERNOTEXIST'));
    const diagnosis = await diagnoseConnection(client);
    expect(client.asked[0]).toMatch(/^DIAG[0-9A-F]{24}$/);
    expect(diagnosis).toMatchObject({ ok: true, verdict: 'ok', apiVersion: 'v3' });
    expect(diagnosis.message.zh).toContain('连接正常');
    expect(probeOrderNo()).not.toBe(probeOrderNo());
  });

  const cases: [string, WechatOutcome<unknown>, boolean, string][] = [
    ['ORDERNOTEXIST: credentials fine', failure('ORDERNOTEXIST'), true, 'ok'],
    ['SIGNERROR on v2: wrong API key', failure('SIGNERROR', '签名错误，请检查后再试'), false, 'wrong-key'],
    ['401 on v3: wrong private key or serial', failure('SIGNERROR', '商户证书序列号有误'), true, 'wrong-key'],
    ['401 about the timestamp: clock skew', failure('SIGNERROR', '请求时间戳已过期或无效'), true, 'clock-skew'],
    ['401 naming the merchant id', failure('SIGNERROR', '商户号不存在或与证书不匹配'), true, 'merchant-mismatch'],
    ['mchid / appid mismatch', failure('APPID_MCHID_NOT_MATCH'), false, 'merchant-mismatch'],
    ['unknown merchant id', failure('MCHID_NOT_EXIST'), false, 'merchant-mismatch'],
    ['no permission', failure('NOAUTH'), false, 'no-permission'],
    ['a stale answer timestamp: clock skew', unknown('bad-signature', 'x', 'STALE_TIMESTAMP'), true, 'clock-skew'],
    ['an unknown serial: certificate mismatch', unknown('bad-signature', 'x', 'UNKNOWN_SERIAL'), true, 'certificate-mismatch'],
    ['a wrong v3 answer signature: certificate mismatch', unknown('bad-signature', 'x', 'SIGNATURE_MISMATCH'), true, 'certificate-mismatch'],
    ['a wrong v2 answer signature: wrong key', unknown('bad-signature', 'x', 'SIGNATURE_MISMATCH'), false, 'wrong-key'],
    ['an untrusted server certificate', unknown('network', 'x', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'), true, 'server-certificate'],
    ['a self-signed server certificate', unknown('network', 'x', 'DEPTH_ZERO_SELF_SIGNED_CERT'), true, 'server-certificate'],
    ['a refused connection: unreachable', unknown('network', 'x', 'ECONNREFUSED'), true, 'unreachable'],
    ['an unknown host: unreachable', unknown('network', 'x', 'ENOTFOUND'), true, 'unreachable'],
    ['a timeout', unknown('timeout', 'x', 'CONNECT_TIMEOUT'), true, 'timeout'],
    ['a 5xx', unknown('http-5xx', 'x', 'HTTP_502'), true, 'service-error'],
    ['rate limiting', unknown('rate-limited', 'x'), true, 'rate-limited'],
    ['an unsigned answer: not WeChat Pay', unknown('bad-signature', 'x', 'MISSING_SIGNATURE_HEADERS'), true, 'unexpected'],
  ];
  for (const [what, outcome, v3, verdict] of cases) {
    it(`explains ${what}`, () => {
      const step = explainOutcome(outcome, v3);
      expect(step.verdict).toBe(verdict);
      expect(step.ok).toBe(verdict === 'ok');
      expect(step.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(step.message.en.length).toBeGreaterThan(10);
    });
  }
});
