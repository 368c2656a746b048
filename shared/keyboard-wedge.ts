/**
 * Tells a USB-HID "keyboard wedge" scanner from a person typing, by the timing of keydowns alone. Pure and
 * DOM-free: the renderer feeds it `(key, timestamp)` and acts on the decision.
 *
 * A scan must never leak into a text field (a payment code typed into the product search would be a leaked
 * credential and a wrong search), so every printable key that could start a scan is held back (`hold`: call
 * preventDefault) until it is clear what it was:
 *  - `scan`: the held keys plus the terminator were a scan. Swallow the key; route `code`.
 *  - `release`: the held keys were typing. Insert `text` into the focused field (it was swallowed), then treat
 *    the current key as `then` says: `pass` (let it through) or `hold` (swallow: it may start a scan).
 *  - `pass`: nothing held, not ours: let the key through untouched.
 * Held keys also expire: when no key comes by `deadline()`, call `expire(now)` and insert what it returns.
 * Typing is delayed by at most `maxInterKeyMs` (or `maxEnterGapMs`), which people do not notice.
 */

export interface WedgeThresholds {
  /** Longest gap between two keys of one scan. Scanners send every 1–20 ms; people rarely type under 35 ms twice in a row. */
  maxInterKeyMs: number;
  /** Fewest characters in a scan: short bursts (rollover of two or three keys) stay typing. */
  minLength: number;
  /** Longest gap between the last character and the terminator: some scanners pause before the suffix. */
  maxEnterGapMs: number;
  /** Keys that end a scan (KeyboardEvent.key values). */
  terminatorKeys: readonly string[];
  /** A burst longer than this (a key held down on auto-repeat) is released as typing, never held forever. */
  maxLength: number;
}

export const DEFAULT_WEDGE_THRESHOLDS: WedgeThresholds = {
  maxInterKeyMs: 35,
  minLength: 6,
  maxEnterGapMs: 50,
  terminatorKeys: ['Enter'],
  maxLength: 256,
};

export interface WedgeKey {
  /** KeyboardEvent.key: one character for printable keys, a name ('Enter', 'Shift', 'Backspace') otherwise. */
  key: string;
  /** KeyboardEvent.timeStamp (or any monotonic ms clock, the same one passed to expire). */
  timeMs: number;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export type WedgeDecision =
  | { action: 'pass' }
  | { action: 'hold' }
  | { action: 'scan'; code: string }
  | { action: 'release'; text: string; then: 'pass' | 'hold' };

/** Keys that scanners (and people) send around characters without meaning anything by themselves. */
const MODIFIER_KEYS = new Set(['Shift', 'CapsLock']);

const PASS: WedgeDecision = { action: 'pass' };
const HOLD: WedgeDecision = { action: 'hold' };

function isPrintableCharacter(event: WedgeKey): boolean {
  // Surrogate pairs (emoji) are not barcode characters: treat them like any other non-scan key.
  return event.key.length === 1 && !event.ctrlKey && !event.altKey && !event.metaKey;
}

export class KeyboardWedgeDetector {
  private readonly thresholds: WedgeThresholds;
  private held = '';
  private lastKeyMs = 0;

  constructor(thresholds: Partial<WedgeThresholds> = {}) {
    this.thresholds = { ...DEFAULT_WEDGE_THRESHOLDS, ...thresholds };
  }

  /** Decides what to do with one keydown. */
  key(event: WedgeKey): WedgeDecision {
    if (MODIFIER_KEYS.has(event.key)) return PASS;
    if (this.thresholds.terminatorKeys.includes(event.key)) return this.terminator(event.timeMs);
    if (!isPrintableCharacter(event)) return this.releaseThen('pass');
    return this.character(event.key, event.timeMs);
  }

  /** When held keys turn into typing if no key comes; null when nothing is held. */
  deadline(): number | null {
    if (this.held === '') return null;
    return this.lastKeyMs + this.waitLimitMs();
  }

  /** Releases held keys as typing once their deadline has passed; null when there is nothing to release yet. */
  expire(nowMs: number): string | null {
    const deadline = this.deadline();
    if (deadline === null || nowMs <= deadline) return null;
    return this.takeHeld();
  }

  /** Gives back whatever is held (focus moved, window blurred): it was typing as far as anyone can tell. */
  flush(): string {
    return this.takeHeld();
  }

  private character(char: string, timeMs: number): WedgeDecision {
    if (this.held === '') {
      this.startHolding(char, timeMs);
      return HOLD;
    }
    if (timeMs - this.lastKeyMs > this.thresholds.maxInterKeyMs) {
      const text = this.takeHeld();
      this.startHolding(char, timeMs);
      return { action: 'release', text, then: 'hold' };
    }
    if (this.held.length >= this.thresholds.maxLength) return this.releaseThen('pass');
    this.held += char;
    this.lastKeyMs = timeMs;
    return HOLD;
  }

  private terminator(timeMs: number): WedgeDecision {
    if (this.held === '') return PASS;
    const longEnough = this.held.length >= this.thresholds.minLength;
    const quickEnough = timeMs - this.lastKeyMs <= this.thresholds.maxEnterGapMs;
    if (longEnough && quickEnough) return { action: 'scan', code: this.takeHeld() };
    return this.releaseThen('pass');
  }

  private releaseThen(then: 'pass'): WedgeDecision {
    if (this.held === '') return PASS;
    return { action: 'release', text: this.takeHeld(), then };
  }

  private waitLimitMs(): number {
    const { maxInterKeyMs, maxEnterGapMs, minLength } = this.thresholds;
    // Once long enough to be a scan, the terminator may still come a little later than a next character would.
    return this.held.length >= minLength ? Math.max(maxInterKeyMs, maxEnterGapMs) : maxInterKeyMs;
  }

  private startHolding(char: string, timeMs: number): void {
    this.held = char;
    this.lastKeyMs = timeMs;
  }

  private takeHeld(): string {
    const text = this.held;
    this.held = '';
    return text;
  }
}
