import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AeadError,
  decryptAeadAes256Gcm,
  encryptAeadAes256Gcm,
  openAes256Gcm,
  sealAes256Gcm,
} from '../../../electron/wechat/v3/aead';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe('AEAD_AES_256_GCM: public vectors', () => {
  // wechatpay-axios-plugin tests/lib/aes.test.js: 32-character key, 16-character IV, base64(ct||tag).
  const key = '0123456789abcdef0123456789abcdef';
  const nonce = '0123456789abcdef';

  it('matches wechatpay-axios-plugin for an empty plaintext and AAD', () => {
    expect(encryptAeadAes256Gcm({ key, nonce, associatedData: '', plaintext: '' })).toBe('GvpmmdtYwexXIPhySs9Tlg==');
    expect(decryptAeadAes256Gcm({ key, nonce, associatedData: '', ciphertext: 'GvpmmdtYwexXIPhySs9Tlg==' })).toBe('');
  });

  it('matches wechatpay-axios-plugin for "hello" with AAD "world"', () => {
    expect(encryptAeadAes256Gcm({ key, nonce, associatedData: 'world', plaintext: 'hello' })).toBe('APoZlYpivU3HjbAiB4CvW1rAFr8J');
    expect(decryptAeadAes256Gcm({ key, nonce, associatedData: 'world', ciphertext: 'APoZlYpivU3HjbAiB4CvW1rAFr8J' })).toBe('hello');
  });

  // McGrew & Viega, "The Galois/Counter Mode of Operation" (the spec NIST SP 800-38D adopts), Test Case 16.
  it('matches GCM spec Test Case 16 (AES-256, 96-bit IV, AAD)', () => {
    const vector = {
      key: hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308'),
      nonce: hex('cafebabefacedbaddecaf888'),
      aad: hex('feedfacedeadbeeffeedfacedeadbeefabaddad2'),
      plaintext: hex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39'),
      sealed: hex(
        '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' +
          '76fc6ece0f4e1768cddf8853bb2d551b',
      ),
    };
    expect(sealAes256Gcm({ key: vector.key, nonce: vector.nonce, associatedData: vector.aad, plaintext: vector.plaintext })).toEqual(vector.sealed);
    expect(openAes256Gcm({ key: vector.key, nonce: vector.nonce, associatedData: vector.aad, sealed: vector.sealed })).toEqual(vector.plaintext);
  });

  // NIST CAVP GCMVS AES-256 vectors (96-bit IV, 128-bit plaintext, 160-bit AAD, 128-bit tag), as collected in
  // iotaledger/crypto.rs tests/fixtures/aes_256_gcm.rs.
  const cavp = [
    ['83688deb4af8007f9b713b47cfa6c73e35ea7a3aa4ecdb414dded03bf7a0fd3a', '0b459724904e010a46901cf3', '794a14ccd178c8ebfd1379dc704c5e208f9d8424', '33d893a2114ce06fc15d55e454cf90c3', 'cc66bee423e3fcd4c0865715e9586696', '0fb291bd3dba94a1dfd8b286cfb97ac5'],
    ['013f549af9ecc2ee0259d5fc2311059cb6f10f6cd6ced3b543babe7438a88251', 'e45e759a3bfe4b652dc66d5b', 'b5fe530a5bafce7ae79b3c15471fa68334ab378e', '79490d4d233ba594ece1142e310a9857', '619443034e4437b893a45a4c89fad851', '6da8a991b690ff6a442087a356f8e9e3'],
    ['4b2815c531d2fceab303ec8bca739a97abca9373b7d415ad9d6c6fa9782518cc', '47d647a72b3b5fe19f5d80f7', '20fd79bd0ee538f42b7264a5d098af9a30959bf5', 'd3f6a645779e07517bd0688872e0a49b', '00be3b295899c455110a0ae833140c4d', 'd054e3997c0085e87055b79829ec3629'],
  ] as const;
  for (const [i, [k, iv, aad, pt, ct, tag]] of cavp.entries()) {
    it(`matches NIST CAVP AES-256-GCM vector ${i + 1}`, () => {
      const input = { key: hex(k), nonce: hex(iv), associatedData: hex(aad) };
      expect(sealAes256Gcm({ ...input, plaintext: hex(pt) }).toString('hex')).toBe(ct + tag);
      expect(openAes256Gcm({ ...input, sealed: hex(ct + tag) }).toString('hex')).toBe(pt);
    });
  }
});

describe('AEAD_AES_256_GCM: failures', () => {
  const base = { key: 'K'.repeat(32), nonce: 'N'.repeat(12), associatedData: 'certificate' };
  const ciphertext = encryptAeadAes256Gcm({ ...base, plaintext: '{"serial_no":"X"}' });

  it('refuses a wrong key, nonce or associated data', () => {
    expect(() => decryptAeadAes256Gcm({ ...base, key: 'L'.repeat(32), ciphertext })).toThrow(AeadError);
    expect(() => decryptAeadAes256Gcm({ ...base, nonce: 'M'.repeat(12), ciphertext })).toThrow(AeadError);
    expect(() => decryptAeadAes256Gcm({ ...base, associatedData: 'transaction', ciphertext })).toThrow(AeadError);
  });

  it('refuses a key that is not 32 bytes (the APIv3 key is 32 characters)', () => {
    expect(() => decryptAeadAes256Gcm({ ...base, key: 'short', ciphertext })).toThrow(AeadError);
  });

  it('refuses data shorter than the tag', () => {
    expect(() => decryptAeadAes256Gcm({ ...base, ciphertext: 'AAAA' })).toThrow(AeadError);
  });

  it('round-trips any text and fails on any changed byte', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.nat(), (plaintext, pick) => {
        const sealed = encryptAeadAes256Gcm({ ...base, plaintext });
        expect(decryptAeadAes256Gcm({ ...base, ciphertext: sealed })).toBe(plaintext);
        const bytes = Buffer.from(sealed, 'base64');
        const at = pick % bytes.length;
        bytes[at] = (bytes[at] ?? 0) ^ 0x01;
        expect(() => decryptAeadAes256Gcm({ ...base, ciphertext: bytes.toString('base64') })).toThrow(AeadError);
      }),
    );
  });
});
