import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createSerialPortStream } from '../../../../electron/devices/serial/hangup-aware-binding';
import { startSocatPair } from '../../../helpers/socat';
import { closeDeviceEnd, openDeviceEnd, writeBytes } from './recorder';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

const settings = (path: string) => ({ path, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 }) as const;

describe('createSerialPortStream (hang-up-aware binding)', () => {
  it('reads and writes like serialport', async () => {
    const pair = await startSocatPair();
    cleanups.push(() => pair.stop());
    const port = createSerialPortStream(settings(pair.pathA));
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    cleanups.push(() => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
    const device = await openDeviceEnd(pair.pathB);
    cleanups.push(() => closeDeviceEnd(device));

    const received = once(port, 'data');
    await writeBytes(device, '96385074\r');
    expect(String((await received)[0])).toBe('96385074\r');
  });

  it('reports a port whose first read comes after the hang-up as disconnected, instead of spinning', async () => {
    const pair = await startSocatPair();
    cleanups.push(() => pair.stop());
    const port = createSerialPortStream(settings(pair.pathA));
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    cleanups.push(() => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));

    await pair.stop(); // the tty is hung up before anything reads: every read now returns 0 bytes
    const closed = once(port, 'close');
    port.resume(); // the first read starts now

    const [error] = (await closed) as [(Error & { disconnected?: boolean }) | null];
    expect(error?.disconnected).toBe(true);
    expect(port.isOpen).toBe(false);
  });
});
