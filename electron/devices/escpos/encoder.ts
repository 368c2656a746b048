import iconv from 'iconv-lite';
import { sanitizeReceiptText } from '../../../shared/receipt';
import * as cmd from './commands';

/** '？' (U+FF1F): stands in for characters without a two-byte GB18030 code, keeping the two-column width. */
const REPLACEMENT = Uint8Array.from([0xa3, 0xbf]);

const encodedChars = new Map<string, Uint8Array>();

/**
 * Encodes text for a printer in Chinese mode: ASCII as one byte, everything else as its two-byte GB18030
 * (GBK range) code. Characters GB18030 only has four-byte codes for (emoji, rare characters) are printed as
 * '？', because printers read every byte ≥ 0x81 as the first half of a two-byte character.
 */
export function encodeGb18030(text: string): Uint8Array {
  const parts: number[] = [];
  for (const char of sanitizeReceiptText(text)) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) {
      if (code >= 0x20 || code === cmd.LF) parts.push(code);
      continue;
    }
    let encoded = encodedChars.get(char);
    if (encoded === undefined) {
      const candidate = Uint8Array.from(iconv.encode(char, 'gb18030'));
      encoded = candidate.length === 2 ? candidate : REPLACEMENT;
      encodedChars.set(char, encoded);
    }
    parts.push(...encoded);
  }
  return Uint8Array.from(parts);
}

export interface QrOptions {
  /** Dots per module, 1..16. */
  moduleSize: number;
  errorCorrection: cmd.QrErrorCorrection;
}

/**
 * Builds one ESC/POS byte stream. Text goes through `encodeGb18030`, so the stream assumes Chinese mode is on
 * (`start()` turns it on right after the reset).
 */
export class EscPosEncoder {
  private readonly chunks: Uint8Array[] = [];

  private push(chunk: Uint8Array): this {
    this.chunks.push(chunk);
    return this;
  }

  /** ESC @ then FS &: a clean state with two-byte Chinese text. */
  start(): this {
    return this.push(cmd.initialize()).push(cmd.chineseMode(true));
  }

  initialize(): this {
    return this.push(cmd.initialize());
  }

  chineseMode(on: boolean): this {
    return this.push(cmd.chineseMode(on));
  }

  bold(on: boolean): this {
    return this.push(cmd.bold(on));
  }

  size(width: number, height: number): this {
    return this.push(cmd.characterSize(width, height));
  }

  align(align: cmd.Justification): this {
    return this.push(cmd.justify(align));
  }

  /** Text without a line end; newlines inside are kept. */
  text(text: string): this {
    return this.push(encodeGb18030(text));
  }

  /** Text and a line feed (the printer prints the line when the LF arrives). */
  line(text = ''): this {
    return this.push(encodeGb18030(text)).push(Uint8Array.of(cmd.LF));
  }

  feed(lines: number): this {
    return this.push(cmd.feedLines(lines));
  }

  cut(kind: 'full' | 'partial' = 'partial'): this {
    return this.push(cmd.cut(kind));
  }

  feedAndCut(extra = 0): this {
    return this.push(cmd.feedAndCut(extra));
  }

  drawerPulse(pulse: cmd.DrawerPulse = cmd.DEFAULT_DRAWER_PULSE): this {
    return this.push(cmd.drawerPulse(pulse));
  }

  statusQuery(kind: cmd.StatusKind): this {
    return this.push(cmd.statusQuery(kind));
  }

  /** A native model 2 QR code holding `data` as UTF-8, followed by nothing: the caller ends the line. */
  qr(data: string, options: QrOptions): this {
    return this.push(cmd.qrModel2())
      .push(cmd.qrModuleSize(options.moduleSize))
      .push(cmd.qrErrorCorrection(options.errorCorrection))
      .push(cmd.qrStoreData(new TextEncoder().encode(data)))
      .push(cmd.qrPrint());
  }

  raw(chunk: Uint8Array): this {
    return this.push(Uint8Array.from(chunk));
  }

  /** Everything so far as one byte array. */
  bytes(): Uint8Array {
    const total = this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
