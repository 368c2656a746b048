/** How the dashboard shows its measures (the Playwright test formats its own figures the same way). */
export const percent = (share: number | null, digits = 1): string | null => (share === null ? null : `${(share * 100).toFixed(digits)}%`);

/** Change against the previous period, +12.3% / −4.0%; null when there is nothing to compare with. */
export function change(now: number | null, before: number | null): string | null {
  if (now === null || before === null || before === 0) return null;
  const delta = (now - before) / Math.abs(before);
  return `${delta >= 0 ? '+' : '−'}${Math.abs(delta * 100).toFixed(1)}%`;
}

/** Seconds with one decimal: 2500 → "2.5 s". */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
