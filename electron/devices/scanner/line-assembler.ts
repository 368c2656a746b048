/**
 * Turns the byte chunks a serial scanner sends into whole, readable, de-duplicated codes. A code may arrive in
 * several chunks, or several codes in one; unreadable or over-long lines are dropped with a log line (never an
 * exception: the bytes come from a device, not from our code).
 */
import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import { classifyScan, MAX_SCAN_LENGTH, type ScannerSuffix } from '../../../shared/scan';

export interface LineAssemblerOptions {
  suffix: ScannerSuffix;
  /** Longest line kept; longer ones are dropped whole, even when they never end. */
  maxLineLength: number;
  /** The same code again within this window is the scanner repeating itself, not a second item. */
  dedupeWindowMs: number;
}

export const DEFAULT_LINE_ASSEMBLER_OPTIONS: LineAssemblerOptions = {
  suffix: 'auto',
  maxLineLength: MAX_SCAN_LENGTH,
  dedupeWindowMs: 1500,
};

const SPLITTERS: Record<ScannerSuffix, RegExp> = {
  auto: /[\r\n]+/,
  CR: /\r/,
  LF: /\n/,
  CRLF: /\r\n/,
};

/** Headroom for a suffix split across chunks ("\r" now, "\n" next) before a line counts as over-long. */
const SUFFIX_HEADROOM = 2;

export class LineAssembler {
  private readonly options: LineAssemblerOptions;
  private pending = '';
  /** True while discarding the rest of an over-long line up to its terminator. */
  private discarding = false;
  private lastCode: { code: string; atMs: number } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: Partial<LineAssemblerOptions> = {},
  ) {
    this.options = { ...DEFAULT_LINE_ASSEMBLER_OPTIONS, ...options };
  }

  /** Feeds one chunk; returns the codes it completed, in order. */
  push(chunk: Uint8Array | string): string[] {
    // latin1 maps each byte to one character, so a chunk boundary never splits a character, and any byte
    // above 0x7E shows up as non-ASCII for classifyScan to reject.
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
    const parts = (this.pending + text).split(SPLITTERS[this.options.suffix]);
    this.pending = parts.pop() ?? '';
    const codes: string[] = [];
    for (const line of parts) {
      const code = this.acceptLine(line);
      if (code !== null) codes.push(code);
    }
    this.guardPendingLength();
    return codes;
  }

  /** Forgets a half-received line (the port was lost: its rest will never come). Dedupe memory is kept. */
  resetPartialLine(): void {
    this.pending = '';
    this.discarding = false;
  }

  private acceptLine(line: string): string | null {
    if (this.discarding) {
      this.discarding = false;
      return null;
    }
    const trimmed = line.trim();
    if (trimmed === '') return null;
    const scan = classifyScan(trimmed, this.options.maxLineLength);
    if (scan.kind === 'garbage') {
      this.logger.warn('scanner: dropped a line', { reason: scan.reason, length: scan.length });
      return null;
    }
    if (this.isRepeat(trimmed)) {
      this.logger.info('scanner: ignored a repeated scan', { length: trimmed.length });
      return null;
    }
    return trimmed;
  }

  private isRepeat(code: string): boolean {
    const now = this.clock.now();
    const last = this.lastCode;
    // Measured from the last time the code was seen, so a scanner in continuous mode repeating a code every
    // half second while it is held in front of it adds it once.
    this.lastCode = { code, atMs: now };
    return last !== null && last.code === code && now - last.atMs < this.options.dedupeWindowMs;
  }

  private guardPendingLength(): void {
    if (this.pending.length <= this.options.maxLineLength + SUFFIX_HEADROOM) return;
    if (!this.discarding) {
      this.logger.warn('scanner: dropped a line', { reason: 'too-long', length: this.pending.length });
    }
    this.pending = '';
    this.discarding = true;
  }
}
