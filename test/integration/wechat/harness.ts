import { ManualClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import { startSandbox, type Sandbox, type SandboxCredentials } from '../../../electron/sandbox/server';
import { createWechatPayClient } from '../../../electron/wechat/factory';
import type { ApiVersion, WechatCredentials, WechatPayClient } from '../../../electron/wechat/types';

/** The real client against the real sandbox: HTTPS with the sandbox's CA, real signatures both ways. */

/** 2024-05-10 10:00 Beijing: the clock both sides share, so v3 timestamps and order timers agree. */
export const START = Date.UTC(2024, 4, 10, 2, 0, 0);

export interface Harness {
  sandbox: Sandbox;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const clock = new ManualClock(START);
  const sandbox = await startSandbox({ clock });
  return { sandbox, clock, close: () => sandbox.close() };
}

export function credentialsOf(sandbox: Sandbox): WechatCredentials {
  const { baseUrl: _baseUrl, ...credentials } = sandbox.credentials satisfies SandboxCredentials;
  return credentials;
}

export interface ClientOptions {
  credentials?: Partial<WechatCredentials>;
  baseUrl?: string;
  timeouts?: { connectMs: number; totalMs: number };
  clock?: ManualClock;
}

export function clientFor(h: Harness, apiVersion: ApiVersion, options: ClientOptions = {}): { client: WechatPayClient; logger: MemoryLogger } {
  const logger = new MemoryLogger();
  const client = createWechatPayClient({
    apiVersion,
    credentials: { ...credentialsOf(h.sandbox), ...options.credentials },
    baseUrl: options.baseUrl ?? h.sandbox.url,
    timeouts: options.timeouts ?? { connectMs: 3000, totalMs: 8000 },
    clock: options.clock ?? h.clock,
    logger,
    spbillCreateIp: '127.0.0.1',
    deviceInfo: 'POS01',
    notifyUrl: 'https://pos.example.com/wechatpay/notify',
  });
  return { client, logger };
}

let counter = 0;
// Payment codes are single use: a per-file counter keeps them unique within the file's own sandbox.
const unique = (): string => String((counter += 1)).padStart(8, '0');

/** A fresh payment code for a sandbox test wallet (see electron/sandbox/wallets.ts): 13 WW SS 0000 xxxxxxxx. */
export function walletCode(wallet: string, seconds = '00'): string {
  return `13${wallet}${seconds}0000${unique()}`;
}

/** A fresh out_trade_no / out_refund_no (6–32 characters, as v3 requires). */
export function outNo(prefix = 'IT'): string {
  counter += 1;
  return `${prefix}${Date.now()}${counter}`;
}
