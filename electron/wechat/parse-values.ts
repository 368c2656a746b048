import { fen, type Fen } from '../../shared/money';
import { MalformedAnswer } from './outcome';
import type { RefundStatus, TradeState } from './types';

/** Field readers shared by the v2 and v3 answer mappers: each throws MalformedAnswer instead of guessing. */

const TRADE_STATES: readonly TradeState[] = ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR', 'ACCEPT'];

export function tradeState(value: unknown): TradeState {
  if (typeof value === 'string' && (TRADE_STATES as readonly string[]).includes(value)) return value as TradeState;
  throw new MalformedAnswer(`unknown trade_state ${String(value).slice(0, 20)}`);
}

export function fenField(value: unknown, name: string): Fen {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return fen(value);
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return fen(Number(value));
  throw new MalformedAnswer(`${name} is not a whole number of fen`);
}

export function optionalFen(value: unknown, name: string): Fen | undefined {
  return value === undefined || value === '' ? undefined : fenField(value, name);
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** v2 refund states → the one set the engine knows. */
export function v2RefundStatus(value: unknown): RefundStatus {
  switch (value) {
    case 'SUCCESS':
      return 'SUCCESS';
    case 'PROCESSING':
      return 'PROCESSING';
    case 'REFUNDCLOSE':
      return 'CLOSED';
    case 'CHANGE':
      return 'ABNORMAL';
    default:
      throw new MalformedAnswer(`unknown refund_status ${String(value).slice(0, 20)}`);
  }
}

export function v3RefundStatus(value: unknown): RefundStatus {
  if (value === 'SUCCESS' || value === 'PROCESSING' || value === 'CLOSED' || value === 'ABNORMAL') return value;
  throw new MalformedAnswer(`unknown refund status ${String(value).slice(0, 20)}`);
}

/** 'yyyy-MM-dd HH:mm:ss' in Beijing time (v2 refund_success_time) → epoch ms. */
export function parseBeijingDashed(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3600_000;
}

/** RFC 3339 (v3 success_time) → epoch ms. */
export function parseRfc3339(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
