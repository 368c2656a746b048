import { SerialPort } from 'serialport';
import type { ScannerState } from '../../../../shared/scan';

/** Collects what a scanner reports and lets a test wait for something to happen, with a timeout, no sleeping. */
export class ScannerRecorder {
  readonly scans: string[] = [];
  readonly states: ScannerState[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  readonly onScan = (code: string): void => {
    this.scans.push(code);
    this.wake();
  };

  readonly onState = (state: ScannerState): void => {
    this.states.push(state);
    this.wake();
  };

  /** Status names in order, with repeats (each failed retry reports again) collapsed. */
  statusSequence(): string[] {
    return this.states.map((s) => s.status).filter((status, i, all) => i === 0 || all[i - 1] !== status);
  }

  lastState(): ScannerState | undefined {
    return this.states.at(-1);
  }

  async scanCount(count: number, timeoutMs = 5000): Promise<string[]> {
    await this.until(() => this.scans.length >= count, `${count} scans (got ${JSON.stringify(this.scans)})`, timeoutMs);
    return this.scans;
  }

  /** Waits for a state reported after the `fromIndex`-th one. */
  async stateAfter(fromIndex: number, status: ScannerState['status'], timeoutMs = 5000): Promise<ScannerState> {
    const find = () => this.states.slice(fromIndex).find((s) => s.status === status);
    await this.until(() => find() !== undefined, `state ${status} (got ${this.statusSequence().join(' → ')})`, timeoutMs);
    return find() as ScannerState;
  }

  until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter = { check, resolve: () => (clearTimeout(timer), resolve()) };
      this.waiters.push(waiter);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve();
      }
    }
  }
}

/** The device end of a pty pair: the test plays the scanner by writing into it. */
export async function openDeviceEnd(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  // The device end is lost when socat is killed ("unplugged"): that is expected, not a test failure.
  port.on('error', () => {});
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  return port;
}

/** Writes bytes and waits until the operating system has taken them. */
export async function writeBytes(port: SerialPort, bytes: string | Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => port.write(bytes, (error) => (error ? reject(error) : resolve())));
  await new Promise<void>((resolve, reject) => port.drain((error) => (error ? reject(error) : resolve())));
}

export async function closeDeviceEnd(port: SerialPort): Promise<void> {
  if (!port.isOpen) return;
  await new Promise<void>((resolve) => port.close(() => resolve()));
}
