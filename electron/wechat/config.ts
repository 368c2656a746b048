import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import { createScrub, type Scrub } from './redact';
import type { HttpTransport, TransportTimeouts } from './transport';
import type { ApiVersion, WechatCredentials } from './types';

/** Everything a WeChat Pay client needs, built by the composition root from settings. */
export interface WechatClientConfig {
  apiVersion: ApiVersion;
  credentials: WechatCredentials;
  /** https://api.mch.weixin.qq.com, its backup host, or the sandbox's URL. */
  baseUrl: string;
  timeouts: TransportTimeouts;
  clock: Clock;
  logger: Logger;
  /** The terminal's IP as WeChat Pay wants it in spbill_create_ip / device_ip. */
  spbillCreateIp: string;
  /** Terminal or store number sent as device_info (v2) / scene_info.device_id (v3). */
  deviceInfo?: string;
  /**
   * Where WeChat Pay sends payment and refund notifications (the hub's endpoint when the counter is enrolled).
   * Native orders require one: when unset a placeholder is sent (whether WeChat Pay accepts an unreachable URL is
   * unconfirmed: set one in settings for production). Refunds carry it only when set. Micropay has no notify_url
   * in either API version: WeChat never notifies payment-code payments.
   */
  notifyUrl?: string | (() => string | undefined);
  /**
   * Service-provider mode (服务商): credentials are the provider's (mchid = sp_mchid, appid = sp_appid) and every
   * call is made for this sub-merchant (特约商户). Absent: a direct merchant.
   */
  partner?: PartnerScope;
  /** Payments are created with profit sharing on (v3 settle_info.profit_sharing, v2 profit_sharing=Y). */
  profitSharing?: boolean;
  /** Random string source for nonce_str / v3 nonces; tests pass a fixed one. */
  nonce?: () => string;
  /** Tests may pass their own transport; otherwise one is built from baseUrl, timeouts and credentials. */
  transport?: HttpTransport;
}

export interface PartnerScope {
  subMchid: string;
  subAppid?: string;
}

export const DEFAULT_NOTIFY_URL = 'https://127.0.0.1/wechatpay/notify';

/** 32 uppercase hex characters: within v2's 32-character nonce_str limit. */
export function randomNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** What every operation of either client shares. */
export interface ClientContext {
  credentials: WechatCredentials;
  transport: HttpTransport;
  clock: Clock;
  logger: Logger;
  nonce: () => string;
  scrub: Scrub;
  spbillCreateIp: string;
  deviceInfo?: string;
  notifyUrl: string;
  /** The notifyUrl from settings, if any (refunds carry notify_url only then; native orders need one always). */
  configuredNotifyUrl?: string;
  partner?: PartnerScope;
  profitSharing: boolean;
}

export function buildContext(config: WechatClientConfig, transport: HttpTransport): ClientContext {
  // A function is asked at each order: an enrolled counter's notify_url comes from the hub's reference data and
  // may change while the app runs (the owner sets the hub's public address).
  const configured = typeof config.notifyUrl === 'function' ? config.notifyUrl : () => config.notifyUrl as string | undefined;
  return {
    credentials: config.credentials,
    transport,
    clock: config.clock,
    logger: config.logger,
    nonce: config.nonce ?? randomNonce,
    scrub: createScrub(config.credentials),
    spbillCreateIp: config.spbillCreateIp,
    deviceInfo: config.deviceInfo,
    get notifyUrl() {
      return configured() ?? DEFAULT_NOTIFY_URL;
    },
    get configuredNotifyUrl() {
      return configured();
    },
    partner: config.partner,
    profitSharing: config.profitSharing === true,
  };
}

/**
 * The context with more fields. Not a spread: `{ ...ctx }` reads the notifyUrl getters once, so a client built
 * before the counter's first reference pull (or before the owner set the hub's public address) would put the
 * default notify_url on every order until a restart. The getters are copied as getters.
 */
export function extendContext<T extends object>(ctx: ClientContext, extra: T): ClientContext & T {
  const copy: object = Object.defineProperties({}, Object.getOwnPropertyDescriptors(ctx));
  return Object.defineProperties(copy, Object.getOwnPropertyDescriptors(extra)) as ClientContext & T;
}

/** WeChat Pay limits descriptions to 128 bytes (v2 body) / 127 characters (v3); cut at a character boundary. */
export function clipDescription(text: string, maxBytes = 120): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > maxBytes) break;
    out += ch;
    bytes += size;
  }
  return out;
}
