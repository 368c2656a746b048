import { describe, expect, it } from 'vitest';
import { reportCsv } from '../../../electron/shifts/report-export';
import { fen } from '../../../shared/money';
import type { ShiftReport } from '../../../shared/shifts';

const OPENED = Date.UTC(2025, 2, 14, 0, 30);

function report(): ShiftReport {
  return {
    kind: 'Z',
    zNo: 12,
    shiftId: 's1',
    terminalId: 'T01',
    cashierId: 'u1',
    cashierName: '张三',
    openedAt: OPENED,
    closedAt: OPENED + 8 * 3_600_000,
    generatedAt: OPENED + 8 * 3_600_000,
    sales: { byTender: [{ kind: 'cash', count: 2, amountFen: fen(5000) }, { kind: 'wechat-code', count: 1, amountFen: fen(3730) }], count: 3, amountFen: fen(8730) },
    refunds: { byTender: [], count: 0, amountFen: fen(0) },
    voids: [],
    superseded: [],
    noSales: 1,
    cashIn: { count: 0, amountFen: fen(0) },
    cashOut: { count: 1, amountFen: fen(10_000) },
    cash: {
      openingFloatFen: fen(50_000),
      cashSalesFen: fen(5000),
      cashRefundsFen: fen(0),
      cashInFen: fen(0),
      cashOutFen: fen(10_000),
      expectedFen: fen(45_000),
      countedFen: fen(44_950),
      differenceFen: fen(-50),
      denominations: null,
    },
    countersignedBy: null,
    pending: [],
    wechatCheck: null,
  };
}

/** A minimal RFC 4180 reader: enough for what the export writes (quoted fields with "" escapes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\r' && c !== '\n')) {
      field += c;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    }
  }
  return rows;
}

describe('the shift report as CSV', () => {
  const ctx = { lang: 'zh' as const, storeName: '演示商店', sandbox: false, printedAt: OPENED + 9 * 3_600_000, copy: false };

  it('starts with a UTF-8 BOM so Excel reads the Chinese', () => {
    expect(reportCsv(report(), ctx).startsWith('\uFEFF')).toBe(true);
  });

  it('puts counts and yuan amounts in their own columns as plain numbers, which add up', () => {
    const rows = parseCsv(reportCsv(report(), ctx).slice(1));
    expect(rows[0]).toEqual(['项目', '名称', '笔数', '金额（元）', '数值']);
    const sales = rows.filter((r) => r[0] === '销售');
    expect(sales.map((r) => r.slice(1, 4))).toEqual([
      ['现金', '2', '50.00'],
      ['微信付款码', '1', '37.30'],
      ['销售合计', '3', '87.30'],
    ]);
    const byTender = sales.slice(0, 2);
    expect(byTender.reduce((sum, r) => sum + Number(r[3]), 0)).toBeCloseTo(Number(sales[2]?.[3]));
    expect(byTender.reduce((sum, r) => sum + Number(r[2]), 0)).toBe(Number(sales[2]?.[2]));
    // Every figure column holds a number or nothing: no ￥, no 笔 glued to it.
    for (const r of rows.slice(1)) {
      for (const cell of [r[2] ?? '', r[3] ?? '']) expect(cell === '' || Number.isFinite(Number(cell)), `${r.join('|')}`).toBe(true);
    }
    expect(rows.find((r) => r[1] === '差额')?.[3]).toBe('-0.50');
    expect(rows.find((r) => r[1] === '终端')?.[4]).toBe('T01');
  });
});
