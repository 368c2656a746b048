import {
  apiMethods,
  isMethodName,
  type MethodName,
  type MethodResult,
  type ParsedRequest,
  type WindowRole,
} from '../../shared/api';
import { splitBilingual, type Localized } from '../../shared/i18n';
import type { Logger } from '../../shared/log';
import { fail, ok, ServiceError, type Result } from '../../shared/result';
import { roleAtLeast, type Role } from '../../shared/security';

/** Who is calling: the window's role and a stable id of its connection (IPC sender or WebSocket). */
export interface CallContext {
  window: WindowRole;
  connectionId: string;
}

export type ApiHandlers = {
  [M in MethodName]: (request: ParsedRequest<M>, context: CallContext) => MethodResult<M> | Promise<MethodResult<M>>;
};

export type Dispatch = (method: unknown, request: unknown, context: CallContext) => Promise<Result<unknown>>;

/** What the dispatcher asks the security services before any handler runs (see the access rule in shared/api.ts). */
export interface CallGuard {
  /** The role of whoever is signed in over this connection, or null. */
  signedInRole(connectionId: string): Role | null;
  /** False when the approval token was handed to another window's connection. */
  approvalUsableBy(token: string, connectionId: string): boolean;
}

const INTERNAL_ERROR = '内部错误，请重试；如仍失败请联系管理员 / Internal error, please retry or call a manager';

/** SQLite could not write because the disk is full: the whole transaction was rolled back, so nothing is half-written. */
export const DISK_FULL_WORDS: Localized = {
  zh: '磁盘已满：刚才的操作没有保存（之前保存的销售不受影响）。请腾出这台电脑的磁盘空间（删除不用的文件、清空回收站，或把备份文件夹改到其他磁盘），然后重试。',
  en: 'The disk is full: that action was not saved (sales saved before are safe). Free space on this computer’s disk (delete unneeded files, empty the recycle bin, or move the backup folder to another disk), then try again.',
};

/** SQLITE_FULL (better-sqlite3's SqliteError code): the disk, or the database's size limit, is full. */
export function isDiskFull(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_FULL';
}

export interface DispatchHooks {
  /** A call failed because the disk is full (the app then tells both windows until space is back). */
  onDiskFull?: () => void;
}

/**
 * The single entry point of every call, whatever the transport: checks the name against the contract, the
 * window's right to call it, who must be signed in (shared/api.ts: MethodAccess), validates the request, refuses
 * an approval handed to another window, runs the handler and turns any throw into an ApiError. Unexpected errors
 * are logged by name only and shown as a generic message, so an internal detail (which could hold a secret)
 * never reaches a window.
 */
export function createDispatcher(handlers: ApiHandlers, logger: Logger, guard: CallGuard, hooks: DispatchHooks = {}): Dispatch {
  return async (method, request, context) => {
    if (!isMethodName(method)) return bilingualFail('UNKNOWN_METHOD', `未知的调用 / unknown call: ${String(method).slice(0, 64)}`);
    const spec = apiMethods[method];
    if (!spec.windows.includes(context.window)) {
      return bilingualFail('FORBIDDEN', `此窗口不能调用 ${method} / this window may not call ${method}`);
    }
    const refusal = spec.access === 'open' ? null : signInRefusal(guard.signedInRole(context.connectionId), context.window);
    if (refusal) return refusal;
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
    const approvalToken = (parsed.data as { approvalToken?: unknown }).approvalToken;
    if (typeof approvalToken === 'string' && !guard.approvalUsableBy(approvalToken, context.connectionId)) {
      return bilingualFail('APPROVAL_INVALID', '此授权是在另一个窗口取得的，请在本窗口重新输入店长 PIN / That approval was given to another window: manager PIN again here');
    }
    try {
      const handler = handlers[method] as (req: unknown, ctx: CallContext) => unknown;
      return ok(await handler(parsed.data, context));
    } catch (error) {
      if (error instanceof ServiceError) return error.localized ? fail(error.code, error.message, error.localized) : bilingualFail(error.code, error.message);
      if (isDiskFull(error)) {
        logger.error('api handler failed: disk full', { method });
        hooks.onDiskFull?.();
        return fail('DISK_FULL', `${DISK_FULL_WORDS.zh} / ${DISK_FULL_WORDS.en}`, DISK_FULL_WORDS);
      }
      logger.error('api handler failed', { method, error: error instanceof Error ? error.name : typeof error });
      return bilingualFail('INTERNAL', INTERNAL_ERROR);
    }
  };
}

/**
 * The sign-in rule of every call that is not open: someone signed in over this connection, and in the manager
 * window a manager or the owner (a cashier's PIN opens nothing there).
 */
function signInRefusal(role: Role | null, window: WindowRole): Result<never> | null {
  if (role === null) return bilingualFail('NOT_SIGNED_IN', '请先登录 / Please sign in first');
  if (window === 'manager' && !roleAtLeast(role, 'manager')) return bilingualFail('FORBIDDEN', '需要店长登录 / A manager must be signed in');
  return null;
}

function bilingualFail(code: string, message: string): Result<never> {
  return fail(code, message, splitBilingual(message));
}
