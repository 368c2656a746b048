import { apiMethods, type AppInfo, type DataProblem } from '../../shared/api';
import type { Logger } from '../../shared/log';
import { ServiceError } from '../../shared/result';
import { createDispatcher, type ApiHandlers, type Dispatch } from '../host/dispatch';
import { EventHub } from '../host/event-hub';
import type { Sandbox } from '../sandbox/server';
import type { WindowLanguageChoice } from './window-languages';

/** What a host (Electron shell or web host) needs from the app: both the full app and this one provide it. */
export interface HostedApp {
  dispatch: Dispatch;
  events: EventHub;
  info(): AppInfo;
  disconnect(connectionId: string): void;
  /** The one-time first-run setup code while the install has no owner (for the host to show), else null. */
  setupCode(): string | null;
  close(): Promise<void>;
  /** The embedded sandbox, when it is the WeChat Pay server (its page and testing aids go on the web host). */
  sandbox?: Sandbox | null;
}

/**
 * The app while its database is damaged or missing: the windows open and say what happened (AppInfo.dataProblems,
 * in both languages, with the newest good backup and the command that restores it); every other call is refused
 * with the same words. Nothing touches the database file, so it stays as it was for the restore (or for a
 * specialist). Restoring is done with the app closed, by whoever can run the command on this PC: the staff list
 * and its PINs live in the very database that is broken, so no PIN typed here could be checked.
 */
export function startDatabaseProblemApp(deps: {
  problem: DataProblem;
  languages: WindowLanguageChoice;
  logger: Logger;
  baseInfo: () => Omit<AppInfo, 'dataProblems'>;
}): HostedApp {
  const events = new EventHub();
  const info = (): AppInfo => ({ ...deps.baseInfo(), dataProblems: [deps.problem] });
  const refuse = (): never => {
    throw new ServiceError('DATABASE_PROBLEM', `${deps.problem.message.zh} / ${deps.problem.message.en}`, deps.problem.message);
  };
  const handlers = Object.fromEntries(Object.keys(apiMethods).map((name) => [name, refuse])) as unknown as ApiHandlers;
  handlers['app.getInfo'] = () => info();
  handlers['app.setLanguage'] = ({ language }, context) => {
    deps.languages.choose(context.window, language);
    events.emit('app.info', info());
    return info();
  };
  deps.logger.error('started without a usable database', { kind: deps.problem.kind, backup: deps.problem.restore?.file ?? null });
  // Nothing here acts (every handler refuses with the database problem's words), so the sign-in rule is let
  // through: a window should hear what is wrong with the database, not "please sign in" where nobody can.
  const everyCallReachesItsRefusal = { signedInRole: () => 'owner' as const, approvalUsableBy: () => true };
  return {
    dispatch: createDispatcher(handlers, deps.logger, everyCallReachesItsRefusal),
    events,
    info,
    disconnect: () => {},
    setupCode: () => null,
    close: () => Promise.resolve(),
  };
}
