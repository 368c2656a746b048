import { describe, expect, it } from 'vitest';
import * as cmd from '../../../../electron/devices/escpos/commands';
import { EscPosEncoder, encodeGb18030 } from '../../../../electron/devices/escpos/encoder';
import { decodeEscPos } from '../../../helpers/escpos-decoder';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');

describe('ESC/POS commands', () => {
  it('emits the documented bytes for every command', () => {
    expect(hex(cmd.initialize())).toBe('1b 40');
    expect(hex(cmd.chineseMode(true))).toBe('1c 26');
    expect(hex(cmd.chineseMode(false))).toBe('1c 2e');
    expect(hex(cmd.bold(true))).toBe('1b 45 01');
    expect(hex(cmd.bold(false))).toBe('1b 45 00');
    expect(hex(cmd.characterSize(2, 2))).toBe('1d 21 11');
    expect(hex(cmd.characterSize(1, 1))).toBe('1d 21 00');
    expect(hex(cmd.characterSize(3, 1))).toBe('1d 21 20');
    expect(hex(cmd.justify('left'))).toBe('1b 61 00');
    expect(hex(cmd.justify('center'))).toBe('1b 61 01');
    expect(hex(cmd.justify('right'))).toBe('1b 61 02');
    expect(hex(cmd.feedLines(3))).toBe('1b 64 03');
    expect(hex(cmd.cut('full'))).toBe('1d 56 00');
    expect(hex(cmd.cut('partial'))).toBe('1d 56 01');
    expect(hex(cmd.feedAndCut(0))).toBe('1d 56 42 00');
    expect(hex(cmd.statusQuery(2))).toBe('10 04 02');
    expect(hex(cmd.statusQuery(4))).toBe('10 04 04');
    expect(hex(cmd.qrModel2())).toBe('1d 28 6b 04 00 31 41 32 00');
    expect(hex(cmd.qrModuleSize(6))).toBe('1d 28 6b 03 00 31 43 06');
    expect(hex(cmd.qrErrorCorrection('M'))).toBe('1d 28 6b 03 00 31 45 31');
    expect(hex(cmd.qrPrint())).toBe('1d 28 6b 03 00 31 51 30');
  });

  it('pulses the drawer on pin 2 for 50 ms on, 500 ms off as 1B 70 00 19 FA', () => {
    expect(hex(cmd.drawerPulse())).toBe('1b 70 00 19 fa');
    expect(hex(cmd.drawerPulse({ pin: 5, onMs: 100, offMs: 200 }))).toBe('1b 70 01 32 64');
  });

  it('refuses pulse timings the printer cannot express', () => {
    expect(() => cmd.drawerPulse({ pin: 2, onMs: 600, offMs: 600 })).toThrow(RangeError);
    expect(() => cmd.drawerPulse({ pin: 2, onMs: 100, offMs: 50 })).toThrow(/at least the on time/);
    expect(() => cmd.drawerPulse({ pin: 2, onMs: 0, offMs: 50 })).toThrow(RangeError);
  });

  it('counts QR store-data length in bytes, not characters, for a Chinese payload', () => {
    const payload = '退款:收银台1号:￥12.50';
    const data = new TextEncoder().encode(payload);
    expect(data.length).toBeGreaterThan([...payload].length);
    const bytes = cmd.qrStoreData(data);
    const announced = (bytes[3] as number) + (bytes[4] as number) * 256;
    expect(announced).toBe(data.length + 3);
    expect(hex(bytes.subarray(0, 8))).toBe(`1d 28 6b ${hex(Uint8Array.of(data.length + 3))} 00 31 50 30`);
  });

  it('splits a long QR payload length over pL and pH', () => {
    const data = new Uint8Array(300).fill(0x41);
    const bytes = cmd.qrStoreData(data);
    expect([bytes[3], bytes[4]]).toEqual([(303 & 0xff), 303 >> 8]);
  });

  it('refuses empty or oversized QR data and out-of-range sizes', () => {
    expect(() => cmd.qrStoreData(new Uint8Array())).toThrow(/empty/);
    expect(() => cmd.qrStoreData(new Uint8Array(cmd.QR_MAX_BYTES + 1))).toThrow(/limit/);
    expect(() => cmd.qrModuleSize(17)).toThrow(RangeError);
    expect(() => cmd.characterSize(9, 1)).toThrow(RangeError);
  });
});

describe('GB18030 text encoding', () => {
  it('encodes Chinese as two-byte GB18030 and ASCII as single bytes', () => {
    expect(hex(encodeGb18030('中A'))).toBe('d6 d0 41');
  });

  it('prints the yuan sign as the full-width ￥ (A3 A4), also when given the half-width ¥', () => {
    expect(hex(encodeGb18030('￥1'))).toBe('a3 a4 31');
    expect(hex(encodeGb18030('¥1'))).toBe('a3 a4 31');
  });

  it('replaces characters with only four-byte GB18030 codes by a two-column ？', () => {
    expect(hex(encodeGb18030('a😀b'))).toBe('61 a3 bf 62');
  });

  it('drops control characters that would be read as commands', () => {
    expect(hex(encodeGb18030('a\u001b@b\r'))).toBe('61 40 62');
  });
});

describe('EscPosEncoder', () => {
  it('builds a stream the decoder reads back as styled Chinese lines, a QR code, a cut and a drawer pulse', () => {
    const bytes = new EscPosEncoder()
      .start()
      .align('center')
      .bold(true)
      .size(2, 2)
      .line('好邻居')
      .size(1, 1)
      .bold(false)
      .align('left')
      .line('合计 ￥12.50')
      .qr('POSR:T01:收银1', { moduleSize: 5, errorCorrection: 'Q' })
      .line()
      .feedAndCut(0)
      .drawerPulse()
      .bytes();
    const decoded = decodeEscPos(bytes);
    expect(decoded.lines.map((l) => l.text)).toEqual(['好邻居', '合计 ￥12.50', '']);
    expect(decoded.lines[0]).toMatchObject({ align: 'center', bold: true, columns: 12 });
    expect(decoded.lines[1]).toMatchObject({ align: 'left', bold: false, columns: 12 });
    expect(decoded.qrs).toEqual([
      { payload: 'POSR:T01:收银1', byteLength: 16, model: 2, moduleSize: 5, errorCorrection: 'Q' },
    ]);
    expect(decoded.cuts).toEqual([{ type: 'cut', kind: 'partial', feedAndCut: true, feed: 0 }]);
    expect(decoded.pulses).toEqual([{ pin: 2, onMs: 50, offMs: 500 }]);
    expect(hex(bytes.subarray(0, 4))).toBe('1b 40 1c 26');
    expect(hex(bytes.subarray(-9))).toBe('1d 56 42 00 1b 70 00 19 fa');
  });
});
