import { describe, expect, it } from 'vitest';
import { classifyCode, normaliseV3Code } from '../../../electron/wechat/codes';
import { KNOWN_REASON_CODES, reasonFor } from '../../../electron/wechat/reasons';
import { createScrub } from '../../../electron/wechat/redact';

// The error codes of the protocol document (micropay, refunds, request errors), by expected class.
const UNKNOWN = { SYSTEMERROR: 'system-error', BANKERROR: 'system-error', USERPAYING: 'user-paying', BIZERR_NEED_RETRY: 'system-error', FREQUENCY_LIMITED: 'rate-limited', INVALID_REQ_TOO_MUCH: 'rate-limited' };
const FAILURE = [
  'AUTHCODEEXPIRE', 'AUTH_CODE_ERROR', 'AUTH_CODE_INVALID', 'NOTENOUGH', 'NOTSUPORTCARD', 'BUYER_MISMATCH', 'TRADE_ERROR',
  'ORDERCLOSED', 'ORDERREVERSED', 'OUT_TRADE_NO_USED', 'ORDERPAID', 'INVALID_REQUEST', 'PARAM_ERROR', 'SIGNERROR',
  'LACK_PARAMS', 'XML_FORMAT_ERROR', 'NOAUTH', 'APPID_MCHID_NOT_MATCH', 'TRADE_OVERDUE', 'ORDERNOTEXIST', 'REFUNDNOTEXIST',
  'REVERSE_EXPIRE', 'CLIENT_CERT_MISSING', 'CLIENT_CERT_REJECTED', 'RETURN_FAIL',
];

describe('error code classes', () => {
  for (const [code, cause] of Object.entries(UNKNOWN)) {
    it(`${code} leaves the outcome unknown (${cause})`, () => {
      expect(classifyCode(code)).toEqual({ kind: 'unknown', cause });
    });
  }
  for (const code of FAILURE) {
    it(`${code} is a definite failure`, () => {
      expect(classifyCode(code)).toEqual({ kind: 'failure' });
    });
  }

  it('normalises v3 spellings to the v2 ones', () => {
    expect(normaliseV3Code('SYSTEM_ERROR')).toBe('SYSTEMERROR');
    expect(normaliseV3Code('ORDER_NOT_EXIST')).toBe('ORDERNOTEXIST');
    expect(normaliseV3Code('NOT_ENOUGH')).toBe('NOTENOUGH');
    expect(normaliseV3Code('SIGN_ERROR')).toBe('SIGNERROR');
    expect(normaliseV3Code('RATELIMIT_EXCEEDED')).toBe('FREQUENCY_LIMITED');
    expect(normaliseV3Code('PARAM_ERROR')).toBe('PARAM_ERROR');
  });
});

describe('cashier reasons', () => {
  it('has a Chinese and an English reason for every failure code', () => {
    for (const code of FAILURE) {
      expect(KNOWN_REASON_CODES, code).toContain(code);
      const reason = reasonFor(code);
      expect(reason.zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(reason.en, code).toMatch(/^[A-Z]/);
    }
  });

  it('falls back to a generic reason that names the code', () => {
    expect(reasonFor('SOMETHING_NEW')).toEqual({
      zh: '微信支付返回错误（SOMETHING_NEW），请稍后重试或联系技术支持',
      en: 'WeChat Pay error (SOMETHING_NEW): try again later or contact support',
    });
  });

  it("words NOTENOUGH as the customer's balance in a payment and the merchant's in a refund", () => {
    expect(reasonFor('NOTENOUGH').zh).toContain('顾客');
    expect(reasonFor('NOTENOUGH', 'refund').zh).toContain('商户');
  });
});

describe('scrubbing server text', () => {
  const scrub = createScrub({ mchid: '1', appid: 'wx', apiKeyV2: 'SECRETKEY0123456789abcdefABCDEF0' });

  it('removes configured secrets, payment codes and openids, and keeps ordinary words', () => {
    expect(scrub('key SECRETKEY0123456789abcdefABCDEF0 code 134567890123456789 openid oUpF8uMuAJO_M2pxb1Q9zNjWeS6o ok')).toBe(
      'key *** code 1345***6789 openid oUpF***eS6o ok',
    );
    expect(scrub('签名错误，请检查后再试')).toBe('签名错误，请检查后再试');
    expect(scrub('PUB_KEY_ID_0119000000012024')).toBe('PUB_KEY_ID_0119***2024');
  });

  it('hides per-call values it is given and cuts long text', () => {
    expect(scrub('the code was 123456', ['123456'])).toBe('the code was ***');
    expect(scrub('x'.repeat(1000)).length).toBeLessThanOrEqual(301);
  });
});
