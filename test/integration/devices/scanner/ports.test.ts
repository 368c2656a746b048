import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../shared/clock';
import { MemoryLogger } from '../../../../shared/log';
import { DEFAULT_SCANNER_SETTINGS } from '../../../../shared/scan';
import { listSerialPorts, realPortListingDeps } from '../../../../electron/devices/scanner/ports';
import { SerialScanner } from '../../../../electron/devices/scanner/serial-scanner';
import { startSocatPair } from '../../../helpers/socat';
import { closeDeviceEnd, openDeviceEnd, ScannerRecorder, writeBytes } from './recorder';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

describe('listing ports on this machine', () => {
  it('without udev, lists what /dev holds and the typed pty path, and that path opens and reads', async () => {
    const pair = await startSocatPair();
    cleanups.push(() => pair.stop());
    const logger = new MemoryLogger();
    const noUdev = {
      ...realPortListingDeps(logger),
      listSystemPorts: () => Promise.reject(Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT' })),
    };

    const ports = await listSerialPorts(noUdev, pair.pathA);

    const devNames = (await readdir('/dev')).filter((name) => /^tty(USB|ACM|S)\d+$/.test(name));
    expect(ports.filter((p) => p.source === 'dev').map((p) => p.path).sort()).toEqual(devNames.map((n) => `/dev/${n}`).sort());
    expect(ports.at(-1)).toEqual({ path: pair.pathA, source: 'typed' });
    expect(logger.text()).toContain('udevadm ENOENT');

    const recorder = new ScannerRecorder();
    const scanner = new SerialScanner(
      { ...DEFAULT_SCANNER_SETTINGS, enabled: true, path: pair.pathA },
      { clock: new ManualClock(0), logger, onScan: recorder.onScan, onState: recorder.onState },
    );
    cleanups.push(() => scanner.stop());
    scanner.start();
    await recorder.stateAfter(0, 'connected');
    const device = await openDeviceEnd(pair.pathB);
    cleanups.push(() => closeDeviceEnd(device));
    await writeBytes(device, '134567890123456789\r');
    expect(await recorder.scanCount(1)).toEqual(['134567890123456789']);
  });

  it('never fails with the real system list either (udev present or not)', async () => {
    const ports = await listSerialPorts(realPortListingDeps(new MemoryLogger()));
    expect(Array.isArray(ports)).toBe(true);
    for (const port of ports) expect(port.path).not.toBe('');
  });
});
