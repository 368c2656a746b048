import type { Localized } from '../../shared/i18n';
import { ServiceError } from '../../shared/result';

/** A refusal shown as is: the message is Chinese (default), `reason` carries both languages. */
export class ShiftError extends ServiceError {
  constructor(
    code: string,
    readonly reason: Localized,
  ) {
    super(code, reason.zh, reason);
  }
}

export function shiftRefusal(code: string, zh: string, en: string): ShiftError {
  return new ShiftError(code, { zh, en });
}
