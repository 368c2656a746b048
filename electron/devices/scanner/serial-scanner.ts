/**
 * A barcode scanner on a serial port (RS-232 or USB-CDC). Reads codes line by line and keeps the port open:
 * when it is lost (unplugged: `close` with `err.disconnected`) or cannot be opened, it retries with a growing
 * delay and reports its state, so the status bar can say what is going on.
 */
import type { Clock } from '../../../shared/clock';
import type { Localized } from '../../../shared/i18n';
import type { Logger } from '../../../shared/log';
import type { ScannerSettings, ScannerState } from '../../../shared/scan';
import { LineAssembler, type LineAssemblerOptions } from './line-assembler';
import { createSerialPortStream } from '../serial/hangup-aware-binding';
import { describePortError, SCANNER_DISCONNECTED, SCANNER_NO_PATH } from './port-errors';

/** The part of a serial port the scanner uses: the side effect behind an interface. */
export interface ScannerPort {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  close(callback: (error: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: (error: (Error & { disconnected?: boolean }) | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type ScannerPortFactory = (settings: ScannerSettings) => ScannerPort;

/**
 * The real port, over a binding that reports a hung-up tty as a disconnect (see hangup-aware-binding.ts). Opened
 * by the scanner itself (autoOpen off) so an open failure is an answer, not an event.
 */
export const openSerialScannerPort: ScannerPortFactory = (settings) =>
  createSerialPortStream({
    path: settings.path,
    baudRate: settings.baudRate,
    dataBits: settings.dataBits,
    parity: settings.parity,
    stopBits: settings.stopBits,
  });

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000 };

/** initial, 2×, 4×, ... capped at max. */
export function backoffDelayMs(attempt: number, backoff: BackoffOptions): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
}

export interface SerialScannerDeps {
  clock: Clock;
  logger: Logger;
  /** A complete, readable, de-duplicated code (not yet classified: see routeScan). */
  onScan(code: string): void;
  onState(state: ScannerState): void;
  openPort?: ScannerPortFactory;
  backoff?: Partial<BackoffOptions>;
  lines?: Partial<Omit<LineAssemblerOptions, 'suffix'>>;
}

interface OpenAttempt {
  port: ScannerPort;
  /** Settles when the open callback has run: true when the port opened. */
  opened: Promise<boolean>;
}

export class SerialScanner {
  private readonly openPort: ScannerPortFactory;
  private readonly backoff: BackoffOptions;
  private settings: ScannerSettings;
  private assembler: LineAssembler;
  private current: OpenAttempt | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private everConnected = false;
  private running = false;
  private currentState: ScannerState = { status: 'disabled' };

  constructor(
    settings: ScannerSettings,
    private readonly deps: SerialScannerDeps,
  ) {
    this.settings = settings;
    this.openPort = deps.openPort ?? openSerialScannerPort;
    this.backoff = { ...DEFAULT_BACKOFF, ...deps.backoff };
    this.assembler = this.makeAssembler();
  }

  get state(): ScannerState {
    return this.currentState;
  }

  /** Opens the port (or reports why not) and keeps it open until stop(). */
  start(): void {
    if (this.running) return;
    if (!this.settings.enabled) return this.setState({ status: 'disabled' });
    if (this.settings.path.trim() === '') {
      return this.setState({ status: 'error', path: '', message: SCANNER_NO_PATH, retryInMs: null });
    }
    this.running = true;
    this.everConnected = false;
    this.attempt = 0;
    this.setState({ status: 'connecting', path: this.settings.path });
    this.connect();
  }

  /** Closes the port and stops retrying; resolves once the port is released (so it can be opened again). */
  async stop(): Promise<void> {
    this.running = false;
    this.clearRetry();
    const attempt = this.current;
    this.current = null;
    this.setState({ status: 'disabled' });
    if (attempt) await closeQuietly(attempt);
  }

  /** New settings take effect at once: the port is closed and opened again with them. */
  async applySettings(settings: ScannerSettings): Promise<void> {
    await this.stop();
    this.settings = settings;
    this.assembler = this.makeAssembler();
    this.start();
  }

  private makeAssembler(): LineAssembler {
    return new LineAssembler(this.deps.clock, this.deps.logger, { ...this.deps.lines, suffix: this.settings.suffix });
  }

  private connect(): void {
    this.retryTimer = null;
    let port: ScannerPort;
    try {
      port = this.openPort(this.settings);
    } catch (error) {
      // The settings themselves are unusable (serialport validates them when constructing): retrying cannot help.
      const message = describePortError(error instanceof Error ? error : new Error(String(error)), this.settings.path);
      this.deps.logger.error('scanner: unusable port settings', { path: this.settings.path, error: errorMessage(error) });
      this.running = false;
      this.setState({ status: 'error', path: this.settings.path, message, retryInMs: null });
      return;
    }
    let settle: (opened: boolean) => void = () => {};
    const attempt: OpenAttempt = { port, opened: new Promise((resolve) => (settle = resolve)) };
    this.current = attempt;
    port.on('data', (chunk) => this.onData(attempt, chunk));
    port.on('close', (error) => this.onClosed(attempt, error));
    port.on('error', (error) => this.deps.logger.warn('scanner: port error', { path: this.settings.path, error: error.message }));
    port.open((error) => settle(this.onOpened(attempt, error)));
  }

  private onOpened(attempt: OpenAttempt, error: Error | null): boolean {
    if (this.current !== attempt) return error === null; // stopped meanwhile: stop() closes it
    if (error) {
      this.current = null;
      this.deps.logger.warn('scanner: could not open the port', { path: this.settings.path, error: error.message });
      this.scheduleRetry(describePortError(error, this.settings.path));
      return false;
    }
    this.attempt = 0;
    this.everConnected = true;
    this.assembler.resetPartialLine();
    this.deps.logger.info('scanner: connected', { path: this.settings.path, baudRate: this.settings.baudRate });
    this.setState({ status: 'connected', path: this.settings.path });
    return true;
  }

  private onData(attempt: OpenAttempt, chunk: Buffer): void {
    if (this.current !== attempt) return;
    for (const code of this.assembler.push(chunk)) {
      try {
        this.deps.onScan(code);
      } catch (error) {
        // The scanner keeps reading whatever the app did with one code.
        this.deps.logger.error('scanner: handling a scan failed', { error: errorMessage(error) });
      }
    }
  }

  private onClosed(attempt: OpenAttempt, error: (Error & { disconnected?: boolean }) | null): void {
    if (this.current !== attempt) return; // our own close
    this.current = null;
    this.assembler.resetPartialLine();
    this.deps.logger.warn('scanner: port lost', {
      path: this.settings.path,
      disconnected: error?.disconnected === true,
      error: error?.message ?? null,
    });
    this.attempt = 0;
    this.scheduleRetry(SCANNER_DISCONNECTED);
  }

  private scheduleRetry(reason: Localized): void {
    if (!this.running) return;
    this.attempt += 1;
    const retryInMs = backoffDelayMs(this.attempt, this.backoff);
    const path = this.settings.path;
    if (this.everConnected) {
      this.setState({ status: 'reconnecting', path, attempt: this.attempt, retryInMs, lastError: reason });
    } else {
      this.setState({ status: 'error', path, message: reason, retryInMs });
    }
    this.retryTimer = setTimeout(() => this.connect(), retryInMs);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setState(state: ScannerState): void {
    this.currentState = state;
    try {
      this.deps.onState(state);
    } catch (error) {
      this.deps.logger.error('scanner: state listener failed', { error: errorMessage(error) });
    }
  }
}

async function closeQuietly(attempt: OpenAttempt): Promise<void> {
  const opened = await attempt.opened;
  if (!opened || !attempt.port.isOpen) return;
  await new Promise<void>((resolve) => attempt.port.close(() => resolve()));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
