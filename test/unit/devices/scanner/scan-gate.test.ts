import { describe, expect, it } from 'vitest';
import { ScanGate } from '../../../../electron/devices/scanner/scan-gate';
import { ManualClock } from '../../../../shared/clock';
import { MemoryLogger } from '../../../../shared/log';

function gate(limits = { burst: 3, perSecond: 2, maxWaiting: 2, reportAfterMs: 20 }) {
  const clock = new ManualClock(1_000_000);
  const logger = new MemoryLogger();
  const handled: string[] = [];
  const drops: number[] = [];
  let release: (() => void) | null = null;
  let running = 0;
  let overlapped = false;
  const g = new ScanGate({
    clock,
    logger,
    limits,
    handle: async (text) => {
      running += 1;
      if (running > 1) overlapped = true;
      handled.push(text);
      await new Promise<void>((resolve) => (release = resolve));
      running -= 1;
    },
    onDropped: (count) => drops.push(count),
  });
  const releaseOne = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, 0));
    release?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { clock, logger, g, handled, drops, releaseOne, overlapped: () => overlapped };
}

describe('the scan gate', () => {
  it('handles scans one at a time, keeps a short queue and drops a flood unread, reported once with the count', async () => {
    const { g, handled, drops, logger, releaseOne, overlapped } = gate();
    const offered = Array.from({ length: 1000 }, (_, i) => g.offer(`code-${i}`, 'serial'));
    expect(g.waitingCount()).toBeLessThanOrEqual(2);
    for (let i = 0; i < 5; i++) await releaseOne();
    await Promise.all(offered);
    expect(handled).toEqual(['code-0', 'code-1', 'code-2']);
    expect(overlapped()).toBe(false);
    await new Promise((r) => setTimeout(r, 40));
    expect(drops).toEqual([997]);
    expect(logger.lines.filter((l) => l.message === 'scan: scans came too fast, dropped')).toHaveLength(1);
  });

  it('lets a person scanning at a steady pace through, every scan', async () => {
    const { g, clock, handled, drops, releaseOne } = gate();
    for (let i = 0; i < 20; i++) {
      const done = g.offer(`item-${i}`, 'wedge');
      await releaseOne();
      await done;
      clock.advance(500);
    }
    expect(handled).toHaveLength(20);
    expect(drops).toEqual([]);
  });
});
