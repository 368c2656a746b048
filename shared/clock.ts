/** Time is read through this interface so tests can drive it (a fake clock) instead of sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The parts of an instant in Beijing time (UTC+8, no daylight saving), which WeChat Pay uses for every date. */
export function beijingParts(epochMs: number): {
  year: number; month: number; day: number; hour: number; minute: number; second: number;
} {
  const d = new Date(epochMs + BEIJING_OFFSET_MS);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** yyyyMMddHHmmss in Beijing time (API v2). */
export function formatBeijingCompact(epochMs: number): string {
  const p = beijingParts(epochMs);
  return `${p.year}${pad(p.month)}${pad(p.day)}${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`;
}

/** RFC 3339 with +08:00 (API v3). */
export function formatBeijingRfc3339(epochMs: number): string {
  const p = beijingParts(epochMs);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}+08:00`;
}

/** yyyy-MM-dd of the Beijing calendar day containing the instant. */
export function beijingDate(epochMs: number): string {
  const p = beijingParts(epochMs);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Parses yyyyMMddHHmmss (Beijing) back to epoch ms, or null. */
export function parseBeijingCompact(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
}

/** The store's time zone when settings name none: stores in China keep Beijing time. */
export const DEFAULT_STORE_TIME_ZONE = 'Asia/Shanghai';

/** Whether the runtime knows this IANA time zone name (e.g. Asia/Shanghai, Asia/Hong_Kong). */
export function isTimeZone(name: string): boolean {
  if (name.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * 2024-05-01 14:03:22 in the store's time zone, whatever zone the machine's clock is set to: every screen, slip and
 * report shows times this way (WeChat's own dates stay Beijing time, see beijingParts).
 */
export function formatStoreDateTime(epochMs: number, timeZone: string = DEFAULT_STORE_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: isTimeZone(timeZone) ? timeZone : DEFAULT_STORE_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(epochMs);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

/** How far the store's wall clock is ahead of UTC at that instant (ms), e.g. +8 h for Asia/Shanghai. */
export function storeZoneOffsetMs(epochMs: number, timeZone: string = DEFAULT_STORE_TIME_ZONE): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(formatStoreDateTime(epochMs, timeZone));
  if (!m) return 0;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(epochMs / 1000) * 1000;
}

/** yyyy-MM-dd of the store's calendar day containing the instant. */
export function storeDate(epochMs: number, timeZone: string = DEFAULT_STORE_TIME_ZONE): string {
  return formatStoreDateTime(epochMs, timeZone).slice(0, 10);
}

/** The first instant of a store calendar day (yyyy-MM-dd) in the store's time zone. */
export function storeDayStart(day: string, timeZone: string = DEFAULT_STORE_TIME_ZONE): number {
  const [y, mo, d] = day.split('-').map(Number);
  const utcMidnight = Date.UTC(y ?? 1970, (mo ?? 1) - 1, d ?? 1);
  // The zone's offset at that day's midnight (a day that starts inside a clock change is off by that change at most).
  return utcMidnight - storeZoneOffsetMs(utcMidnight - storeZoneOffsetMs(utcMidnight, timeZone), timeZone);
}
