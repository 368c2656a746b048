import { beijingDate } from '../../../shared/clock';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BEIJING_OFFSET = 8 * HOUR;

/** Epoch ms of 00:00 Beijing time on a yyyy-MM-dd day, or null if the text is not a real date. */
export function beijingDayStart(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - BEIJING_OFFSET;
  return beijingDate(start) === day ? start : null;
}

/** The Beijing day before the one containing `now`. */
export function previousBeijingDay(now: number): string {
  return beijingDate(now - DAY);
}

/** 10:00 Beijing on the day containing `now`: bills for the day before are ready from then. */
export function billReadyAt(now: number): number {
  const today = beijingDayStart(beijingDate(now));
  if (today === null) throw new Error('unreachable: beijingDate always gives a day');
  return today + 10 * HOUR;
}
