import type { Localized } from '../../shared/i18n';
import { ServiceError } from '../../shared/result';

/** A refusal the cashier reads: the message is Chinese (default), `reason` carries both languages. */
export class PaymentError extends ServiceError {
  constructor(
    code: string,
    readonly reason: Localized,
  ) {
    super(code, reason.zh, reason);
  }
}

export function refuse(code: string, zh: string, en: string): PaymentError {
  return new PaymentError(code, { zh, en });
}
