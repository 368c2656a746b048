import {
  apiMethods,
  isMethodName,
  type MethodName,
  type MethodResult,
  type ParsedRequest,
  type WindowRole,
} from '../../shared/api';
import { splitBilingual } from '../../shared/i18n';
import type { Logger } from '../../shared/log';
import { fail, ok, ServiceError, type Result } from '../../shared/result';

/** Who is calling: the window's role and a stable id of its connection (IPC sender or WebSocket). */
export interface CallContext {
  window: WindowRole;
  connectionId: string;
}

export type ApiHandlers = {
  [M in MethodName]: (request: ParsedRequest<M>, context: CallContext) => MethodResult<M> | Promise<MethodResult<M>>;
};

export type Dispatch = (method: unknown, request: unknown, context: CallContext) => Promise<Result<unknown>>;

const INTERNAL_ERROR = '内部错误，请重试；如仍失败请联系管理员 / Internal error, please retry or call a manager';

/**
 * The single entry point of every call, whatever the transport: checks the name against the contract, the
 * window's right to call it, validates the request, runs the handler and turns any throw into an ApiError.
 * Unexpected errors are logged by name only and shown as a generic message, so an internal detail (which could
 * hold a secret) never reaches a window.
 */
export function createDispatcher(handlers: ApiHandlers, logger: Logger): Dispatch {
  return async (method, request, context) => {
    if (!isMethodName(method)) return bilingualFail('UNKNOWN_METHOD', `未知的调用 / unknown call: ${String(method).slice(0, 64)}`);
    const spec = apiMethods[method];
    if (!spec.windows.includes(context.window)) {
      return bilingualFail('FORBIDDEN', `此窗口不能调用 ${method} / this window may not call ${method}`);
    }
    const parsed = spec.request.safeParse(request ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || '(request)';
      const detail = issue?.message ?? 'invalid';
      const words = splitBilingual(detail) ?? { zh: detail, en: detail };
      return fail('BAD_REQUEST', `请求无效 / invalid request: ${where}: ${detail}`, {
        zh: `请求无效：${where}：${words.zh}`,
        en: `Invalid request: ${where}: ${words.en}`,
      });
    }
    try {
      const handler = handlers[method] as (req: unknown, ctx: CallContext) => unknown;
      return ok(await handler(parsed.data, context));
    } catch (error) {
      if (error instanceof ServiceError) return error.localized ? fail(error.code, error.message, error.localized) : bilingualFail(error.code, error.message);
      logger.error('api handler failed', { method, error: error instanceof Error ? error.name : typeof error });
      return bilingualFail('INTERNAL', INTERNAL_ERROR);
    }
  };
}

function bilingualFail(code: string, message: string): Result<never> {
  return fail(code, message, splitBilingual(message));
}
