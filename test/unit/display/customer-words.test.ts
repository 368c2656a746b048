import { describe, expect, it } from 'vitest';
import { customerWords } from '../../../electron/display/customer-words';
import type { AttemptState } from '../../../shared/payments';

const STATES: AttemptState[] = [
  'queued', 'sending', 'user-paying', 'confirming', 'reversing', 'paid', 'failed', 'reversed', 'cancelled',
  'creating', 'awaiting-scan', 'closing', 'closed', 'refunding', 'refunded', 'needs-attention',
];
const CODES = [null, 'NOTENOUGH', 'NOTSUPORTCARD', 'AUTHCODEEXPIRE', 'SYSTEMERROR', 'LOCAL_OFFLINE'];

describe('what the customer display says about a payment', () => {
  it('asks the customer for the password on their phone', () => {
    expect(customerWords({ state: 'user-paying', failure: null })).toEqual({ zh: '请在手机上输入支付密码', en: 'Please enter your payment password on your phone' });
  });

  it('speaks to the customer in every state and for every failure: never of "the customer", never a WeChat code', () => {
    for (const state of STATES) {
      for (const code of CODES) {
        const words = customerWords({ state, failure: code ? { code, zh: `顾客出错 ${code}`, en: `customer ${code}` } : null });
        expect(words.zh, `${state} ${code ?? ''}`).not.toMatch(/顾客|[A-Z_]{4,}/);
        expect(words.en, `${state} ${code ?? ''}`).not.toMatch(/[Cc]ustomer|[A-Z_]{4,}/);
      }
    }
  });

  it('tells the customer what they can do about a card or balance problem', () => {
    expect(customerWords({ state: 'failed', failure: { code: 'NOTENOUGH', zh: '', en: '' } }).zh).toBe('余额不足，请更换银行卡或其他付款方式');
    expect(customerWords({ state: 'failed', failure: { code: 'SYSTEMERROR', zh: '', en: '' } }).zh).toBe('付款未完成，请与收银员确认');
  });
});
