import { describe, expect, it } from 'vitest';
import { outcomeWords, PROBE_UNREACHABLE } from '../../../electron/sync/outcome';
import type { UnknownCause } from '../../../electron/wechat/types';

describe("a WeChat answer in the manager's words", () => {
  it('says a bill still being made is normal and when it exists, without its code', () => {
    const words = outcomeWords({ kind: 'unknown', cause: 'system-error', code: 'BILL_CREATING', detail: 'the bill is still being generated' });
    expect(words?.zh).toContain('微信账单还在生成中');
    expect(words?.en).toContain('10:00');
    expect(JSON.stringify(words)).not.toMatch(/BILL_CREATING|system-error/);
  });

  it.each<UnknownCause>(['network', 'timeout', 'http-5xx', 'system-error', 'user-paying', 'rate-limited', 'bad-signature', 'malformed'])(
    'words every unknown cause (%s) in both languages, never the raw code or detail',
    (cause) => {
      const words = outcomeWords({ kind: 'unknown', cause, code: 'SYSTEMERROR', detail: 'raw detail text' });
      expect(words?.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(words?.en).toMatch(/^[\x20-\x7e]+$/);
      expect(JSON.stringify(words)).not.toContain('SYSTEMERROR');
      if (cause.includes('-')) expect(JSON.stringify(words)).not.toContain(cause);
      expect(JSON.stringify(words)).not.toContain('raw detail text');
    },
  );

  it("passes a refusal's own reason on and says nothing for a success", () => {
    expect(outcomeWords({ kind: 'failure', code: 'NOTENOUGH', reason: { zh: '余额不足', en: 'Not enough balance' } })).toEqual({
      zh: '微信支付拒绝了请求：余额不足',
      en: 'WeChat Pay refused a request: Not enough balance',
    });
    expect(outcomeWords({ kind: 'success', value: null })).toBeNull();
    expect(PROBE_UNREACHABLE.zh).not.toContain('probe');
  });
});
