import { describe, expect, it } from 'vitest';
import type { Localized } from '../../../../shared/i18n';
import { MemoryLogger } from '../../../../shared/log';
import { ServiceError } from '../../../../shared/result';
import { fen, type Fen } from '../../../../shared/money';
import { ALIPAY_NOT_SUPPORTED, classifyScan } from '../../../../shared/scan';
import {
  decideScanAction,
  ENTER_AMOUNT_FIRST,
  routeScan,
  SCAN_HANDLING_FAILED,
  type ScanContext,
  type ScanRouterDeps,
} from '../../../../electron/devices/scanner/route';

const WECHAT = '134567890123456789';
const idle: ScanContext = { paymentInProgress: null, amountOnScreenFen: null };

/** A recording app: every call lands in `calls`. */
function recordingDeps(context: ScanContext, failWith?: Error) {
  const calls: unknown[][] = [];
  const told: Localized[] = [];
  const logger = new MemoryLogger();
  const record = (name: string) => (...args: unknown[]) => {
    calls.push([name, ...args]);
    if (failWith) return Promise.reject(failWith);
    return Promise.resolve();
  };
  const deps: ScanRouterDeps = {
    logger,
    context: () => context,
    submitPaymentCode: record('submitPaymentCode'),
    startPayment: (amountFen: Fen, code: string) => record('startPayment')(amountFen, code),
    openSale: record('openSale'),
    addProduct: record('addProduct'),
    tellCashier: (message) => void told.push(message),
  };
  return { deps, calls, told, logger };
}

describe('decideScanAction', () => {
  it('sends a WeChat code to the payment in progress', () => {
    const context: ScanContext = { paymentInProgress: { paymentId: 'p-1' }, amountOnScreenFen: fen(1250) };
    expect(decideScanAction(classifyScan(WECHAT), context)).toEqual({ action: 'submit-payment-code', paymentId: 'p-1', code: WECHAT });
  });

  it('starts a payment for the amount on screen when none is in progress', () => {
    const context: ScanContext = { paymentInProgress: null, amountOnScreenFen: fen(1250) };
    expect(decideScanAction(classifyScan(WECHAT), context)).toEqual({ action: 'start-payment', amountFen: 1250, code: WECHAT });
  });

  it('asks for the amount first when there is nothing to pay, and never puts the code in the cart', () => {
    for (const amountOnScreenFen of [null, fen(0)]) {
      expect(decideScanAction(classifyScan(WECHAT), { paymentInProgress: null, amountOnScreenFen })).toEqual({
        action: 'tell-cashier',
        reason: 'no-amount',
        message: ENTER_AMOUNT_FIRST,
      });
    }
  });

  it('answers an Alipay code with "not supported" in words', () => {
    expect(decideScanAction(classifyScan('281234567890123456'), idle)).toEqual({
      action: 'tell-cashier',
      reason: 'alipay-not-supported',
      message: ALIPAY_NOT_SUPPORTED,
    });
  });

  it('opens the sale of a scanned receipt, adds a product, drops garbage', () => {
    expect(decideScanAction(classifyScan('POSR:T01:000042'), idle)).toEqual({ action: 'open-sale', terminalId: 'T01', receiptNo: '000042' });
    expect(decideScanAction(classifyScan('6901234567892'), idle)).toEqual({ action: 'add-product', barcode: '6901234567892' });
    expect(decideScanAction(classifyScan('69\u0000'), idle)).toEqual({ action: 'drop', reason: 'control-bytes' });
  });
});

describe('routeScan', () => {
  it('carries each decision out through the app interface', async () => {
    const { deps, calls, told } = recordingDeps({ paymentInProgress: null, amountOnScreenFen: fen(990) });
    await routeScan(classifyScan(WECHAT), 'serial', deps);
    await routeScan(classifyScan('6901234567892'), 'wedge', deps);
    await routeScan(classifyScan('POSR:T01:000042'), 'wedge', deps);
    await routeScan(classifyScan('2512345678901234'), 'serial', deps);
    expect(calls).toEqual([
      ['startPayment', 990, WECHAT],
      ['addProduct', '6901234567892'],
      ['openSale', 'T01', '000042'],
    ]);
    expect(told).toEqual([ALIPAY_NOT_SUPPORTED]);
  });

  it('drops garbage with a log line and calls nothing', async () => {
    const { deps, calls, told, logger } = recordingDeps(idle);
    expect(await routeScan(classifyScan('\u001b[2J'), 'wedge', deps)).toEqual({ action: 'drop', reason: 'control-bytes' });
    expect(calls).toEqual([]);
    expect(told).toEqual([]);
    expect(logger.lines).toEqual([
      { level: 'warn', message: 'scan: dropped unreadable input', fields: { source: 'wedge', kind: 'garbage', reason: 'control-bytes', length: 4 } },
    ]);
  });

  it('logs payment codes masked only', async () => {
    const { deps, logger } = recordingDeps({ paymentInProgress: { paymentId: 'p-9' }, amountOnScreenFen: null });
    await routeScan(classifyScan(WECHAT), 'serial', deps);
    expect(logger.text()).toContain('1345**********6789');
    expect(logger.text()).not.toContain(WECHAT);
  });

  it('survives a failing app call: logs it, tells the cashier, resolves', async () => {
    const { deps, told, logger } = recordingDeps(idle, new Error('database is locked'));
    expect(await routeScan(classifyScan('6901234567892'), 'serial', deps)).toEqual({ action: 'failed' });
    expect(told).toEqual([SCAN_HANDLING_FAILED]);
    expect(logger.lines.at(-1)?.level).toBe('error');
  });

  it('tells the cashier a refusal the service put in words, and logs it as a refusal rather than a failure', async () => {
    const reason = { zh: '请先开班', en: 'Open a shift first' };
    const { deps, told, logger } = recordingDeps(idle, new ServiceError('NO_OPEN_SHIFT', reason.zh, reason));
    expect(await routeScan(classifyScan('6901234567892'), 'serial', deps)).toEqual({ action: 'failed' });
    expect(told).toEqual([reason]);
    expect(logger.lines.at(-1)).toMatchObject({ level: 'warn', message: 'scan: refused', fields: { code: 'NO_OPEN_SHIFT' } });
  });
});
