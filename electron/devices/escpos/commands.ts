/**
 * ESC/POS command bytes, one function per command, as in the Epson reference (see shared/docs/hardware.md).
 * Each validates its arguments: a wrong byte here prints garbage or, worse, opens the drawer at the wrong time.
 */

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;
export const LF = 0x0a;

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

function checkByte(name: string, value: number, min = 0, max = 255): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer ${min}..${max}, got ${value}`);
  }
  return value;
}

/** ESC @: resets every mode, Chinese mode included, so it belongs at the start of a job only. */
export const initialize = (): Uint8Array => bytes(ESC, 0x40);

/** FS & / FS .: two-byte GB18030 (GBK range) text on or off. */
export const chineseMode = (on: boolean): Uint8Array => (on ? bytes(FS, 0x26) : bytes(FS, 0x2e));

/** ESC E n */
export const bold = (on: boolean): Uint8Array => bytes(ESC, 0x45, on ? 1 : 0);

/** GS ! n: width and height multipliers 1..8 (high nibble width-1, low nibble height-1). */
export function characterSize(width: number, height: number): Uint8Array {
  checkByte('width multiplier', width, 1, 8);
  checkByte('height multiplier', height, 1, 8);
  return bytes(GS, 0x21, ((width - 1) << 4) | (height - 1));
}

export type Justification = 'left' | 'center' | 'right';
const JUSTIFICATION: Record<Justification, number> = { left: 0, center: 1, right: 2 };

/** ESC a n */
export const justify = (align: Justification): Uint8Array => bytes(ESC, 0x61, JUSTIFICATION[align]);

/** ESC d n: print and feed n lines. */
export const feedLines = (lines: number): Uint8Array => bytes(ESC, 0x64, checkByte('lines', lines));

/** GS V 0 / GS V 1: cut now (only valid at the start of a line). */
export const cut = (kind: 'full' | 'partial'): Uint8Array => bytes(GS, 0x56, kind === 'full' ? 0x00 : 0x01);

/**
 * GS V 66 n: feed to the cutter (plus n motion units) and partial-cut. The usual end of a receipt: it leaves
 * no blank paper above the next one and no strip of the last lines inside the printer.
 */
export const feedAndCut = (extra = 0): Uint8Array => bytes(GS, 0x56, 0x42, checkByte('feed', extra));

export interface DrawerPulse {
  /** Drawer kick-out connector pin: 2 (m = 0, the usual one) or 5 (m = 1, a second drawer). */
  pin: 2 | 5;
  /** On time in ms, 2 ms units, 2..510. */
  onMs: number;
  /** Off time in ms, 2 ms units, 2..510; printers take at least the on time. */
  offMs: number;
}

/** Pin 2, 50 ms on, 500 ms off: `1B 70 00 19 FA`, what common drawers expect. */
export const DEFAULT_DRAWER_PULSE: DrawerPulse = { pin: 2, onMs: 50, offMs: 500 };

/** ESC p m t1 t2 */
export function drawerPulse(pulse: DrawerPulse = DEFAULT_DRAWER_PULSE): Uint8Array {
  const t1 = checkByte('drawer on time / 2 ms', Math.round(pulse.onMs / 2), 1);
  const t2 = checkByte('drawer off time / 2 ms', Math.round(pulse.offMs / 2), 1);
  if (t2 < t1) throw new RangeError('drawer off time must be at least the on time');
  return bytes(ESC, 0x70, pulse.pin === 2 ? 0 : 1, t1, t2);
}

/** Which status DLE EOT n asks for: 1 printer, 2 offline cause, 3 error cause, 4 paper roll sensor. */
export type StatusKind = 1 | 2 | 3 | 4;

/** DLE EOT n: a real-time request, answered with one byte even while the printer is offline. */
export const statusQuery = (kind: StatusKind): Uint8Array => bytes(DLE, 0x04, kind);

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';
const QR_EC: Record<QrErrorCorrection, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };

/** The most data a model 2 symbol stores (Epson: k ≤ 7089 bytes in the store function). */
export const QR_MAX_BYTES = 7089;

/** GS ( k fn 65: select model 2 (the model every phone reads). */
export const qrModel2 = (): Uint8Array => bytes(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00);

/** GS ( k fn 67: module size in dots, 1..16. */
export const qrModuleSize = (dots: number): Uint8Array =>
  bytes(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, checkByte('QR module size', dots, 1, 16));

/** GS ( k fn 69: error correction level. */
export const qrErrorCorrection = (level: QrErrorCorrection): Uint8Array =>
  bytes(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, QR_EC[level]);

/**
 * GS ( k fn 80: store data. pL + pH×256 counts BYTES (data + 3), not characters: a Chinese payload in UTF-8
 * takes three bytes a character, and a character count here makes the printer swallow the following commands.
 */
export function qrStoreData(data: Uint8Array): Uint8Array {
  if (data.length === 0) throw new RangeError('QR data is empty');
  if (data.length > QR_MAX_BYTES) throw new RangeError(`QR data is ${data.length} bytes; the limit is ${QR_MAX_BYTES}`);
  const size = data.length + 3;
  const out = new Uint8Array(8 + data.length);
  out.set([GS, 0x28, 0x6b, size & 0xff, size >> 8, 0x31, 0x50, 0x30]);
  out.set(data, 8);
  return out;
}

/** GS ( k fn 81: print the stored symbol. */
export const qrPrint = (): Uint8Array => bytes(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30);
