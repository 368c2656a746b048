import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBill } from '../../../electron/shifts/bill-download';
import { BillFormatError, parseBill, type ParsedBill } from '../../../electron/wechat/bills/bill-parse';
import { sha1Hex } from '../../../electron/wechat/bill';
import { billRows, billText, expectedBill, shapeArb } from './bill-builder';
import { parseBillBySplitting } from './bill-parse-reference';

type Outcome = { ok: true; bill: ParsedBill } | { ok: false; error: unknown };

function outcome(parse: (csv: string) => ParsedBill, csv: string): Outcome {
  try {
    return { ok: true, bill: parse(csv) };
  } catch (error) {
    return { ok: false, error };
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Characters that matter to the format: separators, the backtick, line breaks, signs, digits, the summary's first. */
const noise = fc.constantFrom(',', '`', '\r', '\n', ' ', '-', '.', ':', '0', '9', 'a', '总', '\uFEFF', '，');
/** Text close to an amount or a time: what a damaged field is likely to hold. */
const nearValue = fc.array(fc.constantFrom('0', '1', '5', '9', '.', '-', ' ', ':', '`', 'a', '\t', '\u3000'), { maxLength: 21 }).map((cs) => cs.join(''));

type RowEdit =
  | { kind: 'field'; row: number; field: number; text: string }
  | { kind: 'cut'; row: number; keep: number }
  | { kind: 'drop' | 'repeat'; row: number };
type TextEdit = { kind: 'replace' | 'insert' | 'delete'; at: number; ch: string } | { kind: 'append'; ch: string };

const rowEdit: fc.Arbitrary<RowEdit> = fc.oneof(
  fc.record({ kind: fc.constant('field' as const), row: fc.nat(), field: fc.nat({ max: 30 }), text: nearValue }),
  fc.record({ kind: fc.constant('cut' as const), row: fc.nat(), keep: fc.nat({ max: 30 }) }),
  fc.record({ kind: fc.constantFrom('drop' as const, 'repeat' as const), row: fc.nat() }),
);
const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('replace' as const, 'insert' as const, 'delete' as const), at: fc.nat(), ch: noise }),
  fc.record({ kind: fc.constant('append' as const), ch: noise }),
);

function applyRowEdit(rows: string[], e: RowEdit): void {
  const at = e.row % rows.length;
  const row = rows[at] ?? '';
  if (e.kind === 'field') {
    const fields = row.split(',');
    fields[e.field % fields.length] = e.text;
    rows[at] = fields.join(',');
  } else if (e.kind === 'cut') rows[at] = row.split(',').slice(0, e.keep).join(',');
  else if (e.kind === 'drop') rows.splice(at, 1);
  else rows.splice(at, 0, row);
}

function applyTextEdit(text: string, e: TextEdit): string {
  if (e.kind === 'append') return text + e.ch;
  const at = e.at % (text.length + 1);
  if (e.kind === 'insert') return text.slice(0, at) + e.ch + text.slice(at);
  if (e.kind === 'delete') return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + e.ch + text.slice(at + 1);
}

/** A written bill, then damaged: fields replaced, rows cut, dropped or repeated, characters changed. */
const damagedBill = fc
  .record({ shape: shapeArb, rowEdits: fc.array(rowEdit, { maxLength: 3 }), textEdits: fc.array(textEdit, { maxLength: 3 }) })
  .filter(({ rowEdits, textEdits }) => rowEdits.length + textEdits.length > 0)
  .map(({ shape, rowEdits, textEdits }) => {
    const rows = billRows(shape);
    for (const e of rowEdits) applyRowEdit(rows, e);
    return textEdits.reduce(applyTextEdit, billText(shape, rows));
  });

describe('parseBill (one pass) against bills written by a reference writer', () => {
  it('reads back exactly the lines and summary that were written, in every layout and line-break style', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        expect(parseBill(billText(shape))).toEqual(expectedBill(shape.lines, shape.layout));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts and refuses exactly what the row-splitting parser does, with the same lines or the same error', () => {
    fc.assert(
      fc.property(damagedBill, (csv) => {
        const ours = outcome(parseBill, csv);
        const reference = outcome(parseBillBySplitting, csv);
        if (reference.ok) {
          expect(ours).toEqual(reference);
          return;
        }
        expect(ours.ok).toBe(false);
        if (ours.ok) return;
        expect(ours.error).toBeInstanceOf(BillFormatError);
        expect(reference.error).toBeInstanceOf(BillFormatError);
        expect(message(ours.error)).toBe(message(reference.error));
        expect([(ours.error as BillFormatError).line, (ours.error as BillFormatError).column]).toEqual([
          (reference.error as BillFormatError).line,
          (reference.error as BillFormatError).column,
        ]);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads the fields a short row lacks as empty, as the row-splitting parser did, whatever the column order', () => {
    fc.assert(
      fc.property(shapeArb.filter((s) => s.lines.length > 0), fc.nat(), (shape, pick) => {
        const rows = billRows(shape);
        const lineNo = (pick % shape.lines.length) + 1;
        const fields = (rows[lineNo] ?? '').split(',');
        for (let keep = 0; keep < fields.length; keep++) {
          const cut = [...rows];
          cut[lineNo] = fields.slice(0, keep).join(',');
          const csv = billText(shape, cut);
          const ours = outcome(parseBill, csv);
          const reference = outcome(parseBillBySplitting, csv);
          expect(ours.ok ? ours : message(ours.error)).toEqual(reference.ok ? reference : message(reference.error));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a bill with one malformed line, naming that line, instead of skipping it', () => {
    const badTimes = ['2025/03/14 12:00:00', '2025-03-14 12:00', '2025-03-14T12:00:00', ''];
    const badAmounts = ['1.005', '1O.00', '12.', '--1.00', '-', '', '1234567890.00'];
    // A fee may have five decimals (0.01000), not six.
    const badFees = ['0.000001', '1O.00', '12.', '--1.00', '-', '', '1234567890.00', '0.60%'];
    const damage = fc.oneof(
      fc.record({ column: fc.constant('交易时间'), text: fc.constantFrom(...badTimes) }),
      fc.record({ column: fc.constantFrom('应结订单金额', '订单金额'), text: fc.constantFrom(...badAmounts) }),
      fc.record({ column: fc.constant('手续费'), text: fc.constantFrom(...badFees) }),
      fc.record({ column: fc.constantFrom('交易时间', '订单金额', '手续费'), text: fc.constant(null) }),
    );
    fc.assert(
      fc.property(shapeArb.filter((s) => s.lines.length > 0), fc.nat(), damage, (shape, pick, { column, text }) => {
        const rows = billRows(shape);
        const lineNo = (pick % shape.lines.length) + 1;
        const at = (rows[0] ?? '').split(',').indexOf(column);
        const fields = (rows[lineNo] ?? '').split(',');
        // null: the row ends just before that column.
        if (text === null) fields.length = at;
        else fields[at] = `\`${text}`;
        rows[lineNo] = fields.join(',');
        expect(() => parseBill(billText(shape, rows))).toThrow(new RegExp(`^line ${lineNo}[ :]`));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a bill missing any one of its rows: the summary no longer counts them', () => {
    const withLines = shapeArb.filter((s) => s.lines.length > 0);
    fc.assert(
      fc.property(withLines, fc.nat(), (shape, pick) => {
        const rows = billRows(shape);
        rows.splice((pick % shape.lines.length) + 1, 1);
        expect(() => parseBill(billText(shape, rows))).toThrow(BillFormatError);
      }),
      { numRuns: 200 },
    );
  });

  it('fingerprints a bill with the SHA-1 of its UTF-8 bytes, as the v3 answer announces it', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const csv = billText(shape);
        const read = readBill(csv);
        expect(read.kind === 'bill' ? read.sha1 : null).toBe(sha1Hex(Buffer.from(csv, 'utf8')));
      }),
      { numRuns: 50 },
    );
  });
});
