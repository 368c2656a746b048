import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import type { HubSaleView } from '../../shared/hub-protocol';
import type { Localized } from '../../shared/i18n';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';
import { AuditLog } from '../../electron/security/audit-log';
import { followOtherCounterRefunds } from '../../electron/wiring/other-counter-refund-outcome';
import { createPrinting, type Printing, type ReceiptContext } from '../../electron/wiring/printing';
import { MemoryLogger } from '../../shared/log';
import { decodeEscPos } from '../helpers/escpos-decoder';
import { walletCode, WALLETS } from '../helpers/fake-wechat-client';
import { createHarness, T0 } from '../helpers/payments-harness';
import { sandboxClient } from '../helpers/payments-sandbox';
import { PrinterEmulator } from '../helpers/printer-emulator';

/**
 * A refund of another counter's sale is first printed as 退款处理中 (WeChat accepted it, PROCESSING); when WeChat
 * confirms it, the refunding counter prints a second slip that says 退款成功 — naming the original receipt with its
 * counter and the cashier who made the refund — and tells the cashier, as the store's own refunds do.
 */
let sandbox: Sandbox | null = null;
let printer: PrinterEmulator | null = null;
let printing: Printing | null = null;
afterEach(async () => {
  await printing?.stop();
  await printer?.stop();
  await sandbox?.close();
  sandbox = null;
  printer = null;
  printing = null;
});

const context: ReceiptContext = { lang: 'zh', sandbox: true, storeName: '一号店', storeAddress: '', cashierName: (id) => ({ c7: '张三', m1: '李经理' })[id] ?? id };

function slips(bytes: Uint8Array): string[] {
  return decodeEscPos(bytes).pages.map((page) => page.map((line) => line.text).join('\n')).filter((text) => text.includes('退款单号'));
}

describe("the slip that confirms a refund of another counter's sale", () => {
  it('prints 退款成功 once WeChat confirms a refund first printed as 退款处理中, and tells the cashier', async () => {
    const clock = new ManualClock(T0);
    sandbox = await startSandbox({ clock });
    const payA = createHarness(sandboxClient(sandbox, clock, 'v3'), { clock, terminalId: 'A01' });
    const payB = createHarness(sandboxClient(sandbox, clock, 'v3'), { clock, terminalId: 'B02' });
    const sale = payA.service.createSale({ cashierId: 'c1', amountFen: 5_000 });
    const attempt = payA.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 1));
    await payA.drain();
    const paid = payA.service.getSale(sale.id);
    expect(paid.state).toBe('paid');
    // The sale as the hub shows it to counter B (its lookup is tested in hub-link-other-counter-refund.test.ts).
    const atHub: HubSaleView = {
      terminalId: 'A01', receiptNo: paid.receiptNo, state: 'paid', totalFen: 5_000, createdAt: paid.createdAt, paidAt: paid.paidAt, lines: [],
      tenders: [{ kind: 'wechat-code', amountFen: 5_000, state: 'paid', outTradeNo: attempt.outTradeNo, transactionId: null, refundedFen: 0 }],
    };

    printer = await PrinterEmulator.start();
    printing = createPrinting({ db: payB.db, uri: printer.uri, paperWidthMm: 80, clock, logger: new MemoryLogger() });
    const told: Localized[] = [];
    followOtherCounterRefunds({ db: payB.db, payments: payB.service, printing, announce: (message) => told.push(message), receiptContext: () => context, terminalId: () => 'B02' });

    // As the refund handler does: the refund, its audit entry (who made it), its first slip.
    const refund = payB.service.refundOtherCounterSale({ sale: atHub, outTradeNo: attempt.outTradeNo, amountFen: 2_000, approvedBy: 'm1' });
    new AuditLog(payB.db, clock).append({ id: 'c7', name: '张三' }, 'refund.other-counter', { outRefundNo: refund.outRefundNo, amountFen: 2_000 });
    printing.printOtherCounterRefundSlip(refund, context, { terminalId: 'B02', cashierId: 'c7' });
    await payB.service.worker.runUntilIdle();
    expect(payB.service.getOtherCounterRefund(refund.id).state).toBe('processing');
    await printer.waitFor((bytes) => slips(bytes).length === 1);
    expect(slips(printer.received())[0]).toContain('已提交微信支付');
    expect(told).toEqual([]);

    // WeChat settles it a few seconds later; the worker's query sees SUCCESS.
    await payB.drain();
    expect(payB.service.getOtherCounterRefund(refund.id).state).toBe('succeeded');
    await printer.waitFor((bytes) => slips(bytes).length === 2);
    const confirming = slips(printer.received())[1] ?? '';
    expect(confirming).toContain('退款成功');
    expect(confirming).not.toContain('已提交微信支付');
    expect(confirming).toContain(`A01-${paid.receiptNo}`);
    expect(confirming).toContain(refund.outRefundNo);
    expect(confirming).toContain('张三');
    expect(confirming).toMatch(/20\.00/);
    expect(told).toEqual([{ zh: `小票 A01-${paid.receiptNo} 的微信退款 ￥20.00 已成功，退款成功单已打印`, en: `The WeChat refund of ￥20.00 for receipt A01-${paid.receiptNo} succeeded; its confirmation slip was printed` }]);

    // The confirmation is news once: the same change again (a restart replays it) prints nothing more.
    printing.printOtherCounterRefundOutcome(payB.service.getOtherCounterRefund(refund.id), context, { terminalId: 'B02', cashierId: 'c7' });
    await payB.service.worker.runUntilIdle();
    expect(payB.db.prepare("SELECT count(*) FROM print_jobs WHERE kind = 'refund'").pluck().get()).toBe(2);
  });
});
