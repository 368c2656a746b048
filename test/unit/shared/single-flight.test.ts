import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../../shared/single-flight';

/** A run the test finishes by hand. */
function gate<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('a job that runs one at a time', () => {
  it('shares the run in flight with every call made meanwhile, and starts a new one after it settles', async () => {
    const runs: ReturnType<typeof gate<number>>[] = [];
    const flight = new SingleFlight(() => {
      const g = gate<number>();
      runs.push(g);
      return g.promise;
    });
    const first = flight.start();
    const second = flight.start();
    expect(runs).toHaveLength(1);
    runs[0]?.resolve(7);
    await expect(Promise.all([first, second])).resolves.toEqual([7, 7]);
    const third = flight.start();
    expect(runs).toHaveLength(2);
    runs[1]?.resolve(8);
    await expect(third).resolves.toBe(8);
  });

  it('hands a failed run to its callers, waits for it without the error when idle, and runs again on the next call', async () => {
    const runs: ReturnType<typeof gate<void>>[] = [];
    const flight = new SingleFlight(() => {
      const g = gate<void>();
      runs.push(g);
      return g.promise;
    });
    const failing = flight.start();
    let idle = false;
    const waiting = flight.idle().then(() => {
      idle = true;
    });
    await Promise.resolve();
    expect(idle).toBe(false);
    runs[0]?.reject(new Error('WeChat unreachable'));
    await expect(failing).rejects.toThrow('WeChat unreachable');
    await waiting;
    expect(idle).toBe(true);
    void flight.start();
    expect(runs).toHaveLength(2);
    runs[1]?.resolve();
    await flight.idle();
  });
});
