/**
 * Collects bytes a printer sends back (status answers) so a request can await "the next byte, or nothing
 * within the timeout". Bytes that arrive while nobody is waiting are stale answers and are dropped by
 * `discard()` before each new request.
 */
export class ByteReader {
  private buffered: number[] = [];
  private waiter: ((byte: number | null) => void) | null = null;

  push(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (this.waiter) {
        const resolve = this.waiter;
        this.waiter = null;
        resolve(byte);
      } else {
        this.buffered.push(byte);
      }
    }
  }

  discard(): void {
    this.buffered = [];
  }

  /** The connection went away: whoever waits gets null now instead of after the timeout. */
  abort(): void {
    const resolve = this.waiter;
    this.waiter = null;
    resolve?.(null);
  }

  next(timeoutMs: number): Promise<number | null> {
    const byte = this.buffered.shift();
    if (byte !== undefined) return Promise.resolve(byte);
    if (this.waiter) return Promise.reject(new Error('a status request is already waiting'));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.waiter === settle) this.waiter = null;
        resolve(null);
      }, timeoutMs);
      const settle = (value: number | null): void => {
        clearTimeout(timer);
        resolve(value);
      };
      this.waiter = settle;
    });
  }
}

/** Runs async operations one at a time, in call order (a status request must not interleave with a job). */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation, operation);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
