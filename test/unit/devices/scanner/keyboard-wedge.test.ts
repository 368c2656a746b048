import { describe, expect, it } from 'vitest';
import { KeyboardWedgeDetector, type WedgeDecision } from '../../../../shared/keyboard-wedge';

/** Feeds characters `gapMs` apart starting at `startMs`, then the terminator `enterGapMs` after the last one. */
function burst(detector: KeyboardWedgeDetector, text: string, startMs: number, gapMs: number, enterGapMs?: number): WedgeDecision[] {
  const decisions = [...text].map((key, i) => detector.key({ key, timeMs: startMs + i * gapMs }));
  if (enterGapMs !== undefined) {
    decisions.push(detector.key({ key: 'Enter', timeMs: startMs + (text.length - 1) * gapMs + enterGapMs }));
  }
  return decisions;
}

/** What a text field would end up holding, with the renderer acting on each decision as documented. */
class FieldSimulator {
  value = '';
  scans: string[] = [];
  constructor(readonly detector: KeyboardWedgeDetector) {}
  type(key: string, timeMs: number): void {
    this.expireUpTo(timeMs);
    const decision = this.detector.key({ key, timeMs });
    if (decision.action === 'scan') this.scans.push(decision.code);
    if (decision.action === 'release') {
      this.value += decision.text;
      if (decision.then === 'pass') this.passThrough(key);
    }
    if (decision.action === 'pass') this.passThrough(key);
  }
  /** The renderer's timer: fires at the deadline, as setTimeout would. */
  expireUpTo(timeMs: number): void {
    const deadline = this.detector.deadline();
    if (deadline !== null && timeMs > deadline) this.value += this.detector.expire(deadline + 1) ?? '';
  }
  private passThrough(key: string): void {
    if (key.length === 1) this.value += key;
    if (key === 'Enter') this.value += '⏎';
  }
}

describe('KeyboardWedgeDetector', () => {
  it('recognises a scan: fast keys ending in Enter, all swallowed', () => {
    const detector = new KeyboardWedgeDetector();
    const decisions = burst(detector, '134567890123456789', 1000, 8, 10);
    expect(decisions.slice(0, -1).every((d) => d.action === 'hold')).toBe(true);
    expect(decisions.at(-1)).toEqual({ action: 'scan', code: '134567890123456789' });
    expect(detector.deadline()).toBeNull();
  });

  it('lets a person typing slowly through, one character per gap', () => {
    const field = new FieldSimulator(new KeyboardWedgeDetector());
    [...'cola'].forEach((key, i) => field.type(key, 1000 + i * 150));
    field.type('Enter', 1800);
    expect(field.value).toBe('cola⏎');
    expect(field.scans).toEqual([]);
  });

  it('gives a fast typist their text back: rollover bursts under 35 ms are shorter than a scan', () => {
    const field = new FieldSimulator(new KeyboardWedgeDetector());
    // "the quick" typed in bursts of 2–3 keys 20 ms apart, with 90 ms between bursts, then Enter after 25 ms.
    const bursts = ['th', 'e ', 'qui', 'ck'];
    let t = 0;
    for (const part of bursts) {
      for (const key of part) {
        field.type(key, t);
        t += 20;
      }
      t += 90;
    }
    field.type('Enter', t - 90 - 20 + 25);
    expect(field.value).toBe('the quick⏎');
    expect(field.scans).toEqual([]);
  });

  it('does not take five fast keys and Enter for a scan (below the minimum length)', () => {
    const detector = new KeyboardWedgeDetector();
    const decisions = burst(detector, 'abcde', 0, 10, 10);
    expect(decisions.at(-1)).toEqual({ action: 'release', text: 'abcde', then: 'pass' });
  });

  it('releases held keys as typing when nothing follows before the deadline', () => {
    const detector = new KeyboardWedgeDetector();
    expect(detector.key({ key: 'a', timeMs: 100 })).toEqual({ action: 'hold' });
    expect(detector.deadline()).toBe(135);
    expect(detector.expire(135)).toBeNull();
    expect(detector.expire(136)).toBe('a');
    expect(detector.deadline()).toBeNull();
  });

  it('waits the longer Enter gap once a burst is long enough to be a scan', () => {
    const detector = new KeyboardWedgeDetector();
    burst(detector, '6901234567892', 0, 5);
    expect(detector.deadline()).toBe(60 + 50);
    expect(detector.key({ key: 'Enter', timeMs: 60 + 48 })).toEqual({ action: 'scan', code: '6901234567892' });
  });

  it('slow scanner edge: 35 ms apart is a scan, 36 ms is typing, and a raised threshold accepts it', () => {
    expect(burst(new KeyboardWedgeDetector(), '6901234567892', 0, 35, 35).at(-1)).toEqual({
      action: 'scan',
      code: '6901234567892',
    });

    const tooSlow = new FieldSimulator(new KeyboardWedgeDetector());
    [...'6901234567892'].forEach((key, i) => tooSlow.type(key, i * 36));
    tooSlow.type('Enter', 12 * 36 + 20);
    expect(tooSlow.scans).toEqual([]);
    expect(tooSlow.value).toBe('6901234567892⏎');

    const tuned = new KeyboardWedgeDetector({ maxInterKeyMs: 45 });
    expect(burst(tuned, '6901234567892', 0, 44, 30).at(-1)).toEqual({ action: 'scan', code: '6901234567892' });
  });

  it('does not accept an Enter that comes too long after a fast burst', () => {
    const detector = new KeyboardWedgeDetector();
    const decisions = burst(detector, '6901234567892', 0, 5, 51);
    expect(decisions.at(-1)).toEqual({ action: 'release', text: '6901234567892', then: 'pass' });
  });

  it('catches a scan that follows typing without a pause, keeping the typed text', () => {
    const field = new FieldSimulator(new KeyboardWedgeDetector());
    field.type('x', 0);
    field.type('y', 200);
    [...'134567890123456789'].forEach((key, i) => field.type(key, 400 + i * 5));
    field.type('Enter', 400 + 17 * 5 + 5);
    expect(field.scans).toEqual(['134567890123456789']);
    expect(field.value).toBe('xy');
  });

  it('ignores Shift between characters (scanners send it for capitals)', () => {
    const detector = new KeyboardWedgeDetector();
    let t = 0;
    for (const key of ['Shift', 'A', 'B', 'Shift', 'C', '1', '2', '3']) {
      expect(detector.key({ key, timeMs: (t += 4) }).action).toBe(key === 'Shift' ? 'pass' : 'hold');
    }
    expect(detector.key({ key: 'Enter', timeMs: t + 4 })).toEqual({ action: 'scan', code: 'ABC123' });
  });

  it('releases held keys when a non-character key or a shortcut arrives', () => {
    const detector = new KeyboardWedgeDetector();
    detector.key({ key: 'a', timeMs: 0 });
    expect(detector.key({ key: 'Backspace', timeMs: 5 })).toEqual({ action: 'release', text: 'a', then: 'pass' });
    detector.key({ key: 'b', timeMs: 10 });
    expect(detector.key({ key: 'v', timeMs: 12, ctrlKey: true })).toEqual({ action: 'release', text: 'b', then: 'pass' });
    expect(detector.key({ key: 'Tab', timeMs: 20 })).toEqual({ action: 'pass' });
    expect(detector.key({ key: 'Enter', timeMs: 30 })).toEqual({ action: 'pass' });
  });

  it('accepts another terminator key when configured (scanners set to send Tab)', () => {
    const detector = new KeyboardWedgeDetector({ terminatorKeys: ['Tab'] });
    expect(burst(detector, '96385074', 0, 3).every((d) => d.action === 'hold')).toBe(true);
    expect(detector.key({ key: 'Tab', timeMs: 30 })).toEqual({ action: 'scan', code: '96385074' });
  });

  it('never holds an auto-repeating key forever', () => {
    const field = new FieldSimulator(new KeyboardWedgeDetector({ maxLength: 20 }));
    for (let i = 0; i < 50; i++) field.type('a', i * 30);
    field.expireUpTo(10_000);
    expect(field.value).toBe('a'.repeat(50));
  });

  it('flush gives back whatever is held', () => {
    const detector = new KeyboardWedgeDetector();
    burst(detector, 'abc', 0, 5);
    expect(detector.flush()).toBe('abc');
    expect(detector.flush()).toBe('');
  });
});
