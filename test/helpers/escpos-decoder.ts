import iconv from 'iconv-lite';

/**
 * Turns an ESC/POS byte stream back into what a printer would do: text lines (GB18030 in Chinese mode) with
 * their styles and width in columns, QR payloads, cuts, drawer pulses and status queries. It knows exactly
 * the commands our encoder may send and THROWS on anything else (unknown or truncated commands, stray
 * control bytes, high bytes outside Chinese mode, text left without a line feed, cuts in mid-line), so a
 * test passing through it proves the bytes are well formed, not just that some text appears in them.
 */

export type Align = 'left' | 'center' | 'right';

export interface DecodedSegment {
  text: string;
  bold: boolean;
  widthMultiplier: number;
  heightMultiplier: number;
}

export interface DecodedLine {
  text: string;
  align: Align;
  /** True when any part of the line is bold. */
  bold: boolean;
  /** Printed width: one column per single byte, two per two-byte character, times the width multiplier. */
  columns: number;
  segments: DecodedSegment[];
}

export interface DecodedQr {
  payload: string;
  /** Bytes stored, as announced by pL/pH (checked against the data actually present). */
  byteLength: number;
  model: number;
  moduleSize: number;
  errorCorrection: 'L' | 'M' | 'Q' | 'H';
}

export interface DecodedPulse {
  pin: 2 | 5;
  onMs: number;
  offMs: number;
}

export type DecodedEvent =
  | { type: 'init' }
  | { type: 'chinese'; on: boolean }
  | { type: 'line'; line: DecodedLine }
  | { type: 'feed'; lines: number }
  | { type: 'cut'; kind: 'full' | 'partial'; feedAndCut: boolean; feed: number }
  | { type: 'pulse'; pulse: DecodedPulse }
  | { type: 'status'; kind: number }
  | { type: 'qr'; qr: DecodedQr };

export interface DecodedStream {
  events: DecodedEvent[];
  lines: DecodedLine[];
  qrs: DecodedQr[];
  cuts: Extract<DecodedEvent, { type: 'cut' }>[];
  pulses: DecodedPulse[];
  statusQueries: number[];
  /** Lines between cuts (the last page may be uncut). */
  pages: DecodedLine[][];
}

export class EscPosDecodeError extends Error {
  constructor(message: string, offset: number, bytes: Uint8Array) {
    const context = Array.from(bytes.subarray(Math.max(0, offset - 4), offset + 8), (b) => b.toString(16).padStart(2, '0'));
    super(`${message} at byte ${offset} [${context.join(' ')}]`);
  }
}

const EC_LEVELS = { 0x30: 'L', 0x31: 'M', 0x32: 'Q', 0x33: 'H' } as const;

export function decodeEscPos(input: Uint8Array): DecodedStream {
  return new Decoder(input).run();
}

class Decoder {
  private pos = 0;
  private chinese = false;
  private bold = false;
  private align: Align = 'left';
  private widthMul = 1;
  private heightMul = 1;
  private qrModel = 2;
  private qrModuleSize = 3;
  private qrEc: DecodedQr['errorCorrection'] = 'L';
  private stored: { payload: string; byteLength: number } | null = null;
  private segments: (DecodedSegment & { columns: number })[] = [];
  private pendingBytes: number[] = [];
  private pendingColumns = 0;
  private readonly out: DecodedStream = { events: [], lines: [], qrs: [], cuts: [], pulses: [], statusQueries: [], pages: [[]] };

  constructor(private readonly bytes: Uint8Array) {}

  run(): DecodedStream {
    while (this.pos < this.bytes.length) this.step();
    this.closeSegment();
    if (this.segments.length > 0) this.fail('text without a final line feed (the printer would never print it)');
    if (this.out.pages.at(-1)?.length === 0) this.out.pages.pop();
    return this.out;
  }

  private fail(message: string, at = this.pos): never {
    throw new EscPosDecodeError(message, at, this.bytes);
  }

  private take(count: number, what: string): Uint8Array {
    if (this.pos + count > this.bytes.length) this.fail(`truncated ${what}`);
    const slice = this.bytes.subarray(this.pos, this.pos + count);
    this.pos += count;
    return slice;
  }

  private byte(what: string): number {
    return this.take(1, what)[0] as number;
  }

  private step(): void {
    const start = this.pos;
    const b = this.byte('byte');
    if (b === 0x0a) return this.endLine();
    if (b >= 0x20 && b <= 0x7e) return this.addText([b], 1);
    if (b >= 0x80) return this.twoByteChar(b, start);
    if (b === 0x1b) return this.esc(start);
    if (b === 0x1d) return this.gs(start);
    if (b === 0x1c) return this.fs(start);
    if (b === 0x10) return this.dle(start);
    this.fail(`unknown control byte 0x${b.toString(16)}`, start);
  }

  private twoByteChar(lead: number, start: number): void {
    if (!this.chinese) this.fail('byte ≥ 0x80 outside Chinese mode (FS &)', start);
    if (lead < 0x81 || lead > 0xfe) this.fail(`0x${lead.toString(16)} cannot start a two-byte character`, start);
    const trail = this.byte('two-byte character');
    if (trail < 0x40 || trail > 0xfe || trail === 0x7f) this.fail('invalid second byte of a two-byte character', start);
    this.addText([lead, trail], 2);
  }

  private addText(bytes: number[], columns: number): void {
    const last = this.segments.at(-1);
    if (!last || last.bold !== this.bold || last.widthMultiplier !== this.widthMul || last.heightMultiplier !== this.heightMul) {
      this.closeSegment();
      this.segments.push({ text: '', bold: this.bold, widthMultiplier: this.widthMul, heightMultiplier: this.heightMul, columns: 0 });
    }
    this.pendingBytes.push(...bytes);
    this.pendingColumns += columns * this.widthMul;
  }

  /** Decodes the bytes gathered for the current segment into its text. */
  private closeSegment(): void {
    const last = this.segments.at(-1);
    if (!last || this.pendingBytes.length === 0) return;
    last.text += iconv.decode(Buffer.from(this.pendingBytes), 'gb18030');
    last.columns += this.pendingColumns;
    this.pendingBytes = [];
    this.pendingColumns = 0;
  }

  private get midLine(): boolean {
    return this.segments.length > 0 || this.pendingBytes.length > 0;
  }

  private endLine(): void {
    this.closeSegment();
    const segments = this.segments.map(({ columns: _columns, ...segment }) => segment);
    const line: DecodedLine = {
      text: segments.map((s) => s.text).join(''),
      align: this.align,
      bold: segments.some((s) => s.bold),
      columns: this.segments.reduce((sum, s) => sum + s.columns, 0),
      segments,
    };
    this.segments = [];
    this.out.lines.push(line);
    this.out.pages.at(-1)?.push(line);
    this.out.events.push({ type: 'line', line });
  }

  private requireLineStart(what: string, start: number): void {
    this.closeSegment();
    if (this.midLine) this.fail(`${what} in the middle of a line`, start);
  }

  private esc(start: number): void {
    const command = this.byte('ESC command');
    switch (command) {
      case 0x40: // ESC @
        this.requireLineStart('ESC @ (initialise)', start);
        this.chinese = false;
        this.bold = false;
        this.align = 'left';
        this.widthMul = 1;
        this.heightMul = 1;
        this.out.events.push({ type: 'init' });
        return;
      case 0x45: {
        const n = this.byte('ESC E');
        if (n !== 0 && n !== 1) this.fail(`ESC E ${n}: expected 0 or 1`, start);
        this.bold = n === 1;
        return;
      }
      case 0x61: {
        const n = this.byte('ESC a');
        const align = (['left', 'center', 'right'] as const)[n >= 0x30 ? n - 0x30 : n];
        if (!align) this.fail(`ESC a ${n}: unknown alignment`, start);
        this.requireLineStart('ESC a (alignment)', start);
        this.align = align;
        return;
      }
      case 0x64: {
        const n = this.byte('ESC d');
        if (this.midLine) this.endLine();
        this.out.events.push({ type: 'feed', lines: n });
        return;
      }
      case 0x70: {
        const [m, t1, t2] = this.take(3, 'ESC p') as unknown as [number, number, number];
        if (![0, 1, 0x30, 0x31].includes(m)) this.fail(`ESC p: unknown drawer pin m=${m}`, start);
        if (t1 === 0 || t2 === 0) this.fail('ESC p: zero pulse time', start);
        const pulse: DecodedPulse = { pin: m === 0 || m === 0x30 ? 2 : 5, onMs: t1 * 2, offMs: t2 * 2 };
        this.out.pulses.push(pulse);
        this.out.events.push({ type: 'pulse', pulse });
        return;
      }
      default:
        this.fail(`unknown command ESC 0x${command.toString(16)}`, start);
    }
  }

  private gs(start: number): void {
    const command = this.byte('GS command');
    if (command === 0x21) {
      const n = this.byte('GS !');
      this.widthMul = (n >> 4) + 1;
      this.heightMul = (n & 0x0f) + 1;
      if (this.widthMul > 8 || this.heightMul > 8) this.fail(`GS ! 0x${n.toString(16)}: size out of range`, start);
      return;
    }
    if (command === 0x56) return this.cut(start);
    if (command === 0x28) return this.qrFunction(start);
    this.fail(`unknown command GS 0x${command.toString(16)}`, start);
  }

  private cut(start: number): void {
    const m = this.byte('GS V');
    this.requireLineStart('cut', start);
    let event: Extract<DecodedEvent, { type: 'cut' }>;
    if (m === 0 || m === 1 || m === 0x30 || m === 0x31) {
      event = { type: 'cut', kind: m % 0x30 === 0 ? 'full' : 'partial', feedAndCut: false, feed: 0 };
    } else if (m === 0x41 || m === 0x42) {
      event = { type: 'cut', kind: m === 0x41 ? 'full' : 'partial', feedAndCut: true, feed: this.byte('GS V m n') };
    } else {
      this.fail(`GS V ${m}: unknown cut`, start);
    }
    this.out.cuts.push(event);
    this.out.events.push(event);
    this.out.pages.push([]);
  }

  private qrFunction(start: number): void {
    if (this.byte('GS (') !== 0x6b) this.fail('unknown GS ( function (only GS ( k is known)', start);
    const [pL, pH] = this.take(2, 'GS ( k length') as unknown as [number, number];
    const body = this.take(pL + pH * 256, 'GS ( k parameters');
    const [cn, fn] = body;
    if (cn !== 0x31) this.fail(`GS ( k cn=${cn}: only QR (0x31) is known`, start);
    switch (fn) {
      case 0x41:
        if (body.length !== 4 || body[3] !== 0) this.fail('QR select model: bad parameters', start);
        this.qrModel = (body[2] ?? 0) - 0x30;
        if (this.qrModel !== 1 && this.qrModel !== 2) this.fail(`QR model ${this.qrModel}`, start);
        return;
      case 0x43:
        if (body.length !== 3 || !body[2] || body[2] > 16) this.fail('QR module size: bad parameters', start);
        this.qrModuleSize = body[2];
        return;
      case 0x45: {
        const level = EC_LEVELS[body[2] as keyof typeof EC_LEVELS] as DecodedQr['errorCorrection'] | undefined;
        if (body.length !== 3 || !level) this.fail('QR error correction: bad parameters', start);
        this.qrEc = level;
        return;
      }
      case 0x50: {
        if (body[2] !== 0x30) this.fail('QR store data: m must be 0x30', start);
        const data = body.subarray(3);
        if (data.length === 0) this.fail('QR store data: empty', start);
        this.stored = { payload: new TextDecoder('utf-8', { fatal: true }).decode(data), byteLength: data.length };
        return;
      }
      case 0x51: {
        if (body.length !== 3 || body[2] !== 0x30) this.fail('QR print: bad parameters', start);
        if (!this.stored) this.fail('QR print without stored data', start);
        this.requireLineStart('QR print', start);
        const qr: DecodedQr = { ...this.stored, model: this.qrModel, moduleSize: this.qrModuleSize, errorCorrection: this.qrEc };
        this.out.qrs.push(qr);
        this.out.events.push({ type: 'qr', qr });
        return;
      }
      default:
        this.fail(`unknown QR function fn=${fn}`, start);
    }
  }

  private fs(start: number): void {
    const command = this.byte('FS command');
    if (command !== 0x26 && command !== 0x2e) this.fail(`unknown command FS 0x${command.toString(16)}`, start);
    this.requireLineStart('FS & / FS .', start);
    this.chinese = command === 0x26;
    this.out.events.push({ type: 'chinese', on: this.chinese });
  }

  private dle(start: number): void {
    if (this.byte('DLE command') !== 0x04) this.fail('unknown DLE command (only DLE EOT is known)', start);
    const n = this.byte('DLE EOT n');
    if (n < 1 || n > 4) this.fail(`DLE EOT ${n}: unknown status kind`, start);
    this.out.statusQueries.push(n);
    this.out.events.push({ type: 'status', kind: n });
  }
}
