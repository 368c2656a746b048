/**
 * A printable document as pure data, and its layout into fixed-width lines. Both renderers (ESC/POS bytes for
 * thermal printers, HTML for driver-only printers) start from the same laid-out lines, so the two outputs say
 * the same thing line for line.
 *
 * Widths are counted the way a thermal printer in Chinese mode prints: an ASCII character takes one column,
 * every other character is sent as a two-byte GB18030 code and takes two (characters the printer cannot
 * print are replaced by the full-width '？', also two columns).
 */

export type ReceiptLang = 'zh' | 'en';
export type PaperWidth = 58 | 80;
export type Align = 'left' | 'center' | 'right';

/** One piece of content. Blocks say what to show; `layoutReceipt` decides where lines break. */
export type ReceiptBlock =
  | { type: 'text'; text: string; align?: Align; bold?: boolean; size?: 'normal' | 'double' }
  /** A label on the left and a value on the right ("可乐 … ￥3.50"); wraps gracefully when too long. */
  | { type: 'row'; left: string; right: string; bold?: boolean }
  | { type: 'rule'; style?: 'single' | 'double' }
  /** A QR code (UTF-8 payload), centred. */
  | { type: 'qr'; data: string }
  | { type: 'blank' };

export interface ReceiptDocument {
  /** Bumped if the stored shape ever changes: print jobs keep documents as JSON across app updates. */
  version: 1;
  lang: ReceiptLang;
  blocks: ReceiptBlock[];
  /** True on reprints: the document then carries the "重打"/"COPY" banner. */
  copy?: boolean;
}

/** A line ready to print: already wrapped to the paper's columns. */
export type ReceiptLine =
  | { type: 'text'; text: string; align: Align; bold: boolean; double: boolean }
  /** `text` is the padded full line (left + spaces + right), exactly `columns` wide. */
  | { type: 'row'; left: string; right: string; text: string; bold: boolean }
  | { type: 'rule'; text: string }
  | { type: 'qr'; data: string }
  | { type: 'blank' };

/** Printable columns of normal-size text: 58 mm = 384 dots = 32 columns, 80 mm = 576 dots = 48 columns. */
export function paperColumns(paper: PaperWidth): number {
  return paper === 58 ? 32 : 48;
}

/** Printable width in dots (8 dots/mm heads): used to keep a QR code on the paper. */
export function paperDots(paper: PaperWidth): number {
  return paper === 58 ? 384 : 576;
}

// Control characters are exactly what this pattern is for.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/gu;

/**
 * Makes text safe for a receipt: U+00A5 ¥ (no GB18030 two-byte code) becomes ￥ U+FFE5, tabs and no-break spaces
 * become spaces, and control, zero-width and combining characters (which a printer would show as junk or as a
 * stray full-width glyph) are dropped. Newlines are kept: a text block may hold several lines.
 */
export function sanitizeReceiptText(text: string): string {
  return text
    .replace(/\u00a5/g, '\uffe5')
    .replace(/[\t\u00a0]/g, ' ')
    .replace(/\u3000/g, '  ') // the ideographic space is two columns wide
    .replace(INVISIBLE, '')
    .replace(/\p{M}/gu, ''); // combining marks and variation selectors
}

/** Columns one character takes on the printer (see the file comment). */
export function charColumns(char: string): 1 | 2 {
  return (char.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charColumns(char);
  return width;
}

/** Cuts `text` to at most `columns` display columns (never splitting a character). */
export function truncateToWidth(text: string, columns: number): string {
  let out = '';
  let width = 0;
  for (const char of text) {
    const w = charColumns(char);
    if (width + w > columns) break;
    out += char;
    width += w;
  }
  return out;
}

/** Pads with spaces to exactly `columns` display columns (text wider than that is returned unchanged). */
export function padToWidth(text: string, columns: number, align: Align = 'left'): string {
  const gap = columns - displayWidth(text);
  if (gap <= 0) return text;
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(gap - Math.floor(gap / 2));
  return text + ' '.repeat(gap);
}

/**
 * Breaks text into lines of at most `columns` display columns. ASCII words move whole to the next line when
 * they can; CJK text may break between any two characters; a word longer than a line is cut.
 */
export function wrapText(text: string, columns: number): string[] {
  if (columns < 2) throw new RangeError(`cannot wrap to ${columns} columns`);
  const lines: string[] = [];
  for (const paragraph of sanitizeReceiptText(text).split('\n')) {
    lines.push(...wrapParagraph(paragraph, columns));
  }
  return lines;
}

function wrapParagraph(paragraph: string, columns: number): string[] {
  // eslint-disable-next-line no-control-regex -- splits ASCII words from everything else
  const tokens = paragraph.match(/[\x21-\x7e]+| +|[^\x00-\x7f]/gu) ?? [];
  const lines: string[] = [];
  let line = '';
  const flush = (): void => {
    lines.push(line.trimEnd());
    line = '';
  };
  for (const token of tokens) {
    const isSpace = token.startsWith(' ');
    if (isSpace && line === '' && lines.length > 0) continue; // no leading blanks on a wrapped line
    if (displayWidth(line) + displayWidth(token) <= columns) {
      line += token;
      continue;
    }
    if (isSpace) {
      flush();
      continue;
    }
    if (line.trim() !== '') flush();
    else line = '';
    let rest = token;
    while (displayWidth(rest) > columns) {
      const head = truncateToWidth(rest, columns);
      lines.push(head);
      rest = rest.slice(head.length);
    }
    line = rest;
  }
  if (line.trim() !== '' || lines.length === 0) flush();
  return lines;
}

/**
 * Lays a left label and a right value on one line when they fit with at least one space between them;
 * otherwise the label wraps above and the value sits right-aligned on its own line(s).
 */
function layoutRow(block: Extract<ReceiptBlock, { type: 'row' }>, columns: number): ReceiptLine[] {
  const bold = block.bold ?? false;
  const left = sanitizeReceiptText(block.left).replace(/\n/g, ' ');
  const right = sanitizeReceiptText(block.right).replace(/\n/g, ' ');
  const row = (l: string, r: string): ReceiptLine => ({
    type: 'row', left: l, right: r, bold, text: l + ' '.repeat(columns - displayWidth(l) - displayWidth(r)) + r,
  });
  if (displayWidth(left) + 1 + displayWidth(right) <= columns) return [row(left, right)];
  const leftLines = left === '' ? [] : wrapText(left, columns);
  const last = leftLines.at(-1);
  const lines: ReceiptLine[] = leftLines.slice(0, -1).map((text) => textLine(text, 'left', bold, false));
  if (last !== undefined && displayWidth(last) + 1 + displayWidth(right) <= columns) {
    lines.push(row(last, right));
    return lines;
  }
  if (last !== undefined) lines.push(textLine(last, 'left', bold, false));
  const rightLines = wrapText(right, columns);
  for (const text of rightLines) lines.push(row('', text));
  return lines;
}

function textLine(text: string, align: Align, bold: boolean, double: boolean): ReceiptLine {
  return { type: 'text', text, align, bold, double };
}

/** Lays the document out for a paper with `columns` normal-size columns. Double-size text gets half as many. */
export function layoutReceipt(doc: ReceiptDocument, columns: number): ReceiptLine[] {
  const lines: ReceiptLine[] = [];
  for (const block of doc.blocks) {
    switch (block.type) {
      case 'text': {
        const double = block.size === 'double';
        const width = double ? Math.floor(columns / 2) : columns;
        for (const text of wrapText(block.text, width)) {
          lines.push(textLine(text, block.align ?? 'left', block.bold ?? false, double));
        }
        break;
      }
      case 'row':
        lines.push(...layoutRow(block, columns));
        break;
      case 'rule':
        lines.push({ type: 'rule', text: (block.style === 'double' ? '=' : '-').repeat(columns) });
        break;
      case 'qr':
        lines.push({ type: 'qr', data: block.data });
        break;
      case 'blank':
        lines.push({ type: 'blank' });
        break;
    }
  }
  return lines;
}

/** The plain text of a laid-out line as the printer prints it ('' for QR codes and blank lines). */
export function lineText(line: ReceiptLine): string {
  return line.type === 'text' || line.type === 'row' || line.type === 'rule' ? line.text : '';
}

const COPY_BANNER: Record<ReceiptLang, string> = { zh: '*** 重打 ***', en: '*** COPY ***' };

/** The document for a reprint: the same content under a "重打"/"COPY" banner. Marking twice changes nothing. */
export function markAsCopy(doc: ReceiptDocument): ReceiptDocument {
  if (doc.copy) return doc;
  const banner: ReceiptBlock = { type: 'text', text: COPY_BANNER[doc.lang], align: 'center', bold: true, size: 'double' };
  return { ...doc, copy: true, blocks: [banner, ...doc.blocks] };
}
