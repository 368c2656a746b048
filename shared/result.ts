import type { Localized } from './i18n';

/** The result every API call returns: a value, or an error with a stable code and a message for people. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ApiError {
  /** Stable, machine-readable (e.g. 'BAD_REQUEST', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'INTERNAL'). */
  code: string;
  /** Shown to the person at the screen: Chinese, or both languages ('中文 / English') when that is all there is. */
  message: string;
  /** The message in each language: the windows show the one the person chose (see renderer/app-context.tsx). */
  localized?: Localized;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string, localized?: Localized | null): Result<never> => ({
  ok: false,
  error: localized ? { code, message, localized } : { code, message },
});

/** Thrown by services for a failure the caller should show as is; the transports turn it into an ApiError. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The message in both languages, when the service has them apart. */
    readonly localized: Localized | null = null,
  ) {
    super(message);
  }
}
