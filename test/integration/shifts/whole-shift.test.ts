import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { fen } from '../../../shared/money';
import type { ShiftReport } from '../../../shared/shifts';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { decodeEscPos } from '../../helpers/escpos-decoder';
import { walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createTill, type Till } from './harness';

/** 2025-03-14 22:00 Beijing: the shift runs past midnight. */
const OPEN_AT = Date.UTC(2025, 2, 14, 14, 0, 0);
const MANAGER = { id: 'm', name: '王店长' };

describe('a whole shift against the sandbox (v2, real HTTPS)', () => {
  const clock = new ManualClock(OPEN_AT);
  let sandbox: Sandbox;
  let till: Till;
  let report: ShiftReport;
  let sha256: string;
  let serial = 100;
  const ids: Record<string, number> = {};
  let pendingTradeNo = '';
  let changedTradeNo = '';

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    till = createTill(sandbox, clock, 'v2');
    const { shifts, payments } = till;
    const svc = payments.service;
    const cashier = { id: till.staff.cashierId, name: '李收银' };
    const shift = shifts.openShift({ cashierId: cashier.id, cashierName: cashier.name, openingFloatFen: 50_000 });
    const sale = (amountFen: number): number => svc.createSale({ cashierId: cashier.id, shiftId: shift.id, amountFen }).id;

    // WeChat code, paid at once.
    ids.a = sale(1250);
    changedTradeNo = svc.scanPaymentCode(ids.a, walletCode(WALLETS.instant, serial++)).outTradeNo;
    // WeChat QR, the customer scans and pays.
    ids.b = sale(3000);
    const qr = svc.startNativeQr(ids.b);
    await payments.advance(1_000);
    sandbox.customerPay(svc.getAttempt(qr.id).codeUrl ?? '', { delayMs: 0 });
    // Cash with change, and a second cash sale refunded in full later.
    ids.c = sale(2000);
    svc.payCash(ids.c, 5000);
    ids.d = sale(880);
    svc.payCash(ids.d, 1000);
    // A WeChat code sale, partly refunded.
    ids.e = sale(4500);
    svc.scanPaymentCode(ids.e, walletCode(WALLETS.instant, serial++));
    await payments.drain(120_000);

    clock.set(Date.UTC(2025, 2, 14, 16, 30, 0)); // 00:30 the next day in Beijing
    svc.requestRefund({ saleId: ids.e, amountFen: 1500, approvedBy: MANAGER.id, reason: '退货' });
    svc.requestRefund({ saleId: ids.d, amountFen: 880, approvedBy: MANAGER.id });
    // A void, and a WeChat code abandoned for cash (superseded, then reversed by the worker).
    ids.f = sale(990);
    svc.voidSale(ids.f, '顾客不要了');
    ids.g = sale(600);
    svc.scanPaymentCode(ids.g, walletCode(WALLETS.passwordNever, serial++));
    await payments.advance(2_000);
    svc.payCash(ids.g, 600);
    await payments.drain(120_000);

    shifts.moveCash({ shiftId: shift.id, kind: 'in', amountFen: 10_000, reason: '补零钱', actor: cashier });
    shifts.moveCash({ shiftId: shift.id, kind: 'out', amountFen: 20_000, reason: '存银行', actor: cashier });
    shifts.noSale({ shiftId: shift.id, actor: cashier, reason: '换零钱', approval: till.staff.approve('no-sale-drawer') });

    // WeChat now says sale A was for ¥13.00: the pre-close check must list it.
    sandbox.changeOrderAmount(changedTradeNo, 1300);
    // The last customer is still entering the password when the shift closes.
    ids.h = sale(2000);
    pendingTradeNo = svc.scanPaymentCode(ids.h, walletCode(WALLETS.password, serial++, 40)).outTradeNo;
    await svc.worker.runUntilIdle();

    shifts.requestWechatCheck(shift.id);
    await svc.worker.runUntilIdle();

    const counted = shifts.submitCount({
      shiftId: shift.id,
      actor: cashier,
      counts: [
        { denominationFen: 10000, count: 4 },
        { denominationFen: 1000, count: 1 },
        { denominationFen: 50, count: 2 },
      ],
    });
    expect(counted).toMatchObject({ expectedFen: 42_600, countedFen: 41_100, differenceFen: -1_500, needsCountersign: true });
    expect(counted.pending.map((p) => p.ref)).toEqual([pendingTradeNo]);

    expect(() => shifts.closeShift({ shiftId: shift.id, actor: cashier })).toThrow(expect.objectContaining({ code: 'SHIFT_PENDING' }));
    expect(() =>
      shifts.closeShift({ shiftId: shift.id, actor: cashier, pendingApproval: till.staff.approve('shift-close-pending', `shift:${shift.id}`) }),
    ).toThrow(expect.objectContaining({ code: 'APPROVAL_REQUIRED' }));
    const closed = shifts.closeShift({
      shiftId: shift.id,
      actor: cashier,
      pendingApproval: till.staff.approve('shift-close-pending', `shift:${shift.id}`),
      differenceApproval: till.staff.approve('shift-close-difference', `shift:${shift.id}`),
    });
    report = closed.report;
    sha256 = closed.sha256;
    expect(closed.intact).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await till.payments.service.stop();
    await sandbox.close();
  });

  it('counts sales and refunds by tender', () => {
    expect(report.kind).toBe('Z');
    expect(report.zNo).toBe(1);
    expect(report.sales).toEqual({
      byTender: [
        { kind: 'wechat-code', count: 2, amountFen: 5750 },
        { kind: 'wechat-qr', count: 1, amountFen: 3000 },
        { kind: 'cash', count: 3, amountFen: 3480 },
      ],
      count: 6,
      amountFen: 12_230,
    });
    expect(report.refunds).toEqual({
      byTender: [
        { kind: 'wechat-code', count: 1, amountFen: 1500 },
        { kind: 'wechat-qr', count: 0, amountFen: 0 },
        { kind: 'cash', count: 1, amountFen: 880 },
      ],
      count: 2,
      amountFen: 2380,
    });
  });

  it('lists voids, superseded attempts, no-sales and cash movements', () => {
    const cashierId = till.staff.cashierId;
    expect(report.voids).toEqual([{ cashierId, cashierName: '李收银', count: 1, amountFen: 990 }]);
    expect(report.superseded).toEqual([{ cashierId, cashierName: '李收银', count: 1, amountFen: 600 }]);
    expect(report.noSales).toBe(1);
    expect(report.cashIn).toEqual({ count: 1, amountFen: 10_000 });
    expect(report.cashOut).toEqual({ count: 1, amountFen: 20_000 });
  });

  it('shows expected and counted cash, the difference and who countersigned', () => {
    expect(report.cash).toEqual({
      openingFloatFen: 50_000,
      cashSalesFen: 3480,
      cashRefundsFen: 880,
      cashInFen: 10_000,
      cashOutFen: 20_000,
      expectedFen: 42_600,
      countedFen: 41_100,
      differenceFen: -1_500,
      denominations: [
        { denominationFen: 10000, count: 4 },
        { denominationFen: 1000, count: 1 },
        { denominationFen: 50, count: 2 },
      ],
    });
    expect(report.countersignedBy).toBe('王店长');
    // Opened 22:00 on the 14th, closed after midnight (Beijing): one shift, one report.
    expect(report.openedAt).toBe(OPEN_AT);
    expect(report.closedAt).toBeGreaterThan(Date.UTC(2025, 2, 14, 16, 0, 0));
  });

  it('lists the unresolved attempt as pending and the WeChat check result', () => {
    expect(report.pending).toEqual([expect.objectContaining({ kind: 'payment', ref: pendingTradeNo, amountFen: fen(2000) })]);
    expect(till.shifts.getShift(report.shiftId).closedWithPending).toBe(true);
    expect(report.wechatCheck).toMatchObject({
      matchedCount: 2,
      matchedFen: 7500,
      matchedRefundCount: 1,
      matchedRefundFen: 1500,
      unchecked: 0,
      mismatches: [{ kind: 'payment', ref: changedTradeNo, localFen: 1250, wechatFen: 1300, wechatState: 'SUCCESS' }],
    });
  });

  it('keeps the Z report immutable', () => {
    expect(() => till.db.prepare('UPDATE z_reports SET report_json = ? WHERE shift_id = ?').run('{}', report.shiftId)).toThrow(/immutable/);
    expect(() => till.db.prepare('DELETE FROM z_reports').run()).toThrow(/immutable/);
    expect(till.shifts.zReport(report.shiftId)).toEqual({ report, sha256, intact: true });
  });

  it('prints the Z report, and marks the reprint as a copy', async () => {
    const first = till.shifts.printReport(report.shiftId, 'Z', MANAGER);
    const second = till.shifts.printReport(report.shiftId, 'Z', MANAGER);
    expect([first.copy, second.copy]).toEqual([false, true]);
    await till.printAll();
    const pages = till.sink.jobs.map((bytes) => decodeEscPos(bytes).lines.map((l) => l.text.replace(/\s+/g, ' ').trim()));
    const original = pages.find((p) => p.some((l) => l.includes('交班报表 (Z)')) && !p.some((l) => l.includes('重打')));
    const copy = pages.find((p) => p.some((l) => l.includes('*** 重打 ***')));
    expect(original).toBeDefined();
    expect(copy).toBeDefined();
    const text = (original ?? []).join('\n');
    for (const line of [
      'Z 序号 1',
      '微信付款码 2笔 ￥57.50',
      '微信扫码 1笔 ￥30.00',
      '现金 3笔 ￥34.80',
      '销售合计 6笔 ￥122.30',
      '退款合计 2笔 ￥23.80',
      '无销售开钱箱 1',
      '存入现金 1笔 ￥100.00',
      '取出现金 1笔 ￥200.00',
      '备用金 ￥500.00',
      '应有现金 ￥426.00',
      '实点现金 ￥411.00',
      '差额 -￥15.00',
      '店长签核 王店长',
      '一致（支付） 2笔 ￥75.00',
      '一致（退款） 1笔 ￥15.00',
      '不一致 1',
      `校验 ${sha256.slice(0, 16)}`,
      // Voids and superseded payments by cashier name the person, not the user id.
      '李收银 1笔 ￥9.90',
      '李收银 1笔 ￥6.00',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).not.toContain(till.staff.cashierId);
    expect(text).toContain(pendingTradeNo.slice(0, 12));
  });

  it('exports the same figures as PDF and as CSV', async () => {
    const pdf = await till.shifts.exportPdf(report.shiftId, 'Z');
    const dir = mkdtempSync(join(tmpdir(), 'zpdf-'));
    const file = join(dir, 'z.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
    for (const words of ['交班报表 (Z)', '测试便利店', '应有现金 ￥426.00', '实点现金 ￥411.00', '差额 -￥15.00', '销售合计 6笔 ￥122.30', pendingTradeNo]) {
      expect(text).toContain(words);
    }

    const csv = till.shifts.exportCsv(report.shiftId, 'Z');
    // Figures in their own columns as numbers (count, yuan), so a spreadsheet sums them; text in the last column.
    expect(csv.startsWith('\uFEFF项目,名称,笔数,金额（元）,数值\r\n')).toBe(true);
    const rows = csv.slice(1).trimEnd().split('\r\n');
    for (const row of ['销售,微信付款码,2,57.50,', '退款,现金,1,8.80,', '现金核对,应有现金,,426.00,', '现金核对,实点现金,,411.00,', '现金核对,差额,,-15.00,', '钱箱,无销售开钱箱,1,,', '微信核对,不一致,,,1']) {
      expect(rows).toContain(row);
    }
  }, 60_000);

  it('audit-logs the close with the Z number and hash', () => {
    const rows = till.db.prepare("SELECT details FROM audit_log WHERE action = 'shift.closed'").all() as { details: string }[];
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.details ?? '{}')).toMatchObject({ zNo: 1, differenceFen: -1500, sha256 });
  });
});
