import { describe, expect, it } from 'vitest';
import { parseFactBody, saleFactSchema } from '../../../shared/hub-facts';
import { isCheckedSale } from '../../../shared/hub-sale-check';

type Body = Record<string, unknown>;

function validSale(): Body {
  return {
    saleId: 7, terminalId: 'T01', receiptNo: 7, cashierId: 'c1', shiftId: 'SH1', state: 'paid', description: '收银小票', totalFen: 1250,
    createdAt: 1_765_000_000_000, paidAt: 1_765_000_001_000, voidedAt: null, voidReason: null, addedLater: { any: 'thing' },
    lines: [{ lineNo: 1, name: '矿泉水', unitFen: 250, quantity: 1, amountFen: 250 }, { lineNo: 2, name: '面包', unitFen: 1000, quantity: 1, amountFen: 1000 }],
    tenders: [
      { tenderId: 1, kind: 'cash', amountFen: 250, state: 'paid', tenderedFen: 300, changeFen: 50, createdAt: 1, settledAt: 2, outTradeNo: null, transactionId: null },
      { tenderId: 2, kind: 'wechat-code', amountFen: 1000, state: 'pending', tenderedFen: null, changeFen: null, createdAt: 1, settledAt: null, outTradeNo: 'T01X2612070001', transactionId: null },
    ],
  };
}

const BAD_VALUES: readonly unknown[] = [
  undefined, null, -1, 0, 1.5, 2 ** 53, '1', true, [], {}, '', 'x'.repeat(33), 'x'.repeat(65), 'x'.repeat(201), 'x'.repeat(501), 'unknown-state', 'T0000001', 'T-1',
];

/** Every way of breaking one field of the body, a line or a tender, including leaving it out. */
function mutations(): { what: string; body: unknown }[] {
  const out: { what: string; body: unknown }[] = [];
  const base = validSale();
  for (const key of Object.keys(base)) {
    for (const value of BAD_VALUES) {
      const body = validSale();
      if (value === undefined) delete body[key];
      else body[key] = value;
      out.push({ what: `${key} = ${JSON.stringify(value)?.slice(0, 12)}`, body });
    }
  }
  for (const list of ['lines', 'tenders'] as const) {
    for (const key of Object.keys((base[list] as Body[])[0] as Body)) {
      for (const value of BAD_VALUES) {
        for (const index of [0, 1]) {
          const body = validSale();
          const item = (body[list] as Body[])[index] as Body;
          if (value === undefined) delete item[key];
          else item[key] = value;
          out.push({ what: `${list}[${index}].${key} = ${JSON.stringify(value)?.slice(0, 12)}`, body });
        }
      }
    }
    for (const item of [null, 1, 'x', []]) {
      const body = validSale();
      (body[list] as unknown[]).push(item);
      out.push({ what: `${list} holding ${JSON.stringify(item)}`, body });
    }
  }
  out.push({ what: 'an array', body: [validSale()] }, { what: 'null', body: null }, { what: 'a number', body: 3 });
  out.push({ what: '10,001 lines', body: { ...validSale(), lines: Array.from({ length: 10_001 }, (_, i) => ({ lineNo: i + 1, name: 'x', unitFen: 1, quantity: 1, amountFen: 1 })) } });
  return out;
}

describe('the sale body shortcut (shared/hub-sale-check.ts)', () => {
  it('accepts a valid sale as the schema does, unchanged, with fields added later', () => {
    const body = validSale();
    expect(isCheckedSale(body)).toBe(true);
    const parsed = saleFactSchema.safeParse(body);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(body);
    expect(parseFactBody('sale', JSON.stringify(body))).toEqual({ ok: true, value: body });
  });

  it('never accepts a body the schema refuses: every field, line and tender broken in every way', () => {
    const lenient: string[] = [];
    let refusedBySchema = 0;
    for (const { what, body } of mutations()) {
      if (saleFactSchema.safeParse(body).success) continue;
      refusedBySchema += 1;
      if (isCheckedSale(body)) lenient.push(what);
    }
    expect(refusedBySchema).toBeGreaterThan(300);
    expect(lenient).toEqual([]);
  });

  it('leaves the refusal\'s wording to the schema', () => {
    const body = validSale();
    (body.lines as Body[])[1]!.amountFen = -5;
    const result = parseFactBody('sale', JSON.stringify(body));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toMatch(/^sale: lines\.1\.amountFen/);
  });
});
