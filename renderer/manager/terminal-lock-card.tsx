import type { TerminalPinLockView } from '../../shared/security';
import { useManager } from './use-manager';

/**
 * The terminal's PIN lock on the staff tab: wrong PINs typed at this terminal (by anyone, a customer too), the
 * wait before the next PIN, and the lock during which only managers' PINs work. Clearing it takes the manager PIN
 * typed at the top of the tab ('user-manage') and is audit-logged on the main side.
 */
export function TerminalLockCard({ lock, onClear }: { lock: TerminalPinLockView | null; onClear: () => void }) {
  const { m, time } = useManager();
  if (!lock) return null;
  const now = Date.now();
  const locked = lock.lockedUntil !== null && lock.lockedUntil > now;
  const waiting = lock.waitUntil !== null && lock.waitUntil > now;
  return (
    <section className="mgr-card" aria-label={m('staff.terminalLock')}>
      <h3>{m('staff.terminalLock')}</h3>
      <p className={locked ? 'mgr-bad' : undefined}>
        {locked ? m('staff.terminalLocked', { time: time(lock.lockedUntil) }) : m('staff.terminalOpen')}
        {' · '}
        {m('staff.terminalFailures', { count: String(lock.failures) })}
        {waiting && ` · ${m('staff.terminalWait', { time: time(lock.waitUntil) })}`}
      </p>
      {(lock.failures > 0 || locked || waiting) && (
        <button type="button" onClick={onClear}>
          {m('staff.clearTerminalLock')}
        </button>
      )}
    </section>
  );
}
