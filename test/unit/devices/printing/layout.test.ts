import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  displayWidth,
  layoutReceipt,
  lineText,
  markAsCopy,
  sanitizeReceiptText,
  wrapText,
  type ReceiptDocument,
} from '../../../../shared/receipt';

describe('receipt text widths', () => {
  it('counts CJK and full-width characters as two columns and ASCII as one', () => {
    expect(displayWidth('可乐 x2')).toBe(7);
    expect(displayWidth('￥12.50')).toBe(7);
  });

  it('turns the half-width ¥ into ￥ and drops control and zero-width characters', () => {
    expect(sanitizeReceiptText('¥5\u200b\u0007\r')).toBe('￥5');
  });

  it('wraps CJK text between characters and English text between words', () => {
    expect(wrapText('农夫山泉天然饮用水550ml整箱', 10)).toEqual(['农夫山泉天', '然饮用水', '550ml整箱']);
    expect(wrapText('Instant noodles beef flavour', 12)).toEqual(['Instant', 'noodles beef', 'flavour']);
  });

  it('cuts a word longer than the line', () => {
    expect(wrapText('4200002024050112345678901234', 10)).toEqual(['4200002024', '0501123456', '78901234']);
  });

  it('never produces a line wider than the paper, whatever the text', () => {
    const text = fc.string({ unit: fc.constantFrom('中', '文', 'a', 'b', ' ', '1', '￥', '😀', '\n', 'é'), maxLength: 120 });
    fc.assert(
      fc.property(text, text, fc.constantFrom(32, 48), (left, right, columns) => {
        const doc: ReceiptDocument = {
          version: 1,
          lang: 'zh',
          blocks: [
            { type: 'text', text: left },
            { type: 'text', text: right, size: 'double' },
            { type: 'row', left, right },
          ],
        };
        for (const line of layoutReceipt(doc, columns)) {
          const limit = line.type === 'text' && line.double ? columns / 2 : columns;
          expect(displayWidth(lineText(line))).toBeLessThanOrEqual(limit);
        }
      }),
    );
  });

  it('pads a two-column row to exactly the paper width', () => {
    const [line] = layoutReceipt({ version: 1, lang: 'zh', blocks: [{ type: 'row', left: '合计', right: '￥50.00' }] }, 32);
    expect(line).toMatchObject({ type: 'row', left: '合计', right: '￥50.00' });
    expect(displayWidth(lineText(line!))).toBe(32);
  });

  it('puts a value that does not fit beside its label on its own right-aligned line', () => {
    const lines = layoutReceipt(
      { version: 1, lang: 'zh', blocks: [{ type: 'row', left: '  微信单号', right: '4200002024050112345678901234' }] },
      32,
    );
    expect(lines.map(lineText)).toEqual(['  微信单号', '    4200002024050112345678901234']);
  });

  it('marks a copy once, at the top', () => {
    const doc: ReceiptDocument = { version: 1, lang: 'en', blocks: [{ type: 'text', text: 'x' }] };
    const copy = markAsCopy(markAsCopy(doc));
    expect(copy.copy).toBe(true);
    expect(copy.blocks).toHaveLength(2);
    expect(copy.blocks[0]).toMatchObject({ type: 'text', text: '*** COPY ***' });
  });
});
