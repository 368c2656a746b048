import type { Localized } from '../../shared/i18n';
import type { AttemptView } from '../../shared/payments';

/**
 * What the customer reads about their payment: addressed to them, about what they can do ("请在手机上输入支付密码"),
 * never the cashier's instructions ("请顾客换卡…", "等待顾客输入密码") or WeChat's internals. A failure the
 * customer can fix says how; anything else sends them to the cashier, who sees the reason in full.
 */
export function customerWords(attempt: Pick<AttemptView, 'state' | 'failure'>): Localized {
  switch (attempt.state) {
    case 'user-paying':
      return { zh: '请在手机上输入支付密码', en: 'Please enter your payment password on your phone' };
    case 'failed':
    case 'cancelled':
    case 'closed':
      return failureWords(attempt.failure?.code ?? null);
    case 'reversing':
    case 'reversed':
      return { zh: '本次付款未扣款，请与收银员确认', en: 'No money was taken; please check with the cashier' };
    case 'needs-attention':
    case 'confirming':
      return { zh: '正在确认付款结果，请稍候', en: 'Confirming your payment, one moment please' };
    default:
      return { zh: '正在处理您的付款，请稍候', en: 'Processing your payment, one moment please' };
  }
}

function failureWords(code: string | null): Localized {
  switch (code) {
    case 'NOTENOUGH':
      return { zh: '余额不足，请更换银行卡或其他付款方式', en: 'Not enough balance: please use another card or way to pay' };
    case 'NOTSUPORTCARD':
      return { zh: '该银行卡不支持此付款，请更换银行卡', en: 'This card cannot be used here: please use another card' };
    case 'AUTHCODEEXPIRE':
    case 'AUTH_CODE_INVALID':
      return { zh: '付款码已失效，请刷新付款码后再出示', en: 'The payment code has expired: please refresh it and show it again' };
    default:
      return { zh: '付款未完成，请与收银员确认', en: 'The payment did not go through; please check with the cashier' };
  }
}
