/**
 * serialport's own binding, except that a read returning 0 bytes means the port hung up.
 *
 * WHY: on Linux, once a tty is hung up (USB adapter unplugged, pty master closed), read() returns 0 forever.
 * @serialport/bindings-cpp 13's unixRead retries on 0 bytes without waiting, so a read that starts after the
 * hangup spins at 100% CPU and the port never reports `close` with `disconnected` — the scanner would silently
 * die (serialport/bindings-cpp#162, fix #164 not released). Seen here with socat ptys. Here a 0-byte read is
 * a disconnect error, which the stream turns into `close(DisconnectedError)` like any other unplug.
 */
import { read as fsRead } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';

const readAsync = promisify(fsRead);

export interface SerialOpenSettings {
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 1.5 | 2;
  /** Hardware flow control (some receipt printers need it). */
  rtscts?: boolean;
}

/**
 * An open port as serialport's bindings-interface defines it. Written out here because that package's types do
 * not resolve under moduleResolution Bundler (its package.json "exports" hides them).
 */
interface PortBinding {
  readonly openOptions: object;
  readonly isOpen: boolean;
  close(): Promise<void>;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  update(options: { baudRate: number }): Promise<void>;
  set(options: Record<string, boolean | undefined>): Promise<void>;
  get(): Promise<{ cts: boolean; dsr: boolean; dcd: boolean }>;
  getBaudRate(): Promise<{ baudRate: number }>;
  flush(): Promise<void>;
  drain(): Promise<void>;
}

interface Binding {
  list(): Promise<{ path: string; manufacturer?: string | undefined }[]>;
  open(options: SerialOpenSettings & { lock?: boolean }): Promise<PortBinding>;
}

/** What the Unix bindings (Linux, macOS) expose besides the interface: the fd and its poller. */
interface UnixPortInternals {
  fd: number | null;
  poller: { once(event: 'readable', listener: (error: Error | null) => void): unknown };
}

function isUnixPort(port: PortBinding): port is PortBinding & UnixPortInternals {
  return 'fd' in port && 'poller' in port;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

const canceled = (): Error => Object.assign(new Error('Port is not open'), { canceled: true });

/** Same steps as bindings-cpp's unixRead, with 0 bytes read taken as a hangup instead of a reason to retry. */
async function readUntilData(
  port: PortBinding & UnixPortInternals,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw canceled();
    try {
      const { bytesRead } = await readAsync(port.fd, buffer, offset, length, null);
      if (bytesRead === 0) {
        throw Object.assign(new Error('serial port hung up (read returned no bytes)'), { code: 'EHANGUP', disconnect: true });
      }
      return { buffer, bytesRead };
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
      if (!port.isOpen) throw canceled();
      await new Promise<void>((resolve, reject) => port.poller.once('readable', (e) => (e ? reject(e) : resolve())));
    }
  }
}

/** Delegates everything to the detected port, except reads on Unix. */
class HangupAwarePort implements PortBinding {
  constructor(private readonly inner: PortBinding) {}
  get openOptions(): object {
    return this.inner.openOptions;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!isUnixPort(this.inner)) return this.inner.read(buffer, offset, length);
    return readUntilData(this.inner, buffer, offset, length);
  }
  close: PortBinding['close'] = () => this.inner.close();
  write: PortBinding['write'] = (buffer) => this.inner.write(buffer);
  update: PortBinding['update'] = (options) => this.inner.update(options);
  set: PortBinding['set'] = (options) => this.inner.set(options);
  get: PortBinding['get'] = () => this.inner.get();
  getBaudRate: PortBinding['getBaudRate'] = () => this.inner.getBaudRate();
  flush: PortBinding['flush'] = () => this.inner.flush();
  drain: PortBinding['drain'] = () => this.inner.drain();
}

// The detected platform binding, seen through the interface above (see PortBinding for why it is cast).
const detected = SerialPort.binding as unknown as Binding;

export const hangupAwareBinding: Binding = {
  list: () => detected.list(),
  open: async (options) => new HangupAwarePort(await detected.open(options)),
};

/** A serial port stream (not yet open) over the hang-up-aware binding. */
export function createSerialPortStream(settings: SerialOpenSettings): SerialPortStream {
  return new SerialPortStream({ binding: hangupAwareBinding, autoOpen: false, ...settings });
}
