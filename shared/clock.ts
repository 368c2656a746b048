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
