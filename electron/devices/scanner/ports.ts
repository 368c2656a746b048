/**
 * The serial ports offered in the settings: never fails. `SerialPort.list()` spawns udevadm on Linux and
 * rejects where udev is missing (containers, minimal installs), and never lists ptys or legacy ports, so its
 * answer is merged with a look into /dev, and a path the manager types is always accepted.
 */
import { readdir } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { Logger } from '../../../shared/log';

export type PortSource = 'system' | 'dev' | 'typed';

export interface SerialPortChoice {
  path: string;
  /** Where it was found: the system's list, a look into /dev, or typed by the manager. */
  source: PortSource;
  manufacturer?: string;
}

export interface PortListingDeps {
  /** The system's list (serialport's `SerialPort.list()`). */
  listSystemPorts(): Promise<{ path: string; manufacturer?: string | undefined }[]>;
  /** Names of the entries in /dev. */
  readDevDirectory(): Promise<string[]>;
  logger: Logger;
  /** How long to wait for the system's list before going on without it. */
  systemListTimeoutMs?: number;
}

export const realPortListingDeps = (logger: Logger): PortListingDeps => ({
  listSystemPorts: () => SerialPort.list(),
  readDevDirectory: () => readdir('/dev'),
  logger,
});

/** USB-serial adapters, USB-CDC devices (most USB scanners) and on-board UARTs. */
const DEV_SERIAL_NAME = /^tty(?:USB|ACM|S)\d+$/;

/** Lists ports from every source, merged by path (system entries first, then /dev), plus a typed path. */
export async function listSerialPorts(deps: PortListingDeps, typedPath?: string): Promise<SerialPortChoice[]> {
  const [system, dev] = await Promise.all([systemPorts(deps), devPorts(deps)]);
  const choices = new Map<string, SerialPortChoice>();
  for (const choice of [...system, ...dev]) {
    if (!choices.has(choice.path)) choices.set(choice.path, choice);
  }
  const typed = typedPath === undefined ? null : acceptTypedPortPath(typedPath);
  if (typed !== null && !choices.has(typed)) choices.set(typed, { path: typed, source: 'typed' });
  return [...choices.values()];
}

/**
 * A path typed by hand (a pty, a udev symlink like /dev/serial/by-id/..., COM3) is taken as is: its existence is
 * checked when the scanner opens it, because a device may be plugged in later. Null for empty or control text.
 */
export function acceptTypedPortPath(text: string): string | null {
  const path = text.trim();
  if (path === '' || path.length > 256 || hasControlCharacter(path)) return null;
  return path;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

async function systemPorts(deps: PortListingDeps): Promise<SerialPortChoice[]> {
  try {
    const ports = await withTimeout(deps.listSystemPorts(), deps.systemListTimeoutMs ?? 3000);
    return ports.map((port) =>
      port.manufacturer ? { path: port.path, source: 'system', manufacturer: port.manufacturer } : { path: port.path, source: 'system' },
    );
  } catch (error) {
    deps.logger.warn('scanner: the system port list failed; using /dev', { error: errorMessage(error) });
    return [];
  }
}

async function devPorts(deps: PortListingDeps): Promise<SerialPortChoice[]> {
  try {
    const names = await deps.readDevDirectory();
    return names
      .filter((name) => DEV_SERIAL_NAME.test(name))
      .sort(compareDeviceNames)
      .map((name) => ({ path: `/dev/${name}`, source: 'dev' }));
  } catch (error) {
    // No /dev (Windows): the system list and a typed path remain.
    deps.logger.info('scanner: could not read /dev', { error: errorMessage(error) });
    return [];
  }
}

/** ttyACM0 < ttyS2 < ttyS10 < ttyUSB0: by prefix, then by number. */
function compareDeviceNames(a: string, b: string): number {
  const [, prefixA = '', numberA = '0'] = /^(\D+)(\d+)$/.exec(a) ?? [];
  const [, prefixB = '', numberB = '0'] = /^(\D+)(\d+)$/.exec(b) ?? [];
  return prefixA === prefixB ? Number(numberA) - Number(numberB) : prefixA.localeCompare(prefixB);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
