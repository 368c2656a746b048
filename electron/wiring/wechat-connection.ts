import { join } from 'node:path';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import { startSandbox, type Sandbox } from '../sandbox/server';
import type { Settings } from '../settings/schema';
import type { WechatClientConfig } from '../wechat/config';
import { createWechatPayClient } from '../wechat/factory';
import type { WechatCredentials, WechatPayClient } from '../wechat/types';
import type { SharedSandbox } from './shared-sandbox';

export interface WechatConnection {
  client: WechatPayClient;
  /** The embedded sandbox when it is the WeChat Pay server in use. */
  sandbox: Sandbox | null;
  /** A sandbox plays WeChat Pay (the embedded one or a shared one): demo staff, 沙箱 on every screen. */
  sandboxMode: boolean;
  close(): Promise<void>;
}

export interface WechatConnectionOptions {
  settings: Settings;
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** --sandbox: use the embedded sandbox whatever the settings say. */
  forceSandbox: boolean;
  /** --wechat-base-url: overrides settings (e.g. the WeChat Pay backup host). */
  baseUrlOverride?: string | undefined;
  /** Benchmarks only: where the client reaches the embedded sandbox (a proxy in front of it); default its own URL. */
  routeSandbox?: ((sandboxUrl: string) => string) | undefined;
  /** The merchant's credentials from the secret store; null when none were entered yet. */
  liveCredentials: WechatCredentials | null;
  /** Where WeChat notifies orders: the hub's endpoint while enrolled (asked at each order), else unset. */
  notifyUrl?: () => string | undefined;
  /** A sandbox shared with the store's other counters, used instead of the embedded one in sandbox mode. */
  sharedSandbox?: SharedSandbox | undefined;
}

export class WechatNotConfiguredError extends Error {}

const TIMEOUTS = { connectMs: 5_000, totalMs: 15_000 };

/**
 * Builds the WeChat Pay client the app uses: the embedded sandbox (its own HTTPS server, ledger and test
 * merchant, kept in <data-dir>/sandbox) on a new install or with --sandbox, else the merchant's live
 * credentials. The sandbox is also the fallback while no credentials exist, so a new user sees the whole flow.
 */
export async function connectWechat(options: WechatConnectionOptions): Promise<WechatConnection> {
  const { settings, clock, logger } = options;
  const useSandbox = options.forceSandbox || settings.wechat.mode === 'sandbox' || !options.liveCredentials;
  if (useSandbox && options.sharedSandbox) {
    const shared = options.sharedSandbox;
    const client = createClientFor(settings, shared.credentials, shared.baseUrl, clock, logger, { ...(shared.subMchid ? { sandboxSubMchid: shared.subMchid } : {}), notifyUrl: options.notifyUrl });
    logger.info('wechat: using a shared sandbox', { url: shared.baseUrl, apiVersion: settings.wechat.apiVersion });
    return { client, sandbox: null, sandboxMode: true, close: () => Promise.resolve() };
  }
  if (useSandbox) {
    const sandbox = await startSandbox({ dataDir: join(options.dataDir, 'sandbox'), clock, logger, notifyPumpMs: 1000 });
    const { baseUrl: _baseUrl, ...credentials } = sandbox.credentials;
    // The sandbox's own sub-merchant stands in for the store's when settings choose service-provider mode.
    const client = createClientFor(settings, credentials, options.routeSandbox?.(sandbox.url) ?? sandbox.url, clock, logger, { sandboxSubMchid: sandbox.credentials.subMchid, notifyUrl: options.notifyUrl });
    logger.info('wechat: using the embedded sandbox', { url: sandbox.url, apiVersion: settings.wechat.apiVersion });
    return { client, sandbox, sandboxMode: true, close: () => sandbox.close() };
  }
  const credentials = options.liveCredentials;
  if (!credentials) throw new WechatNotConfiguredError('no merchant credentials');
  const client = createClientFor(settings, credentials, options.baseUrlOverride ?? settings.wechat.baseUrl, clock, logger, { notifyUrl: options.notifyUrl });
  logger.info('wechat: using live credentials', { apiVersion: settings.wechat.apiVersion });
  return { client, sandbox: null, sandboxMode: false, close: () => Promise.resolve() };
}

/**
 * Direct merchant or service provider, and whether payments are flagged for profit sharing. `sandboxSubMchid`
 * replaces the configured sub-merchant when the embedded sandbox plays WeChat Pay.
 */
export function merchantScope(settings: Settings, sandboxSubMchid?: string): Pick<WechatClientConfig, 'partner' | 'profitSharing'> {
  const w = settings.wechat;
  if (w.merchantMode !== 'partner') return { profitSharing: w.profitSharing };
  const subMchid = sandboxSubMchid ?? w.subMchid;
  return { profitSharing: w.profitSharing, partner: w.subAppid && sandboxSubMchid === undefined ? { subMchid, subAppid: w.subAppid } : { subMchid } };
}

/** A client for these settings (API version, terminal, merchant mode) and credentials, talking to baseUrl. */
export function createClientFor(
  settings: Settings,
  credentials: WechatCredentials,
  baseUrl: string,
  clock: Clock,
  logger: Logger,
  extras: { sandboxSubMchid?: string; notifyUrl?: () => string | undefined } = {},
): WechatPayClient {
  return createWechatPayClient({
    ...merchantScope(settings, extras.sandboxSubMchid),
    apiVersion: settings.wechat.apiVersion,
    credentials,
    baseUrl,
    timeouts: TIMEOUTS,
    clock,
    logger,
    spbillCreateIp: '127.0.0.1',
    deviceInfo: settings.terminalId,
    notifyUrl: extras.notifyUrl,
  });
}
