import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../../shared/log';
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type AuditLog } from './audit-log';
import { securityError } from './errors';

/** Crockford's base32 without I, L, O, U: nothing to misread when typing it from a console or a dialog. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters of 32: 60 bits, shown as XXXX-XXXX-XXXX. */
const LENGTH = 12;
/** Wrong codes before the code is replaced by a new one (shown again where the app runs). */
const MAX_WRONG = 5;

export interface SetupCodeDeps {
  /** True while the install has no real owner (first-run setup still to do). */
  needed(): boolean;
  /**
   * Shows the code where the install happens, never to a window: the web host prints it on its console, Electron's
   * main process shows it in a dialog of its own over the local manager window.
   */
  show(code: string): void;
  audit: AuditLog;
  logger: Logger;
}

/**
 * The one-time setup secret that binds first-run owner creation to the machine the app runs on. A window's URL or
 * credential never carries it, so nobody at another screen (the customer display, a manager page on the LAN)
 * can create the owner. Held in memory only: a restart makes a new one; it is used up by the owner's creation
 * and replaced after five wrong tries (so guessing it online is pointless: 60 bits, five guesses per code).
 */
export class SetupCode {
  private code: string | null = null;
  private wrong = 0;

  constructor(private readonly deps: SetupCodeDeps) {}

  /** The current code (made on first need), or null once the owner exists. Never goes to a window. */
  current(): string | null {
    if (!this.deps.needed()) {
      this.code = null;
      return null;
    }
    this.code ??= newCode();
    return this.code;
  }

  /** Shows the current code again where the app runs; false when no setup is needed. */
  showAgain(): boolean {
    const code = this.current();
    if (code) this.deps.show(code);
    return code !== null;
  }

  /**
   * Runs `create` (the owner's creation) only with the right code, and uses the code up when it succeeds. A refused
   * creation (a weak PIN...) leaves the code valid; five wrong codes replace it with a new one, shown again.
   */
  use<T>(presented: string, create: () => T): T {
    const code = this.current();
    if (!code) throw securityError('SETUP_DONE', '已有老板账号，请由老板添加员工', 'An owner already exists: the owner adds staff');
    if (!sameCode(presented, code)) {
      this.wrong += 1;
      this.deps.audit.append(SYSTEM_ACTOR, AUDIT_ACTIONS.setupCodeRefused, { tries: this.wrong });
      if (this.wrong >= MAX_WRONG) {
        this.code = newCode();
        this.wrong = 0;
        this.deps.logger.warn('setup code replaced after wrong tries; the new one is shown where the app runs');
        this.deps.show(this.code);
        throw securityError('SETUP_CODE_REPLACED', '设置码错误次数过多，已换新码：请看运行本程序的电脑上显示的新设置码', 'Too many wrong setup codes: a new one is shown on the computer running the app');
      }
      throw securityError('SETUP_CODE_WRONG', '设置码不对：请看运行本程序的电脑上显示的设置码', 'Wrong setup code: it is shown on the computer running the app');
    }
    const result = create();
    this.code = null;
    this.wrong = 0;
    return result;
  }
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Spaces, dashes and case do not matter; O, I and L are read as 0, 1 and 1, as Crockford's base32 says. */
function normalise(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

function sameCode(presented: string, expected: string): boolean {
  const a = Buffer.from(normalise(presented));
  const b = Buffer.from(normalise(expected));
  return a.length === b.length && timingSafeEqual(a, b);
}
