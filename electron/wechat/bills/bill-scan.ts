/**
 * Reads a bill's text in place: rows and fields are offsets into the one string, and only the fields asked for
 * become strings or numbers. Splitting every row and every field (2.7 million fields in a 100,000-line bill)
 * into strings, and a regular expression per amount, cost more than storing and matching the whole day.
 *
 * Rows are what `text.split(/\r?\n/)` gives after dropping a leading BOM and trailing empty rows; fields are what
 * `row.split(',')` gives, a leading backtick dropped. Amounts and times are read here only in their usual form;
 * for anything else the caller falls back to the general parser, so nothing is accepted that it would refuse.
 */

const LF = 0x0a;
const CR = 0x0d;
const BACKTICK = 0x60;
const MINUS = 0x2d;
const DOT = 0x2e;
const PERCENT = 0x25;
const ZERO = 0x30;
const NINE = 0x39;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** parseYuan's limit: at most nine digits of whole yuan. */
const MAX_WHOLE_DIGITS = 9;
/** 'yyyy-MM-dd HH:mm:ss': '#' stands for a digit. */
const TIME_SHAPE = '####-##-## ##:##:##';
const TIME_LENGTH = TIME_SHAPE.length;
const DIGIT_SLOT = 0x23;
const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000];

const isDigit = (code: number): boolean => code >= ZERO && code <= NINE;

export class BillRows {
  private readonly text: string;
  /** End of the last row that counts (trailing empty rows are not rows). */
  private readonly end: number;
  /** Start of the next row; past `end` once the last row has been read. */
  private nextStart: number;
  private rowStart = 0;
  private rowEnd = 0;
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  /** Date.UTC of the last day seen: a bill's rows share a handful of days. */
  private dayKey = -1;
  private dayMs = 0;

  constructor(csv: string) {
    this.text = csv;
    const start = csv.charCodeAt(0) === 0xfeff ? 1 : 0;
    let end = csv.length;
    while (end > start && csv.charCodeAt(end - 1) === LF) {
      end -= 1;
      if (end > start && csv.charCodeAt(end - 1) === CR) end -= 1;
    }
    this.end = end;
    // An empty text (after the BOM and trailing line breaks) has no rows at all.
    this.nextStart = end > start ? start : end + 1;
  }

  /** Moves to the next row; false when there is none. */
  advance(): boolean {
    if (this.nextStart > this.end) return false;
    const start = this.nextStart;
    const lf = this.text.indexOf('\n', start);
    if (lf === -1 || lf >= this.end) {
      this.rowEnd = this.end;
      this.nextStart = this.end + 1;
    } else {
      this.rowEnd = lf > start && this.text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
      this.nextStart = lf + 1;
    }
    this.rowStart = start;
    return true;
  }

  row(): string {
    return this.text.slice(this.rowStart, this.rowEnd);
  }

  rowStartsWith(prefix: string): boolean {
    return this.rowEnd - this.rowStart >= prefix.length && this.text.startsWith(prefix, this.rowStart);
  }

  /** Finds the first `width` fields of the current row; the ones the row lacks read as ''. */
  splitFields(width: number): void {
    if (this.starts.length < width) {
      this.starts = new Int32Array(width);
      this.ends = new Int32Array(width);
    }
    const { text, rowEnd, starts, ends } = this;
    let at = this.rowStart;
    for (let i = 0; i < width; i++) {
      if (at > rowEnd) {
        starts[i] = -1;
        continue;
      }
      let comma = text.indexOf(',', at);
      if (comma === -1 || comma > rowEnd) comma = rowEnd;
      // The leading backtick is not part of the value.
      starts[i] = at < comma && text.charCodeAt(at) === BACKTICK ? at + 1 : at;
      ends[i] = comma;
      at = comma + 1;
    }
  }

  /** Field `i` of the current row without its backtick; '' for a missing field or column (-1). */
  field(i: number): string {
    const start = i < 0 ? -1 : (this.starts[i] ?? -1);
    return start < 0 ? '' : this.text.slice(start, this.ends[i]);
  }

  /** Field `i` as fen when it is written -?digits[.d[d]] (at most nine whole digits); otherwise null. */
  fenOf(i: number): number | null {
    return this.scaledOf(i, 2);
  }

  /** Field `i` as thousandths of a fen when it is written -?digits[.d{1,5}] (a fee column); otherwise null. */
  milliFenOf(i: number): number | null {
    return this.scaledOf(i, 5);
  }

  /**
   * Field `i` as a whole number of 10^-decimals yuan when it is written -?digits[.d{1,decimals}] with at most
   * nine whole digits; otherwise null. Read from char codes: no string, no regular expression per field.
   */
  private scaledOf(i: number, decimals: number): number | null {
    const start = i < 0 ? -1 : (this.starts[i] ?? -1);
    if (start < 0) return null;
    const { text } = this;
    const end = this.ends[i] ?? start;
    const negative = start < end && text.charCodeAt(start) === MINUS;
    let at = negative ? start + 1 : start;
    let whole = 0;
    const wholeStart = at;
    while (at < end && isDigit(text.charCodeAt(at))) whole = whole * 10 + text.charCodeAt(at++) - ZERO;
    const wholeDigits = at - wholeStart;
    if (wholeDigits < 1 || wholeDigits > MAX_WHOLE_DIGITS) return null;
    let fraction = 0;
    if (at < end) {
      if (text.charCodeAt(at) !== DOT) return null;
      const written = end - at - 1;
      if (written < 1 || written > decimals) return null;
      for (let k = 1; k <= decimals; k++) {
        const code = k <= written ? text.charCodeAt(at + k) : ZERO;
        if (!isDigit(code)) return null;
        fraction = fraction * 10 + code - ZERO;
      }
    }
    const value = whole * (POWERS_OF_TEN[decimals] ?? 1) + fraction;
    return negative ? 0 - value : value;
  }

  /** Field `i` as parts per million when it is written d{1,3}[.d{1,4}]% (a rate: 0.60% → 6000); otherwise null. */
  ratePpmOf(i: number): number | null {
    const start = i < 0 ? -1 : (this.starts[i] ?? -1);
    if (start < 0) return null;
    const { text } = this;
    const end = (this.ends[i] ?? start) - 1;
    if (end <= start || text.charCodeAt(end) !== PERCENT) return null;
    let at = start;
    let whole = 0;
    while (at < end && isDigit(text.charCodeAt(at))) whole = whole * 10 + text.charCodeAt(at++) - ZERO;
    if (at === start || at - start > 3) return null;
    let fraction = 0;
    if (at < end) {
      if (text.charCodeAt(at) !== DOT) return null;
      const written = end - at - 1;
      if (written < 1 || written > 4) return null;
      for (let k = 1; k <= 4; k++) {
        const code = k <= written ? text.charCodeAt(at + k) : ZERO;
        if (!isDigit(code)) return null;
        fraction = fraction * 10 + code - ZERO;
      }
    }
    return whole * 10_000 + fraction;
  }

  /** Field `i` as epoch ms when it is 'yyyy-MM-dd HH:mm:ss' in Beijing time (as Date.UTC reads it); otherwise null. */
  beijingTimeOf(i: number): number | null {
    const start = i < 0 ? -1 : (this.starts[i] ?? -1);
    if (start < 0 || (this.ends[i] ?? start) - start !== TIME_LENGTH) return null;
    const { text } = this;
    for (let k = 0; k < TIME_LENGTH; k++) {
      const code = text.charCodeAt(start + k);
      const expected = TIME_SHAPE.charCodeAt(k);
      if (expected === DIGIT_SLOT ? !isDigit(code) : code !== expected) return null;
    }
    const y = digitsAt(text, start, 4);
    const mo = digitsAt(text, start + 5, 2);
    const d = digitsAt(text, start + 8, 2);
    const key = y * 10_000 + mo * 100 + d;
    if (key !== this.dayKey) {
      // Date.UTC is linear in hours, minutes and seconds, so the day can be computed once and reused.
      this.dayKey = key;
      this.dayMs = Date.UTC(y, mo - 1, d);
    }
    const seconds = digitsAt(text, start + 11, 2) * 3600 + digitsAt(text, start + 14, 2) * 60 + digitsAt(text, start + 17, 2);
    return this.dayMs + seconds * 1000 - BEIJING_OFFSET_MS;
  }
}

/** The value of `count` digits at `at` (already checked to be digits). */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let k = 0; k < count; k++) value = value * 10 + text.charCodeAt(at + k) - ZERO;
  return value;
}
