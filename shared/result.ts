/** The result every API call returns: a value, or an error with a stable code and a message for people. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ApiError {
  /** Stable, machine-readable (e.g. 'BAD_REQUEST', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'INTERNAL'). */
  code: string;
  /** Shown to the person at the screen, in the language they chose when the service knows it. */
  message: string;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } });

/** Thrown by services for a failure the caller should show as is; the transports turn it into an ApiError. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
