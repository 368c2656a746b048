import { describe, expect, it } from 'vitest';
import { decodeEscPos, EscPosDecodeError } from '../../../helpers/escpos-decoder';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const CHINESE_ON = [0x1b, 0x40, 0x1c, 0x26];

describe('the test suite ESC/POS decoder', () => {
  it('reads status queries and pulses', () => {
    const decoded = decodeEscPos(bytes(0x10, 0x04, 0x02, 0x10, 0x04, 0x04, 0x1b, 0x70, 0x00, 0x19, 0xfa));
    expect(decoded.statusQueries).toEqual([2, 4]);
    expect(decoded.pulses).toEqual([{ pin: 2, onMs: 50, offMs: 500 }]);
  });

  it.each([
    ['an unknown ESC command', [0x1b, 0x74, 0x00]],
    ['an unknown GS command', [0x1d, 0x76, 0x30, 0x00]],
    ['a stray control byte', [0x41, 0x0d, 0x0a]],
    ['a high byte outside Chinese mode', [0xd6, 0xd0, 0x0a]],
    ['a GB18030 four-byte sequence', [...CHINESE_ON, 0x81, 0x30, 0x84, 0x36, 0x0a]],
    ['a truncated command', [0x1b, 0x70, 0x00, 0x19]],
    ['text without a line feed', [0x41, 0x42]],
    ['a cut in the middle of a line', [0x41, 0x1d, 0x56, 0x00, 0x0a]],
    ['an alignment change in the middle of a line', [0x41, 0x1b, 0x61, 0x01, 0x0a]],
    ['a QR print with no stored data', [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]],
    ['an unknown status kind', [0x10, 0x04, 0x07]],
    ['a QR store whose length runs past the end', [0x1d, 0x28, 0x6b, 0x10, 0x00, 0x31, 0x50, 0x30, 0x41]],
  ])('throws on %s', (_what, stream) => {
    expect(() => decodeEscPos(Uint8Array.from(stream))).toThrow(EscPosDecodeError);
  });

  it('measures columns per byte and size multiplier', () => {
    const decoded = decodeEscPos(bytes(...CHINESE_ON, 0x1d, 0x21, 0x11, 0xd6, 0xd0, 0x41, 0x0a));
    expect(decoded.lines[0]).toMatchObject({ text: '中A', columns: 6 });
  });
});
