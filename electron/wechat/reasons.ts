import type { Bilingual } from './types';

/**
 * What a cashier is told for each failure code, in Simplified Chinese and English. Codes use the v2 spelling;
 * v3 codes are normalised to it first (see codes.ts). Texts say what happened and what to do next.
 */
const REASONS: Record<string, Bilingual> = {
  // Payment code (付款码) problems: the customer can fix these on the phone.
  AUTHCODEEXPIRE: { zh: '付款码已过期，请顾客刷新付款码后重新扫码', en: 'Payment code expired: ask the customer to refresh it and scan again' },
  AUTH_CODE_ERROR: { zh: '付款码已被使用，请顾客刷新付款码后重新扫码', en: 'Payment code already used: ask the customer to refresh it and scan again' },
  AUTH_CODE_INVALID: { zh: '这不是有效的微信付款码，请重新扫码', en: 'Not a valid WeChat payment code: scan again' },
  NOTENOUGH: { zh: '顾客余额不足，请顾客换卡或换其他方式付款', en: "Customer's balance is too low: ask for another card or tender" },
  NOTSUPORTCARD: { zh: '顾客的银行卡不支持此交易，请顾客换卡付款', en: "The customer's card is not supported: ask for another card" },
  BUYER_MISMATCH: { zh: '付款人与此订单首次付款人不一致，请重新下单', en: 'A different payer than the first attempt: start a new order' },
  USER_ACCOUNT_ABNORMAL: { zh: '顾客的微信支付账户异常，请换其他方式付款', en: "The customer's WeChat Pay account is restricted: use another tender" },
  PAYER_ACCOUNT_ABNORMAL: { zh: '顾客的微信支付账户异常，请换其他方式付款', en: "The customer's WeChat Pay account is restricted: use another tender" },
  TRADE_ERROR: { zh: '微信支付拒绝了此交易（风控或账户限制），请换其他方式付款', en: 'WeChat Pay declined this trade (risk control or account limit): use another tender' },
  RULELIMIT: { zh: '交易金额或次数超出限制，请换其他方式付款', en: 'Amount or frequency limit reached: use another tender' },
  // Order state problems.
  ORDERPAID: { zh: '此订单已付款，请查询订单结果', en: 'This order is already paid: check its status' },
  ORDERCLOSED: { zh: '此订单已关闭，请重新下单', en: 'This order is closed: start a new order' },
  ORDERREVERSED: { zh: '此订单已撤销，请重新下单', en: 'This order was cancelled: start a new order' },
  ORDERNOTEXIST: { zh: '微信支付没有此订单', en: 'WeChat Pay has no such order' },
  OUT_TRADE_NO_USED: { zh: '订单号已被使用，请重新下单', en: 'Order number already used: start a new order' },
  REVERSE_EXPIRE: { zh: '订单已超过7天，不能撤销，请改为退款', en: 'Order is older than 7 days and cannot be cancelled: refund it instead' },
  TRADE_STATE_ERROR: { zh: '订单当前状态不允许此操作，请先查询订单', en: "The order's state does not allow this: check its status first" },
  // Refunds.
  REFUNDNOTEXIST: { zh: '微信支付没有此退款', en: 'WeChat Pay has no such refund' },
  TRADE_OVERDUE: { zh: '订单已超过退款期限（一年），不能退款', en: 'The order is past the one-year refund limit' },
  REFUND_NOTENOUGH: { zh: '商户账户余额不足，暂时无法退款，请联系店长', en: 'Merchant balance too low for the refund: contact the manager' },
  INVALID_TRANSACTIONID: { zh: '微信支付订单号无效', en: 'Invalid WeChat Pay transaction id' },
  ERROR: { zh: '退款申请被拒绝，请核对金额后重试', en: 'Refund request rejected: check the amounts and try again' },
  // Request and merchant-setup problems: the manager must fix settings.
  INVALID_REQUEST: { zh: '请求参数有误或请求过于频繁，请稍后重试', en: 'Invalid request or too many requests: try again shortly' },
  PARAM_ERROR: { zh: '请求参数有误，请联系技术支持', en: 'Invalid request parameters: contact support' },
  LACK_PARAMS: { zh: '请求缺少参数，请联系技术支持', en: 'Request is missing parameters: contact support' },
  XML_FORMAT_ERROR: { zh: '请求格式错误，请联系技术支持', en: 'Malformed request: contact support' },
  REQUIRE_POST_METHOD: { zh: '请求方式错误，请联系技术支持', en: 'Wrong request method: contact support' },
  POST_DATA_EMPTY: { zh: '请求内容为空，请联系技术支持', en: 'Empty request: contact support' },
  NOT_UTF8: { zh: '请求编码错误，请联系技术支持', en: 'Wrong request encoding: contact support' },
  SIGNERROR: { zh: '签名错误：API密钥或商户证书设置不正确，请店长检查支付设置', en: 'Signature error: the API key or merchant certificate in settings is wrong' },
  NOAUTH: { zh: '商户没有开通此支付权限，请联系微信支付', en: 'The merchant is not authorised for this payment type: contact WeChat Pay' },
  APPID_MCHID_NOT_MATCH: { zh: 'AppID与商户号不匹配，请店长检查支付设置', en: 'AppID and merchant id do not match: check the payment settings' },
  MCHID_NOT_EXIST: { zh: '商户号不存在，请店长检查支付设置', en: 'Merchant id does not exist: check the payment settings' },
  APPID_NOT_EXIST: { zh: 'AppID不存在，请店长检查支付设置', en: 'AppID does not exist: check the payment settings' },
  ACCOUNTERROR: { zh: '商户账户异常，请联系微信支付', en: 'Merchant account problem: contact WeChat Pay' },
  // Errors this client produces itself.
  CLIENT_CERT_MISSING: { zh: '未设置商户API证书，无法撤销或退款，请店长检查支付设置', en: 'No merchant API certificate set: cancelling and refunds are unavailable' },
  CREDENTIALS_MISSING: { zh: '支付设置不完整，请店长检查支付设置', en: 'Payment settings are incomplete: check the payment settings' },
  CLIENT_CERT_REJECTED: { zh: '商户API证书被拒绝，请店长重新导入证书', en: 'The merchant API certificate was refused: import it again' },
  RETURN_FAIL: { zh: '微信支付拒绝了请求，请联系技术支持', en: 'WeChat Pay rejected the request: contact support' },
  HTTP_ERROR: { zh: '微信支付返回了错误，请稍后重试或联系技术支持', en: 'WeChat Pay returned an error: try again later or contact support' },
};

/** Codes that mean something else in a refund: NOTENOUGH there is the merchant's balance, not the customer's. */
export function reasonFor(code: string, context: 'payment' | 'refund' = 'payment'): Bilingual {
  if (context === 'refund' && code === 'NOTENOUGH') return REASONS.REFUND_NOTENOUGH as Bilingual;
  const known = REASONS[code];
  if (known) return known;
  return {
    zh: `微信支付返回错误（${code}），请稍后重试或联系技术支持`,
    en: `WeChat Pay error (${code}): try again later or contact support`,
  };
}

/** The codes with a written reason (for tests that every failure code is covered). */
export const KNOWN_REASON_CODES: readonly string[] = Object.keys(REASONS);
