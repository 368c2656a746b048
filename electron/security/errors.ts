import type { Localized } from '../../shared/i18n';
import { ServiceError } from '../../shared/result';

/**
 * A refusal people read (wrong PIN, locked, approval missing, invalid credential). The message is Chinese (the
 * default), `reason` carries both languages. It never holds a secret or a PIN: only words about them.
 */
export class SecurityError extends ServiceError {
  override readonly name = 'SecurityError';
  constructor(
    code: string,
    readonly reason: Localized,
  ) {
    super(code, reason.zh, reason);
  }
}

export function securityError(code: string, zh: string, en: string): SecurityError {
  return new SecurityError(code, { zh, en });
}
