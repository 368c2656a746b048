import type { Fen } from '../../shared/money';

/**
 * The one client interface the payment engine uses, implemented for API v2 (XML) and v3 (JSON). Every answer is
 * mapped to exactly one of three outcomes; *unknown* is never reported as failure, because the money may have
 * moved: the caller resolves it by querying.
 */
export type WechatOutcome<T> =
  | { kind: 'success'; value: T }
  /** `detail`: what the server said, scrubbed of credentials (for logs and diagnosis, not for the cashier). */
  | { kind: 'failure'; code: string; reason: Bilingual; detail?: string }
  | { kind: 'unknown'; cause: UnknownCause; code?: string; detail: string };

export type UnknownCause =
  | 'network' // connection refused, reset, DNS
  | 'timeout' // connect or total timeout
  | 'http-5xx'
  | 'system-error' // SYSTEMERROR / BANKERROR / BIZERR_NEED_RETRY
  | 'user-paying' // the payer is entering a password
  | 'bad-signature' // missing, wrong, stale timestamp or unknown key serial: fail closed
  | 'rate-limited' // FREQUENCY_LIMITED / HTTP 429 / INVALID_REQUEST used as a rate limit
  | 'malformed'; // an answer that cannot be parsed

export interface Bilingual {
  zh: string;
  en: string;
}

export type ApiVersion = 'v2' | 'v3';

export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | 'ACCEPT';

/** An order as WeChat reports it. `openid` is the full value: it stays on the main side and is masked before it goes anywhere else. */
export interface OrderState {
  outTradeNo: string;
  tradeState: TradeState;
  transactionId?: string;
  totalFen: Fen;
  payerTotalFen?: Fen;
  openid?: string;
  bankType?: string;
  /** Epoch ms of time_end / success_time. */
  successTime?: number;
  tradeStateDesc?: string;
}

export interface MicropayRequest {
  outTradeNo: string;
  /** The payer's 18-digit payment code: a bearer credential, never logged. */
  authCode: string;
  totalFen: Fen;
  description: string;
  deviceInfo?: string;
  attach?: string;
}

export interface NativeOrderRequest {
  outTradeNo: string;
  totalFen: Fen;
  description: string;
  /** Epoch ms after which the order can no longer be paid (≥ 5 min after creation). */
  timeExpire: number;
  /** v2 requires product_id for NATIVE; the POS uses the sale id. */
  productId: string;
  deviceInfo?: string;
}

export interface RefundRequest {
  outTradeNo: string;
  outRefundNo: string;
  totalFen: Fen;
  refundFen: Fen;
  reason?: string;
}

export type RefundStatus = 'SUCCESS' | 'PROCESSING' | 'CLOSED' | 'ABNORMAL';

export interface RefundState {
  outRefundNo: string;
  refundId?: string;
  refundFen: Fen;
  /** v2 REFUNDCLOSE → CLOSED, CHANGE → ABNORMAL. */
  status: RefundStatus;
  successTime?: number;
}

export interface BillRequest {
  /** yyyy-MM-dd, a Beijing calendar day. */
  billDate: string;
  billType: 'ALL' | 'SUCCESS' | 'REFUND';
}

export type BillResult = { kind: 'bill'; csv: string } | { kind: 'no-bill' };

/** One trade of the v2 micropay batch report (交易保障). */
export interface ReportTrade {
  outTradeNo: string;
  beginTime: number;
  endTime: number;
  state: 'OK' | 'FAIL' | 'CANCLE';
  errMsg?: string;
}

export interface WechatPayClient {
  readonly apiVersion: ApiVersion;
  micropay(req: MicropayRequest): Promise<WechatOutcome<OrderState>>;
  createNativeOrder(req: NativeOrderRequest): Promise<WechatOutcome<{ codeUrl: string }>>;
  /** ORDERNOTEXIST comes back as failure with that code: the order was never created. */
  queryOrder(outTradeNo: string): Promise<WechatOutcome<OrderState>>;
  /** ORDERPAID comes back as failure with that code: the customer paid after all. */
  closeOrder(outTradeNo: string): Promise<WechatOutcome<void>>;
  reverseOrder(outTradeNo: string): Promise<WechatOutcome<{ recall: boolean }>>;
  /** Success means *accepted*: poll queryRefund to a final status. */
  refund(req: RefundRequest): Promise<WechatOutcome<{ refundId?: string; status: RefundStatus }>>;
  queryRefund(outRefundNo: string): Promise<WechatOutcome<RefundState>>;
  downloadBill(req: BillRequest): Promise<WechatOutcome<BillResult>>;
  /**
   * v3 fund-flow bill (资金账单) of the BASIC account for a yyyy-MM-dd day, checked like the trade bill. Only the v3
   * client has it (v2's downloadfundflow needs HMAC-SHA256 and the client certificate, and no caller uses it yet).
   */
  downloadFundFlowBill?(billDate: string): Promise<WechatOutcome<BillResult>>;
  /** v2 payitil/report micropay batch; a v3 client answers success without a call (v3 has no such API). */
  reportMicropayBatch(trades: readonly ReportTrade[]): Promise<WechatOutcome<void>>;
  /**
   * Pre-connect: makes sure warm connections to the host exist (v2: also the mutual-TLS one for secapi). Never
   * rejects; optional because test clients have no connections.
   */
  warmConnections?(): Promise<void>;
  /**
   * Runs `then` once the requests this client has started are written (or wait for a connection, or ended): see
   * HttpTransport.afterRequestsWritten. Optional: test clients run it at once.
   */
  afterRequestsWritten?(then: () => void): void;
}

/** What the merchant enters in settings (or the sandbox writes). Lives on the main side only. */
export interface WechatCredentials {
  mchid: string;
  appid: string;
  apiKeyV2?: string;
  v2SignType?: 'MD5' | 'HMAC-SHA256';
  apiV3Key?: string;
  merchantPrivateKeyPem?: string;
  merchantCertSerial?: string;
  /** Current mode for new merchants: verify by WeChat Pay public key id (PUB_KEY_ID_...). */
  wechatPayPublicKeyPem?: string;
  wechatPayPublicKeyId?: string;
  /** Older mode: verify by platform certificate serial. */
  platformCertificates?: { serial: string; pem: string }[];
  /** v2 mutual TLS for secapi paths. */
  clientCertPem?: string;
  clientKeyPem?: string;
  /** Extra trust root for the server (the sandbox's own CA); absent for the real service. */
  caCertPem?: string;
}
