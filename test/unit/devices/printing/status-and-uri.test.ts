import { describe, expect, it } from 'vitest';
import {
  describePrinterState,
  isStatusByte,
  printerProblem,
  queryPrinterStatus,
  UNKNOWN_STATUS,
} from '../../../../electron/devices/escpos/status';
import { formatPrinterUri, parsePrinterUri } from '../../../../electron/devices/printer/uri';
import { PRINTER_CONDITIONS, type PrinterCondition } from '../../../helpers/printer-emulator';

function statusFor(condition: PrinterCondition) {
  const answers: Record<number, number> = {
    2: PRINTER_CONDITIONS[condition].offlineCause,
    4: PRINTER_CONDITIONS[condition].paperSensor,
  };
  return queryPrinterStatus((kind) => Promise.resolve(answers[kind] ?? null));
}

describe('printer status bytes', () => {
  it('recognises a status byte by its fixed bits', () => {
    expect(isStatusByte(0x12)).toBe(true);
    expect(isStatusByte(0x72)).toBe(true);
    expect(isStatusByte(0x00)).toBe(false);
    expect(isStatusByte(0x93)).toBe(false);
  });

  it.each([
    ['ready', null, false],
    ['paper-out', 'paper-out', false],
    ['cover-open', 'cover-open', false],
    ['error', 'error', false],
    ['paper-near-end', null, true],
  ] as const)('decodes %s', async (condition, problem, nearEnd) => {
    const status = await statusFor(condition);
    expect(status.known).toBe(true);
    expect(printerProblem(status)).toBe(problem);
    expect(status.paperNearEnd).toBe(nearEnd);
  });

  it('treats no answer or a garbled answer as unknown (and printable)', async () => {
    expect(await queryPrinterStatus(() => Promise.resolve(null))).toEqual(UNKNOWN_STATUS);
    expect(await queryPrinterStatus(() => Promise.resolve(0xff))).toEqual(UNKNOWN_STATUS);
    expect(printerProblem(UNKNOWN_STATUS)).toBeNull();
  });

  it('says what is wrong in Chinese and English', () => {
    expect(describePrinterState('paper-out', 'zh')).toBe('打印机缺纸');
    expect(describePrinterState('cover-open', 'zh')).toBe('打印机盖未关好');
    expect(describePrinterState('paper-out', 'en')).toBe('Printer is out of paper');
  });
});

describe('printer addresses', () => {
  it.each([
    ['serial:/dev/ttyUSB0?baud=9600', { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600, rtscts: false }],
    ['serial:/dev/ttyS1', { kind: 'serial', path: '/dev/ttyS1', baudRate: 9600, rtscts: false }],
    ['serial:COM3?baud=115200&flow=rtscts', { kind: 'serial', path: 'COM3', baudRate: 115200, rtscts: true }],
    ['tcp://192.168.1.50:9100', { kind: 'tcp', host: '192.168.1.50', port: 9100 }],
    ['tcp://printer.local', { kind: 'tcp', host: 'printer.local', port: 9100 }],
    ['tcp://[::1]:9101', { kind: 'tcp', host: '::1', port: 9101 }],
    ['file:/dev/usb/lp0', { kind: 'file', path: '/dev/usb/lp0' }],
    ['file:///tmp/receipts.bin', { kind: 'file', path: '/tmp/receipts.bin' }],
    ['os:XP-80C', { kind: 'os', deviceName: 'XP-80C' }],
    ['os:EPSON TM-T88V Receipt', { kind: 'os', deviceName: 'EPSON TM-T88V Receipt' }],
  ])('parses %s', (uri, target) => {
    expect(parsePrinterUri(uri)).toEqual({ ok: true, value: target });
  });

  it.each([
    ['', '打印机地址为空'],
    ['usb:/dev/lp0', '不支持的打印机地址类型'],
    ['serial:?baud=9600', '串口路径为空'],
    ['serial:/dev/ttyUSB0?baud=9601', '波特率无效'],
    ['serial:/dev/ttyUSB0?bud=9600', '未知参数'],
    ['tcp://:9100', '主机名'],
    ['tcp://10.0.0.1:0', '端口号无效'],
    ['tcp://10.0.0.1:9100/print', '不能带路径'],
    ['file:receipts.bin', '绝对路径'],
    ['os:', '缺少系统打印机名称'],
  ])('rejects %j with a clear message', (uri, words) => {
    const result = parsePrinterUri(uri);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('BAD_PRINTER_URI');
      expect(result.error.message).toContain(words);
      expect(result.error.message).toContain('tcp://192.168.1.50:9100');
    }
  });

  it('explains in English when asked', () => {
    const result = parsePrinterUri('tcp://10.0.0.1:70000', 'en');
    expect(!result.ok && result.error.message).toMatch(/^Invalid printer address "tcp:\/\/10\.0\.0\.1:70000": /);
  });

  it('formats a parsed address back to the same text', () => {
    for (const uri of ['serial:/dev/ttyUSB0?baud=9600', 'tcp://192.168.1.50:9100', 'file:/dev/usb/lp0', 'os:XP-80C']) {
      const parsed = parsePrinterUri(uri);
      expect(parsed.ok && formatPrinterUri(parsed.value)).toBe(uri);
    }
  });
});
