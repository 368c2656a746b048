import { randomBytes } from 'node:crypto';
import type { Bilingual, WechatOutcome, WechatPayClient } from './types';
import { WechatPayV2Client } from './v2/client';

/**
 * "Test connection" on the settings screen: queries an order that cannot exist and explains the answer. WeChat Pay
 * answering ORDERNOTEXIST proves the address, the TLS trust, the merchant id and both signatures are right.
 * For v2 a second probe reverses the same non-existent order over mutual TLS, which checks the client certificate
 * without touching money.
 */

export type DiagnosisVerdict =
  | 'ok'
  | 'wrong-key'
  | 'merchant-mismatch'
  | 'no-permission'
  | 'clock-skew'
  | 'certificate-mismatch'
  | 'server-certificate'
  | 'client-certificate'
  | 'unreachable'
  | 'timeout'
  | 'service-error'
  | 'rate-limited'
  | 'unexpected';

export interface DiagnosisStep {
  ok: boolean;
  verdict: DiagnosisVerdict;
  message: Bilingual;
  /** The code behind the verdict (err_code, HTTP_401, ECONNREFUSED...), for support. */
  code?: string;
}

export interface Diagnosis extends DiagnosisStep {
  apiVersion: 'v2' | 'v3';
  /** v2 only: whether refunds and reversals (mutual TLS) will work. */
  clientCertificate?: DiagnosisStep;
}

const TLS_TRUST_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME|HOSTNAME/i;
const TLS_HANDSHAKE_CODES = /^ERR_SSL|^EPROTO$|^ECONNRESET$|ALERT/i;

const step = (verdict: DiagnosisVerdict, zh: string, en: string, code?: string): DiagnosisStep =>
  code === undefined ? { ok: verdict === 'ok', verdict, message: { zh, en } } : { ok: verdict === 'ok', verdict, message: { zh, en }, code };

function explainFailure(code: string, detail: string, v3: boolean): DiagnosisStep {
  switch (code) {
    case 'ORDERNOTEXIST':
      return step('ok', '连接正常：地址、商户号和密钥都正确。', 'Connection OK: address, merchant id and keys are correct.', code);
    case 'SIGNERROR':
    case 'SIGN_ERROR':
    case 'HTTP_401':
      if (/timestamp|时间/i.test(detail)) {
        return step('clock-skew', '本机时间与微信支付相差太大，请校准电脑时间。', "This computer's clock is too far off: correct the time.", code);
      }
      if (/商户号|mchid|merchant id/i.test(detail)) {
        return step('merchant-mismatch', '商户号与证书不匹配或不存在，请核对商户号。', 'The merchant id does not exist or does not match the certificate.', code);
      }
      return v3
        ? step('wrong-key', '签名被拒绝：商户私钥或证书序列号不正确。', 'Signature rejected: the merchant private key or certificate serial is wrong.', code)
        : step('wrong-key', '签名被拒绝：API密钥不正确。', 'Signature rejected: the API key is wrong.', code);
    case 'APPID_MCHID_NOT_MATCH':
    case 'MCHID_NOT_EXIST':
    case 'APPID_NOT_EXIST':
      return step('merchant-mismatch', '商户号与AppID不匹配或不存在，请核对。', 'Merchant id and AppID do not match or do not exist.', code);
    case 'NOAUTH':
      return step('no-permission', '商户没有此接口权限，请在商户平台开通。', 'The merchant lacks permission for this API.', code);
    default:
      return step('unexpected', `微信支付返回了意外的错误（${code}）。`, `WeChat Pay answered an unexpected error (${code}).`, code);
  }
}

function explainUnknown(outcome: Extract<WechatOutcome<unknown>, { kind: 'unknown' }>, v3: boolean): DiagnosisStep {
  const code = outcome.code;
  switch (outcome.cause) {
    case 'bad-signature':
      if (code === 'STALE_TIMESTAMP') {
        return step('clock-skew', '本机时间与微信支付相差5分钟以上，请校准电脑时间。', "This computer's clock is 5 minutes or more off: correct the time.", code);
      }
      if (code === 'UNKNOWN_SERIAL') {
        return step('certificate-mismatch', '应答的证书序列号或公钥ID与设置中的不一致，请更新微信支付公钥或平台证书。', "The answer's key id does not match settings: update the WeChat Pay public key or platform certificate.", code);
      }
      if (code === 'MISSING_SIGNATURE' || code === 'MISSING_SIGNATURE_HEADERS') {
        return step('unexpected', '服务器的应答没有签名：地址可能不是微信支付。', 'The answer is unsigned: the address may not be WeChat Pay.', code);
      }
      return v3
        ? step('certificate-mismatch', '应答签名验证失败：设置中的微信支付公钥或平台证书不正确。', 'Answer signature invalid: the WeChat Pay public key or platform certificate in settings is wrong.', code)
        : step('wrong-key', '应答签名验证失败：API密钥不正确。', 'Answer signature invalid: the API key is wrong.', code);
    case 'network':
      if (code && TLS_TRUST_CODES.test(code)) {
        return step('server-certificate', '服务器证书不受信任：请检查地址和CA证书设置。', "The server's certificate is not trusted: check the address and CA setting.", code);
      }
      return step('unreachable', '无法连接微信支付服务器：请检查网络和地址。', 'Cannot reach the WeChat Pay server: check the network and address.', code);
    case 'timeout':
      return step('timeout', '连接微信支付超时：请检查网络。', 'WeChat Pay did not answer in time: check the network.', code);
    case 'http-5xx':
    case 'system-error':
      return step('service-error', '微信支付暂时故障，请稍后再试。', 'WeChat Pay has a temporary problem: try again later.', code);
    case 'rate-limited':
      return step('rate-limited', '请求过于频繁，请一分钟后再试。', 'Too many requests: try again in a minute.', code);
    default:
      return step('unexpected', '微信支付的应答无法识别。', 'The answer from WeChat Pay could not be understood.', code);
  }
}

export function explainOutcome(outcome: WechatOutcome<unknown>, v3: boolean): DiagnosisStep {
  if (outcome.kind === 'success') {
    return step('ok', '连接正常：地址、商户号和密钥都正确。', 'Connection OK: address, merchant id and keys are correct.');
  }
  if (outcome.kind === 'failure') return explainFailure(outcome.code, outcome.detail ?? '', v3);
  return explainUnknown(outcome, v3);
}

function explainClientCertificate(outcome: WechatOutcome<unknown>): DiagnosisStep {
  if (outcome.kind === 'failure' && outcome.code === 'CLIENT_CERT_REJECTED') {
    return step('client-certificate', '商户API证书被拒绝：请重新导入证书和私钥。', 'The merchant API certificate was refused: import the certificate and key again.', outcome.code);
  }
  if (outcome.kind === 'failure' && outcome.code === 'CLIENT_CERT_MISSING') {
    return step('client-certificate', '未设置商户API证书：撤销和退款将无法使用。', 'No merchant API certificate: cancelling and refunds will not work.', outcome.code);
  }
  if (outcome.kind === 'unknown' && outcome.cause === 'network' && outcome.code && TLS_HANDSHAKE_CODES.test(outcome.code)) {
    return step('client-certificate', '商户API证书被拒绝：请重新导入证书和私钥。', 'The merchant API certificate was refused: import the certificate and key again.', outcome.code);
  }
  return explainOutcome(outcome, false);
}

/** An order number that cannot exist: prefixed and random, within the 32-character limit. */
export function probeOrderNo(): string {
  return `DIAG${randomBytes(12).toString('hex').toUpperCase()}`;
}

export async function diagnoseConnection(client: WechatPayClient, probe: string = probeOrderNo()): Promise<Diagnosis> {
  const v3 = client.apiVersion === 'v3';
  const main = explainOutcome(await client.queryOrder(probe), v3);
  const diagnosis: Diagnosis = { ...main, apiVersion: client.apiVersion };
  if (main.ok && client instanceof WechatPayV2Client) {
    diagnosis.clientCertificate = explainClientCertificate(await client.reverseOrder(probe));
  }
  return diagnosis;
}
