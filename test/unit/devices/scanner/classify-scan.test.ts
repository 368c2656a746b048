import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALIPAY_NOT_SUPPORTED,
  classifyScan,
  describeScanForLog,
  receiptQrPayload,
} from '../../../../shared/scan';

/** Any byte as the serial side decodes it (latin1), or a few characters only a keyboard or a bad decode gives. */
const anyCharacter = fc.oneof(
  fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('条', '码', '\uFFFD', '\u2028', '😀'),
);
const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

describe('classifyScan', () => {
  it('recognises a WeChat payment code (18 digits starting 10–15)', () => {
    expect(classifyScan('134567890123456789')).toEqual({ kind: 'wechat-pay-code', code: '134567890123456789' });
    expect(classifyScan('104567890123456789').kind).toBe('wechat-pay-code');
    expect(classifyScan('154567890123456789').kind).toBe('wechat-pay-code');
  });

  it('never takes a WeChat payment code for a product, whatever its digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 15 }), digits(16), (head, tail) => {
        expect(classifyScan(`${head}${tail}`).kind).toBe('wechat-pay-code');
      }),
    );
  });

  it('does not take 18 digits starting 16–19, or 17/19 digits starting 13, for a WeChat code', () => {
    expect(classifyScan('164567890123456789').kind).toBe('product');
    expect(classifyScan('13456789012345678').kind).toBe('product');
    expect(classifyScan('1345678901234567890').kind).toBe('product');
  });

  it('refuses Alipay codes (16–24 digits starting 25–30) in both languages', () => {
    for (const code of ['2512345678901234', '281234567890123456', '301234567890123456789012']) {
      const scan = classifyScan(code);
      expect(scan).toEqual({ kind: 'alipay-code', code, message: ALIPAY_NOT_SUPPORTED });
    }
    expect(ALIPAY_NOT_SUPPORTED.zh).toBe('暂不支持支付宝付款码，请使用微信');
    expect(ALIPAY_NOT_SUPPORTED.en).toBe('Alipay codes are not supported; please use WeChat');
  });

  it('treats digits starting 25–30 outside 16–24 long, or starting 24/31, as products', () => {
    expect(classifyScan('251234567890123').kind).toBe('product'); // 15
    expect(classifyScan('2512345678901234567890123').kind).toBe('product'); // 25
    expect(classifyScan('2412345678901234').kind).toBe('product');
    expect(classifyScan('3112345678901234').kind).toBe('product');
  });

  it('reads our receipt QR payload back into terminal and receipt number', () => {
    expect(classifyScan('POSR:store#3/T1:42')).toEqual({ kind: 'receipt', terminalId: 'store#3/T1', receiptNo: '42' });
    const payload = receiptQrPayload('T01', '20260101-0042');
    expect(payload).toBe('POSR:T01:20260101-0042');
    expect(classifyScan(payload)).toEqual({ kind: 'receipt', terminalId: 'T01', receiptNo: '20260101-0042' });
  });

  it('refuses to make a receipt payload it could not read back', () => {
    expect(() => receiptQrPayload('T:1', '1')).toThrow();
    expect(() => receiptQrPayload('T1', '')).toThrow();
    expect(() => receiptQrPayload('T 1', '42')).toThrow();
  });

  it('takes printable ASCII barcodes as products: EAN-13, EAN-8, UPC-A, Code128 with spaces', () => {
    for (const code of ['6901234567892', '96385074', '036000291452', 'ABC-123 x/9', 'POSR:not-a-receipt', 'POSR:T 1:42']) {
      expect(classifyScan(code)).toEqual({ kind: 'product', barcode: code });
    }
  });

  it('trims surrounding whitespace before deciding', () => {
    expect(classifyScan('  6901234567892\t')).toEqual({ kind: 'product', barcode: '6901234567892' });
  });

  it('calls empty, control-byte, non-ASCII and over-long input garbage, with a message in both languages', () => {
    const cases: [string, string][] = [
      ['   ', 'empty'],
      ['69012\u000134567', 'control-bytes'],
      ['6901\u007f2', 'control-bytes'],
      ['条码123', 'non-ascii'],
      ['\u00ff\u00fe12', 'non-ascii'],
      ['1'.repeat(65), 'too-long'],
    ];
    for (const [text, reason] of cases) {
      const scan = classifyScan(text);
      expect(scan.kind).toBe('garbage');
      if (scan.kind !== 'garbage') continue;
      expect(scan.reason).toBe(reason);
      expect(scan.message.zh).toMatch(/已忽略/);
      expect(scan.message.en).toMatch(/ignored/i);
    }
    expect(classifyScan('1'.repeat(64)).kind).toBe('product');
  });

  it('never crashes on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyCharacter, maxLength: 200 }), (text) =>
        ['wechat-pay-code', 'alipay-code', 'receipt', 'product', 'garbage'].includes(classifyScan(text).kind),
      ),
    );
  });
});

describe('describeScanForLog', () => {
  it('masks payment codes and never echoes garbage', () => {
    expect(describeScanForLog(classifyScan('134567890123456789'))).toEqual({ kind: 'wechat-pay-code', code: '1345**********6789' });
    const alipay = JSON.stringify(describeScanForLog(classifyScan('281234567890123456')));
    expect(alipay).not.toContain('281234567890123456');
    expect(describeScanForLog(classifyScan('13456\u0007789'))).toEqual({ kind: 'garbage', reason: 'control-bytes', length: 9 });
  });
});
