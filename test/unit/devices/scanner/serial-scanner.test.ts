import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../shared/clock';
import { MemoryLogger } from '../../../../shared/log';
import { DEFAULT_SCANNER_SETTINGS, type ScannerState } from '../../../../shared/scan';
import { backoffDelayMs, SerialScanner, type ScannerPort } from '../../../../electron/devices/scanner/serial-scanner';

/** A port whose open answers as the test says; the real thing is covered over socat ptys in test/integration. */
class FakePort extends EventEmitter implements ScannerPort {
  isOpen = false;
  closes = 0;
  constructor(private readonly openError: Error | null) {
    super();
  }
  open(callback: (error: Error | null) => void): void {
    setImmediate(() => {
      this.isOpen = this.openError === null;
      callback(this.openError);
    });
  }
  close(callback: (error: Error | null) => void): void {
    this.isOpen = false;
    this.closes += 1;
    setImmediate(() => callback(null));
  }
}

function waitFor(states: ScannerState[], check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      if (check()) return resolve();
      if (Date.now() - started > 5000) return reject(new Error(`timed out; states: ${JSON.stringify(states)}`));
      setImmediate(poll);
    };
    poll();
  });
}

const scanners: SerialScanner[] = [];
afterEach(async () => {
  for (const scanner of scanners.splice(0)) await scanner.stop();
});

function makeScanner(ports: FakePort[], onScan: (code: string) => void = () => {}) {
  const states: ScannerState[] = [];
  const logger = new MemoryLogger();
  let next = 0;
  const scanner = new SerialScanner(
    { ...DEFAULT_SCANNER_SETTINGS, enabled: true, path: '/dev/ttyUSB0' },
    {
      clock: new ManualClock(0),
      logger,
      onScan,
      onState: (state) => states.push(state),
      openPort: () => ports[next++] ?? new FakePort(new Error('Error: No such file or directory, cannot open /dev/ttyUSB0')),
      backoff: { initialMs: 1, maxMs: 4 },
    },
  );
  scanners.push(scanner);
  return { scanner, states, logger };
}

describe('backoffDelayMs', () => {
  it('doubles from the initial delay and stops at the maximum', () => {
    const backoff = { initialMs: 500, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((n) => backoffDelayMs(n, backoff))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });
});

describe('SerialScanner state', () => {
  it('keeps retrying a port that will not open, with growing delays, and says why', async () => {
    const missing = () => new FakePort(new Error('Error: No such file or directory, cannot open /dev/ttyUSB0'));
    const { scanner, states } = makeScanner([missing(), missing(), missing(), missing(), new FakePort(null)]);
    scanner.start();
    await waitFor(states, () => states.at(-1)?.status === 'connected');
    const errors = states.filter((s) => s.status === 'error');
    expect(errors.map((s) => s.retryInMs)).toEqual([1, 2, 4, 4]);
    expect(errors[0]?.message.zh).toBe('找不到串口 /dev/ttyUSB0，请检查扫码枪连接');
  });

  it('reports disabled, and a missing path as an error without retrying', () => {
    const off = new SerialScanner(DEFAULT_SCANNER_SETTINGS, { clock: new ManualClock(0), logger: new MemoryLogger(), onScan: () => {}, onState: () => {} });
    off.start();
    expect(off.state).toEqual({ status: 'disabled' });
    const noPath = new SerialScanner({ ...DEFAULT_SCANNER_SETTINGS, enabled: true }, { clock: new ManualClock(0), logger: new MemoryLogger(), onScan: () => {}, onState: () => {} });
    noPath.start();
    expect(noPath.state).toMatchObject({ status: 'error', retryInMs: null });
  });

  it('closes a port that finishes opening after stop()', async () => {
    const port = new FakePort(null);
    const { scanner, states } = makeScanner([port]);
    scanner.start();
    await scanner.stop();
    expect(port.closes).toBe(1);
    expect(states.map((s) => s.status)).toEqual(['connecting', 'disabled']);
  });

  it('keeps reading after the app throws on one scan', async () => {
    const port = new FakePort(null);
    const seen: string[] = [];
    const { scanner, states, logger } = makeScanner([port], (code) => {
      seen.push(code);
      if (code === '96385074') throw new Error('cart is busy');
    });
    scanner.start();
    await waitFor(states, () => states.at(-1)?.status === 'connected');
    port.emit('data', Buffer.from('96385074\r6901234567892\r'));
    expect(seen).toEqual(['96385074', '6901234567892']);
    expect(logger.text()).toContain('cart is busy');
  });

  it('treats an unexpected close as a lost port and reconnects', async () => {
    const first = new FakePort(null);
    const { scanner, states } = makeScanner([first, new FakePort(null)]);
    scanner.start();
    await waitFor(states, () => states.at(-1)?.status === 'connected');
    first.emit('close', Object.assign(new Error('bad file descriptor'), { disconnected: true }));
    await waitFor(states, () => states.filter((s) => s.status === 'connected').length === 2);
    expect(states.map((s) => s.status)).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(states[2]).toMatchObject({ attempt: 1, retryInMs: 1, lastError: { en: 'Scanner disconnected; reconnecting' } });
  });

  it('reports settings serialport refuses as an error instead of crashing', () => {
    const states: ScannerState[] = [];
    const scanner = new SerialScanner(
      { ...DEFAULT_SCANNER_SETTINGS, enabled: true, path: '/dev/ttyUSB0' },
      {
        clock: new ManualClock(0),
        logger: new MemoryLogger(),
        onScan: () => {},
        onState: (state) => states.push(state),
        openPort: () => {
          throw new TypeError('"baudRate" must be a number: NaN');
        },
      },
    );
    scanners.push(scanner);
    scanner.start();
    expect(scanner.state).toMatchObject({ status: 'error', retryInMs: null });
    expect(states.map((s) => s.status)).toEqual(['connecting', 'error']);
  });
});
