/**
 * THE contract between the windows and the main side. Every method a window may call (name → request schema →
 * result type, and which windows may call it) and every event the main side pushes (name → payload). The
 * Electron IPC transport, the web host's WebSocket transport, the preloads and the renderer client are generic
 * loops over these two tables: adding a call is one entry here plus one handler in electron/app.ts.
 *
 * Requests are validated with their zod schema where they enter the main side; results are typed only (the
 * main side produces them). Nothing in a result or event may carry a secret: see test/unit/api/no-secrets.test.ts.
 */
import { z } from 'zod';
import type { CustomerDisplayState } from './display';
import { LANGUAGES, type Language } from './i18n';
import type { Result } from './result';

export type WindowRole = 'cashier' | 'display' | 'manager';

interface MethodSpec<Req extends z.ZodType, Res> {
  request: Req;
  /** Phantom: carries the result type only. */
  result: Res;
  /** The windows allowed to call it. The customer display is receive-only and appears in none. */
  windows: readonly WindowRole[];
}

function method<Res>() {
  return <Req extends z.ZodType>(request: Req, windows: readonly WindowRole[] = ['cashier', 'manager']) =>
    ({ request, result: undefined as unknown as Res, windows }) satisfies MethodSpec<Req, Res>;
}

const fenSchema = z.number().int().safe();
const empty = z.object({}).strict();

export interface AppInfo {
  version: string;
  storeName: string;
  terminalId: string;
  /** True while the app talks to the embedded WeChat Pay sandbox: every screen and receipt says 沙箱. */
  sandbox: boolean;
  language: Language;
  /** Set when the settings file was unreadable and defaults are in use (the broken file was kept). */
  settingsProblem: string | null;
}

export const apiMethods = {
  'app.getInfo': method<AppInfo>()(empty, ['cashier', 'manager', 'display']),
  'app.setLanguage': method<AppInfo>()(z.object({ language: z.enum(LANGUAGES) }).strict()),
  /** The cashier's sale being built, mirrored on the customer display before any payment starts. */
  'cart.preview': method<{ totalFen: number }>()(
    z
      .object({
        lines: z
          .array(
            z.object({ name: z.string().min(1).max(64), quantity: z.number().int().min(1).max(9999), unitFen: fenSchema.min(0) }).strict(),
          )
          .max(500),
        /** A plain amount typed on the numpad, used when there are no lines. */
        amountFen: fenSchema.min(0).max(100_000_000).optional(),
      })
      .strict(),
    ['cashier'],
  ),
} as const;

/** Events the main side pushes, and which windows receive each. */
export interface ApiEvents {
  'app.info': AppInfo;
  'display.state': CustomerDisplayState;
}

export const apiEventAudience: { [E in keyof ApiEvents]: readonly WindowRole[] } = {
  'app.info': ['cashier', 'manager', 'display'],
  'display.state': ['cashier', 'display'],
};

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
export type EventName = keyof ApiEvents;
export type MethodRequest<M extends MethodName> = z.input<ApiMethods[M]['request']>;
export type ParsedRequest<M extends MethodName> = z.output<ApiMethods[M]['request']>;
export type MethodResult<M extends MethodName> = ApiMethods[M]['result'];

export const METHOD_NAMES = Object.keys(apiMethods) as MethodName[];
export const EVENT_NAMES = Object.keys(apiEventAudience) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(apiMethods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(apiEventAudience, name);
}

/** What a window sees: one typed call and one typed subscription, whichever transport carries them. */
export interface PosApi {
  call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<Result<MethodResult<M>>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** IPC channel names are derived, never written by hand. */
export const ipcInvokeChannel = (m: MethodName): string => `pos:call:${m}`;
export const IPC_EVENT_CHANNEL = 'pos:event';

/** Largest request a transport accepts, in bytes of JSON. */
export const MAX_REQUEST_BYTES = 64 * 1024;
