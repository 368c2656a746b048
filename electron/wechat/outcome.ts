import { classifyCode } from './codes';
import { reasonFor } from './reasons';
import type { UnknownCause, WechatOutcome } from './types';

export const success = <T>(value: T): WechatOutcome<T> => ({ kind: 'success', value });

export function failure(code: string, detail?: string, context: 'payment' | 'refund' = 'payment'): WechatOutcome<never> {
  return detail === undefined
    ? { kind: 'failure', code, reason: reasonFor(code, context) }
    : { kind: 'failure', code, reason: reasonFor(code, context), detail };
}

export function unknown(cause: UnknownCause, detail: string, code?: string): WechatOutcome<never> {
  return code === undefined ? { kind: 'unknown', cause, detail } : { kind: 'unknown', cause, code, detail };
}

/** A business error code from WeChat Pay, as failure or unknown per codes.ts. */
export function fromErrorCode(
  code: string,
  message: string,
  context: 'payment' | 'refund' = 'payment',
): WechatOutcome<never> {
  const cls = classifyCode(code, message);
  return cls.kind === 'unknown' ? unknown(cls.cause, message || code, code) : failure(code, message || undefined, context);
}

/** Re-types a non-success outcome for a caller with a different value type. */
export function passOn<T>(outcome: Exclude<WechatOutcome<unknown>, { kind: 'success' }>): WechatOutcome<T> {
  return outcome;
}

/** Thrown by the answer mappers when a signed answer lacks what it must carry; reported as unknown 'malformed'. */
export class MalformedAnswer extends Error {
  override readonly name = 'MalformedAnswer';
}
