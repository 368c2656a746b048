import type { Localized } from './i18n';
import { roleAtLeast, type Role } from './security';

/**
 * Cashiers: 4–8 digits. Managers and owners approve refunds, so 6–8. No PIN of one repeated digit and no straight
 * run (123456, 987654): those are the first guesses.
 */
export function pinProblem(pin: string, role: Role): Localized | null {
  const min = roleAtLeast(role, 'manager') ? 6 : 4;
  if (!/^\d+$/.test(pin) || pin.length < min || pin.length > 8) {
    return { zh: `PIN 须为 ${min}–8 位数字`, en: `The PIN must be ${min}–8 digits` };
  }
  if (/^(\d)\1+$/.test(pin) || isStraightRun(pin)) {
    return { zh: 'PIN 太容易被猜到（重复或连续的数字），请换一个', en: 'That PIN is too easy to guess (repeated or consecutive digits)' };
  }
  return null;
}

function isStraightRun(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - (digits[i] ?? 0) + 10) % 10));
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}
