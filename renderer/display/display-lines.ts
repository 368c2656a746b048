/** The newest `max` lines (the customer watches items being added) and how many older ones are left out. */
export function visibleLines<L>(lines: readonly L[], max: number): { shown: L[]; hidden: number } {
  if (lines.length <= max) return { shown: [...lines], hidden: 0 };
  // One row goes to the "n more" note, so max - 1 lines are shown with it.
  const shown = lines.slice(lines.length - (max - 1));
  return { shown, hidden: lines.length - shown.length };
}

/** Whole seconds left until `expiresAt`, never negative. */
export function secondsUntil(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / 1000));
}

/** "4:59", "0:07": minutes and seconds of a countdown. */
export function formatCountdown(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
