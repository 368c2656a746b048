import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../../shared/log';
import { acceptTypedPortPath, listSerialPorts, type PortListingDeps } from '../../../../electron/devices/scanner/ports';

const DEV = ['null', 'tty', 'tty0', 'ttyS10', 'ttyS2', 'ttyUSB1', 'ttyUSB0', 'ttyACM0', 'ttyprintk', 'pts', 'ttyUSB'];

function deps(overrides: Partial<PortListingDeps> = {}): PortListingDeps {
  return {
    listSystemPorts: () => Promise.resolve([]),
    readDevDirectory: () => Promise.resolve(DEV),
    logger: new MemoryLogger(),
    ...overrides,
  };
}

const udevMissing = () => Promise.reject(Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT' }));

describe('listSerialPorts', () => {
  it('falls back to /dev when the system list rejects (no udev), and logs why', async () => {
    const logger = new MemoryLogger();
    const ports = await listSerialPorts(deps({ listSystemPorts: udevMissing, logger }));
    expect(ports.map((p) => p.path)).toEqual(['/dev/ttyACM0', '/dev/ttyS2', '/dev/ttyS10', '/dev/ttyUSB0', '/dev/ttyUSB1']);
    expect(ports.every((p) => p.source === 'dev')).toBe(true);
    expect(logger.text()).toContain('spawn udevadm ENOENT');
  });

  it('merges the system list with /dev by path, system entries first with their details', async () => {
    const ports = await listSerialPorts(
      deps({
        listSystemPorts: () => Promise.resolve([{ path: '/dev/ttyUSB0', manufacturer: 'Prolific' }, { path: '/dev/serial/by-id/x' }]),
      }),
    );
    expect(ports.slice(0, 2)).toEqual([
      { path: '/dev/ttyUSB0', source: 'system', manufacturer: 'Prolific' },
      { path: '/dev/serial/by-id/x', source: 'system' },
    ]);
    expect(ports.filter((p) => p.path === '/dev/ttyUSB0')).toHaveLength(1);
  });

  it('goes on without a system list that never answers', async () => {
    const ports = await listSerialPorts(deps({ listSystemPorts: () => new Promise(() => {}), systemListTimeoutMs: 20 }));
    expect(ports).toHaveLength(5);
  });

  it('answers even when both sources fail (no /dev either), with the typed path', async () => {
    const ports = await listSerialPorts(
      deps({ listSystemPorts: udevMissing, readDevDirectory: () => Promise.reject(new Error('ENOENT /dev')) }),
      ' COM3 ',
    );
    expect(ports).toEqual([{ path: 'COM3', source: 'typed' }]);
  });

  it('adds a typed path once, and not when already listed', async () => {
    const typed = await listSerialPorts(deps({ listSystemPorts: udevMissing }), '/tmp/pty-link');
    expect(typed.at(-1)).toEqual({ path: '/tmp/pty-link', source: 'typed' });
    const listed = await listSerialPorts(deps({ listSystemPorts: udevMissing }), '/dev/ttyUSB0');
    expect(listed.filter((p) => p.path === '/dev/ttyUSB0')).toEqual([{ path: '/dev/ttyUSB0', source: 'dev' }]);
  });
});

describe('acceptTypedPortPath', () => {
  it('takes any trimmed path, and refuses empty or control text', () => {
    expect(acceptTypedPortPath('/dev/serial/by-id/usb-Honeywell-if00')).toBe('/dev/serial/by-id/usb-Honeywell-if00');
    expect(acceptTypedPortPath('  ')).toBeNull();
    expect(acceptTypedPortPath('/dev/tty\nUSB0')).toBeNull();
  });
});
