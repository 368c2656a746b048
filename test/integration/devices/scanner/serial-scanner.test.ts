import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../shared/clock';
import { MemoryLogger } from '../../../../shared/log';
import { DEFAULT_SCANNER_SETTINGS, type ScannerSettings } from '../../../../shared/scan';
import {
  openSerialScannerPort,
  SerialScanner,
  type ScannerPort,
  type ScannerPortFactory,
} from '../../../../electron/devices/scanner/serial-scanner';
import { startSocatPair, type SocatPair, type SocatPairOptions } from '../../../helpers/socat';
import { closeDeviceEnd, openDeviceEnd, ScannerRecorder, writeBytes } from './recorder';

const WECHAT = '134567890123456789';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

async function ptyPair(options?: SocatPairOptions): Promise<SocatPair> {
  const pair = await startSocatPair(options);
  cleanups.push(() => pair.stop());
  return pair;
}

async function deviceEnd(path: string) {
  const port = await openDeviceEnd(path);
  cleanups.push(() => closeDeviceEnd(port));
  return port;
}

function startScanner(path: string, extra: { settings?: Partial<ScannerSettings>; openPort?: ScannerPortFactory } = {}) {
  const recorder = new ScannerRecorder();
  const clock = new ManualClock(1_700_000_000_000);
  const logger = new MemoryLogger();
  const scanner = new SerialScanner(
    { ...DEFAULT_SCANNER_SETTINGS, enabled: true, path, ...extra.settings },
    {
      clock,
      logger,
      onScan: recorder.onScan,
      onState: recorder.onState,
      backoff: { initialMs: 20, maxMs: 200 },
      ...(extra.openPort ? { openPort: extra.openPort } : {}),
    },
  );
  cleanups.push(() => scanner.stop());
  scanner.start();
  return { scanner, recorder, clock, logger };
}

describe('SerialScanner on a real pty pair', () => {
  it('reads codes ending in CR, CRLF and LF', async () => {
    const pair = await ptyPair();
    const { recorder } = startScanner(pair.pathA);
    await recorder.stateAfter(0, 'connected');
    const device = await deviceEnd(pair.pathB);

    await writeBytes(device, `${WECHAT}\r6901234567892\r\n96385074\n`);

    expect(await recorder.scanCount(3)).toEqual([WECHAT, '6901234567892', '96385074']);
    expect(recorder.statusSequence()).toEqual(['connecting', 'connected']);
  });

  it('reassembles a code the port delivered in separate chunks', async () => {
    const pair = await ptyPair();
    const ports: ScannerPort[] = [];
    const { recorder } = startScanner(pair.pathA, {
      openPort: (settings) => {
        const port = openSerialScannerPort(settings);
        ports.push(port);
        return port;
      },
    });
    await recorder.stateAfter(0, 'connected');
    const device = await deviceEnd(pair.pathB);
    const port = ports[0] as unknown as NodeJS.EventEmitter;

    for (const part of ['1345678', '9012345', '6789']) {
      const delivered = once(port, 'data');
      await writeBytes(device, part);
      await delivered;
    }
    expect(recorder.scans).toEqual([]);
    await writeBytes(device, '\r');

    expect(await recorder.scanCount(1)).toEqual([WECHAT]);
  });

  it('drops garbage bytes and over-long lines with a log line and keeps reading', async () => {
    const pair = await ptyPair();
    const { recorder, logger } = startScanner(pair.pathA);
    await recorder.stateAfter(0, 'connected');
    const device = await deviceEnd(pair.pathB);

    await writeBytes(device, Buffer.from([0x00, 0xff, 0x1b, 0x5b, 0x41, 0x80, 0x0d]));
    await writeBytes(device, `${'9'.repeat(300)}\r`);
    await writeBytes(device, '6901234567892\r');

    expect(await recorder.scanCount(1)).toEqual(['6901234567892']);
    // However the pty chunks the long line, it is dropped once, as too long.
    expect(logger.lines.filter((l) => l.level === 'warn').map((l) => [l.message, l.fields.reason])).toEqual([
      ['scanner: dropped a line', 'control-bytes'],
      ['scanner: dropped a line', 'too-long'],
    ]);
  });

  it('ignores the same code scanned twice quickly, and takes it again after 1.5 s', async () => {
    const pair = await ptyPair();
    const { recorder, clock } = startScanner(pair.pathA);
    await recorder.stateAfter(0, 'connected');
    const device = await deviceEnd(pair.pathB);

    await writeBytes(device, '6901234567892\r');
    await recorder.scanCount(1);
    clock.advance(300);
    await writeBytes(device, '6901234567892\r');
    clock.advance(300);
    // A different code afterwards shows the repeat was read (and ignored), not still on its way.
    await writeBytes(device, '96385074\r');
    expect(await recorder.scanCount(2)).toEqual(['6901234567892', '96385074']);

    clock.advance(1500);
    await writeBytes(device, '96385074\r');
    expect(await recorder.scanCount(3)).toEqual(['6901234567892', '96385074', '96385074']);
  });

  it('splits on the configured suffix only (CR), trimming a following LF', async () => {
    const pair = await ptyPair();
    const { recorder } = startScanner(pair.pathA, { settings: { suffix: 'CR' } });
    await recorder.stateAfter(0, 'connected');
    const device = await deviceEnd(pair.pathB);

    await writeBytes(device, '6901234567892\r\n96385074\r');

    expect(await recorder.scanCount(2)).toEqual(['6901234567892', '96385074']);
  });

  it('reconnects after being unplugged and replugged, reporting connected → reconnecting → connected', async () => {
    const first = await startSocatPair();
    cleanups.push(() => first.stop());
    const dir = first.pathA.slice(0, first.pathA.lastIndexOf('/'));
    const { recorder, logger } = startScanner(first.pathA);
    await recorder.stateAfter(0, 'connected');
    const firstDevice = await deviceEnd(first.pathB);
    await writeBytes(firstDevice, '6901234567892\r');
    await recorder.scanCount(1);

    const beforeUnplug = recorder.states.length;
    await first.stop(); // unplug
    const reconnecting = await recorder.stateAfter(beforeUnplug, 'reconnecting');
    expect(reconnecting).toMatchObject({ status: 'reconnecting', path: first.pathA, attempt: 1 });

    const second = await ptyPair({ dir }); // replug: same link path, a new pty behind it
    expect(second.pathA).toBe(first.pathA);
    await recorder.stateAfter(beforeUnplug, 'connected');
    const secondDevice = await deviceEnd(second.pathB);
    await writeBytes(secondDevice, `${WECHAT}\r\n`);

    expect(await recorder.scanCount(2)).toEqual(['6901234567892', WECHAT]);
    expect(recorder.statusSequence()).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(logger.text()).toContain('scanner: port lost');
    expect(logger.text()).not.toContain(WECHAT);
  });

  it('reports a port held by another program, and connects once it is free', async () => {
    const pair = await ptyPair();
    const other = await openDeviceEnd(pair.pathA);
    cleanups.push(() => closeDeviceEnd(other));
    const { recorder } = startScanner(pair.pathA);

    const error = await recorder.stateAfter(0, 'error');
    expect(error).toMatchObject({ status: 'error', path: pair.pathA });
    if (error.status === 'error') {
      expect(error.message.zh).toContain('被其他程序占用');
      expect(error.retryInMs).toBeGreaterThan(0);
    }

    await closeDeviceEnd(other);
    await recorder.stateAfter(0, 'connected');
    const device = await deviceEnd(pair.pathB);
    await writeBytes(device, '96385074\r');
    expect(await recorder.scanCount(1)).toEqual(['96385074']);
  });

  it('waits for a scanner that is not plugged in yet', async () => {
    const dir = (await ptyPair()).pathA.replace(/\/A$/, '');
    const path = `${dir}/later`;
    const { recorder } = startScanner(path);

    const error = await recorder.stateAfter(0, 'error');
    if (error.status === 'error') expect(error.message.en).toContain('not found');

    const pair = await ptyPair({ dir, names: ['later', 'later-device'] });
    await recorder.stateAfter(0, 'connected');
    const device = await deviceEnd(pair.pathB);
    await writeBytes(device, '96385074\r');
    expect(await recorder.scanCount(1)).toEqual(['96385074']);
    expect(recorder.statusSequence()).toEqual(['connecting', 'error', 'connected']);
  });

  it('is disabled when the settings say so, and stop releases the port so it can be opened again', async () => {
    const pair = await ptyPair();
    const disabled = startScanner(pair.pathA, { settings: { enabled: false } });
    expect(disabled.scanner.state).toEqual({ status: 'disabled' });

    const { scanner, recorder } = startScanner(pair.pathA);
    await recorder.stateAfter(0, 'connected');
    await scanner.stop();
    expect(scanner.state).toEqual({ status: 'disabled' });
    const reopened = await openDeviceEnd(pair.pathA);
    await closeDeviceEnd(reopened);
  });
});
