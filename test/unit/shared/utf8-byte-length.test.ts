import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from '../../../shared/hub-protocol';

describe('utf8ByteLength', () => {
  it('counts what Buffer.byteLength counts, for ASCII, Chinese, emoji and lone surrogates', () => {
    const samples = ['', '{"a":1}', '矿泉水 ×2', '😀👍🏽', 'é ß ñ', '\ud800', 'x\udc00y', '\ud83d', '特'.repeat(64)];
    let seed = 7;
    for (let n = 0; n < 200; n++) {
      let s = '';
      for (let i = 0; i < 40; i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        s += String.fromCharCode(seed % 0x10000);
      }
      samples.push(s);
    }
    for (const text of samples) expect(utf8ByteLength(text), JSON.stringify(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });
});
