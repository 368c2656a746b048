import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Fault switches, flipped at run time from tests (programmatic) or demos (POST /sandbox/admin/faults). A fault
 * targets every API path or one path prefix, and either stays on until cleared or applies to the next N matching
 * requests only. The sandbox's own /sandbox/ pages are never faulted, so the switches can always be reached.
 *
 * - latency: the answer waits latencyMs (real time) first; combines with any other fault.
 * - drop: the request is processed (money may move), then the connection is destroyed before any answer.
 * - http-5xx: the front end answers an HTML 5xx page (status, default 502); with processed, after processing.
 * - system-error: SYSTEMERROR (v2, signed; reverse adds recall=Y) / HTTP 500 SYSTEM_ERROR (v3, signed);
 *   with processed, after processing.
 * - rate-limit: v2 FREQUENCY_LIMITED (or INVALID_REQUEST, as v2Code says) / v3 HTTP 429 FREQUENCY_LIMITED.
 * - tamper: the request is processed and answered, but one byte of the signed answer is changed in transit.
 * - outage: the listening socket is closed (connection refused) until cleared or durationMs has passed, then the
 *   sandbox listens again on the same port. Targets the whole server; `times` does not apply.
 *
 * Notification faults (the sandbox as the sender; `pathPrefix` matches the notify_url's path, `times` counts
 * notification deliveries):
 * - notify-duplicate: the delivery is sent again about 1 s later (same id, same content).
 * - notify-out-of-order: a payment notification waits until its order's refund notification has gone (or 10
 *   minutes, compressed by the time factor), so the newer state arrives before the older one.
 * - notify-tamper: one byte of the signed body changes after signing.
 * - notify-stale: v3 only: Wechatpay-Timestamp (and the signature over it) six minutes old.
 * - notify-wrong-amount: the amount inside the correctly signed and encrypted payload is ¥1.00 off the order's.
 */

export const NOTIFY_FAULT_KINDS = ['notify-duplicate', 'notify-out-of-order', 'notify-tamper', 'notify-stale', 'notify-wrong-amount'] as const;
export type NotifyFaultKind = (typeof NOTIFY_FAULT_KINDS)[number];
const isNotifyFault = (kind: string): boolean => kind.startsWith('notify-');

export const faultSpecSchema = z.strictObject({
  kind: z.enum(['latency', 'drop', 'http-5xx', 'system-error', 'rate-limit', 'tamper', 'outage', ...NOTIFY_FAULT_KINDS]),
  pathPrefix: z.string().startsWith('/').optional(),
  times: z.number().int().positive().optional(),
  latencyMs: z.number().int().nonnegative().max(600_000).optional(),
  status: z.number().int().min(500).max(599).optional(),
  processed: z.boolean().optional(),
  v2Code: z.enum(['FREQUENCY_LIMITED', 'INVALID_REQUEST']).optional(),
  durationMs: z.number().int().positive().optional(),
});

export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultKind = FaultSpec['kind'];

export interface ActiveFault extends FaultSpec {
  id: string;
  /** Requests this fault still applies to; null = until cleared. */
  remaining: number | null;
}

/** What to do with one request: wait, then at most one other fault. */
export interface FaultPlan {
  latencyMs: number;
  action: ActiveFault | null;
}

export class FaultSwitches {
  private faults: ActiveFault[] = [];

  /** Validates and switches a fault on. Throws a ZodError on an invalid spec. */
  add(spec: FaultSpec): ActiveFault {
    const valid = faultSpecSchema.parse(spec);
    const fault: ActiveFault = { ...valid, id: randomBytes(6).toString('hex'), remaining: valid.times ?? null };
    this.faults.push(fault);
    return fault;
  }

  /** Switches one fault off, or all of them without an id. Returns the faults removed. */
  remove(id?: string): ActiveFault[] {
    const removed = this.faults.filter((f) => id === undefined || f.id === id);
    this.faults = this.faults.filter((f) => !removed.includes(f));
    return removed;
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  hasOutage(): boolean {
    return this.faults.some((f) => f.kind === 'outage');
  }

  /** The faults this request meets, using up one of each applied fault's remaining count. */
  planFor(path: string): FaultPlan {
    const matching = this.faults.filter((f) => f.kind !== 'outage' && !isNotifyFault(f.kind) && path.startsWith(f.pathPrefix ?? '/'));
    const latencies = matching.filter((f) => f.kind === 'latency');
    const action = matching.find((f) => f.kind !== 'latency') ?? null;
    for (const applied of action ? [...latencies, action] : latencies) this.useOnce(applied);
    return { latencyMs: Math.max(0, ...latencies.map((f) => f.latencyMs ?? 0)), action };
  }

  /** Whether a notification fault applies to a delivery to `path`, using up one of its remaining count. */
  takeNotifyFault(kind: NotifyFaultKind, path: string): boolean {
    const fault = this.faults.find((f) => f.kind === kind && path.startsWith(f.pathPrefix ?? '/'));
    if (!fault) return false;
    this.useOnce(fault);
    return true;
  }

  private useOnce(fault: ActiveFault): void {
    if (fault.remaining === null) return;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
  }
}

/**
 * Changes one byte inside a field value of a signed answer, keeping it well-formed, so the client sees a
 * parseable message whose signature no longer matches (the "tampered in transit" case).
 */
export function tamperBody(body: Buffer): Buffer {
  const text = body.toString('utf8');
  const target =
    /<(?:nonce_str|return_msg)>(?:<!\[CDATA\[)?([^<\]])/.exec(text) ??
    /"(?:message|transaction_id|code_url)":"([^"\\])/.exec(text) ??
    /"[a-z_]+":"([^"\\])/.exec(text);
  if (!target) {
    const copy = Buffer.from(body);
    if (copy.length > 0) copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01;
    return copy;
  }
  const at = target.index + target[0].length - 1;
  const char = text[at] ?? 'a';
  const swapped = /[0-9]/.test(char) ? String((Number(char) + 1) % 10) : char === 'a' ? 'b' : 'a';
  return Buffer.from(`${text.slice(0, at)}${swapped}${text.slice(at + 1)}`, 'utf8');
}
