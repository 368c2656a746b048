import { create as createQr } from 'qrcode';
import {
  layoutReceipt,
  paperColumns,
  paperDots,
  type Align,
  type PaperWidth,
  type ReceiptDocument,
  type ReceiptLine,
} from '../../../shared/receipt';
import { EscPosEncoder } from './encoder';
import type { QrErrorCorrection } from './commands';

export interface EscPosRenderOptions {
  paper: PaperWidth;
  /** End with feed-and-cut (default true). Off for printers without a cutter. */
  cut?: boolean;
  /** Largest QR module in dots (default 6); smaller when the symbol would not fit the paper. */
  qrModuleSize?: number;
  qrErrorCorrection?: QrErrorCorrection;
}

/**
 * The module size that keeps a QR symbol (plus its quiet zone) within about 80% of the paper: long payloads
 * need more modules, and a symbol wider than the head is silently cropped by the printer.
 */
export function fittingQrModuleSize(data: string, paper: PaperWidth, largest: number, ec: QrErrorCorrection): number {
  const modules = createQr(data, { errorCorrectionLevel: ec }).modules.size + 8;
  return Math.max(1, Math.min(largest, Math.floor((paperDots(paper) * 0.8) / modules)));
}

/** Renders a document as one ESC/POS job: reset, Chinese mode, the laid-out lines, then feed-and-cut. */
export function renderEscPos(doc: ReceiptDocument, options: EscPosRenderOptions): Uint8Array {
  const encoder = new EscPosEncoder().start();
  const style = new StyleTracker(encoder);
  for (const line of layoutReceipt(doc, paperColumns(options.paper))) {
    writeLine(encoder, style, line, options);
  }
  style.reset();
  if (options.cut ?? true) encoder.feedAndCut(0);
  return encoder.bytes();
}

function writeLine(encoder: EscPosEncoder, style: StyleTracker, line: ReceiptLine, options: EscPosRenderOptions): void {
  switch (line.type) {
    case 'text':
      style.set(line.align, line.bold, line.double);
      encoder.line(line.text);
      return;
    case 'row':
      style.set('left', line.bold, false);
      encoder.line(line.text);
      return;
    case 'rule':
      style.set('left', false, false);
      encoder.line(line.text);
      return;
    case 'blank':
      encoder.line();
      return;
    case 'qr': {
      const ec = options.qrErrorCorrection ?? 'M';
      const moduleSize = fittingQrModuleSize(line.data, options.paper, options.qrModuleSize ?? 6, ec);
      style.set('center', false, false);
      encoder.qr(line.data, { moduleSize, errorCorrection: ec }).line();
      return;
    }
  }
}

/** Sends a style command only when the style changes, so the byte stream stays short and readable. */
class StyleTracker {
  private align: Align = 'left';
  private bold = false;
  private double = false;

  constructor(private readonly encoder: EscPosEncoder) {}

  set(align: Align, bold: boolean, double: boolean): void {
    if (align !== this.align) this.encoder.align(align);
    if (bold !== this.bold) this.encoder.bold(bold);
    if (double !== this.double) this.encoder.size(double ? 2 : 1, double ? 2 : 1);
    this.align = align;
    this.bold = bold;
    this.double = double;
  }

  reset(): void {
    this.set('left', false, false);
  }
}
