import type { ApiHandlers } from '../../electron/host/dispatch';
import { METHOD_NAMES } from '../../shared/api';
import { ServiceError } from '../../shared/result';

/** Handlers for transport tests: the given ones, and every other method answering NOT_IN_THIS_TEST. */
export function handlersFor(given: Partial<ApiHandlers>): ApiHandlers {
  const all: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    all[method] =
      given[method] ??
      (() => {
        throw new ServiceError('NOT_IN_THIS_TEST', `${method} is not used by this test`);
      });
  }
  return all as ApiHandlers;
}
