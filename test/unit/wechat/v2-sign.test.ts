import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signV2, v2SignatureBase, verifyV2 } from '../../../electron/wechat/v2/sign';

// The worked example of the official v2 signature rules (pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=4_3,
// "安全规范 → 签名算法"), as reproduced e.g. at kaopuke.com/article/k-p-k_13_u_23_ogf5_13_jg4.html.
const OFFICIAL = {
  key: '192006250b4c09247ec02edce69f6a2d',
  fields: { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' },
  stringA: 'appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA',
  md5: '9A0A8659F005D6984697E2CA0A9CF3B7',
  hmac: '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6',
};

describe('v2 signature: official example', () => {
  it('builds the documented string to sign', () => {
    expect(v2SignatureBase(OFFICIAL.fields, OFFICIAL.key)).toBe(`${OFFICIAL.stringA}&key=${OFFICIAL.key}`);
  });

  it('produces the documented MD5 signature', () => {
    expect(signV2(OFFICIAL.fields, OFFICIAL.key, 'MD5')).toBe(OFFICIAL.md5);
  });

  it('produces the documented HMAC-SHA256 signature', () => {
    expect(signV2(OFFICIAL.fields, OFFICIAL.key, 'HMAC-SHA256')).toBe(OFFICIAL.hmac);
  });

  it('verifies the documented message in both signature types', () => {
    expect(verifyV2({ ...OFFICIAL.fields, sign: OFFICIAL.md5 }, OFFICIAL.key)).toBe(true);
    expect(verifyV2({ ...OFFICIAL.fields, sign_type: 'HMAC-SHA256', sign: signV2({ ...OFFICIAL.fields, sign_type: 'HMAC-SHA256' }, OFFICIAL.key, 'HMAC-SHA256') }, OFFICIAL.key)).toBe(true);
  });
});

describe('v2 signature rules', () => {
  const key = 'k'.repeat(32);

  it('leaves out empty fields and the sign field', () => {
    const base = { a: '1', b: '2' };
    expect(signV2({ ...base, empty: '', sign: 'WHATEVER' }, key, 'MD5')).toBe(signV2(base, key, 'MD5'));
  });

  it('sorts names by ASCII code, not locale (uppercase before lowercase, _ between)', () => {
    expect(v2SignatureBase({ b: '1', B: '2', a_b: '3', a: '4' }, key)).toBe(`B=2&a=4&a_b=3&b=1&key=${key}`);
  });

  it('signs sign_type itself', () => {
    expect(signV2({ a: '1', sign_type: 'HMAC-SHA256' }, key, 'HMAC-SHA256')).not.toBe(signV2({ a: '1' }, key, 'HMAC-SHA256'));
  });

  it('verifies over fields it does not know (the API adds fields over time)', () => {
    const fields = { return_code: 'SUCCESS', brand_new_field: 'x' };
    expect(verifyV2({ ...fields, sign: signV2(fields, key, 'MD5') }, key)).toBe(true);
  });

  it('rejects a message without a sign', () => {
    expect(verifyV2({ a: '1' }, key)).toBe(false);
    expect(verifyV2({ a: '1', sign: '' }, key)).toBe(false);
  });

  it('rejects an unknown sign_type', () => {
    const fields = { a: '1', sign_type: 'SHA1' };
    expect(verifyV2({ ...fields, sign: signV2(fields, key, 'MD5') }, key)).toBe(false);
  });

  it('accepts a lowercase hex signature', () => {
    const fields = { a: '1' };
    expect(verifyV2({ ...fields, sign: signV2(fields, key, 'MD5').toLowerCase() }, key)).toBe(true);
  });

  it('uses the fallback type for an answer without sign_type (HMAC answers to HMAC requests)', () => {
    const fields = { a: '1' };
    const sign = signV2(fields, key, 'HMAC-SHA256');
    expect(verifyV2({ ...fields, sign }, key)).toBe(false);
    expect(verifyV2({ ...fields, sign }, key, 'HMAC-SHA256')).toBe(true);
  });

  it('rejects a signature made with another key', () => {
    const fields = { a: '1' };
    expect(verifyV2({ ...fields, sign: signV2(fields, 'other', 'MD5') }, key)).toBe(false);
  });
});

const fieldName = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/).filter((n) => n !== 'sign' && n !== 'sign_type');
const fieldValue = fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' });
const fieldsArb = fc.dictionary(fieldName, fieldValue, { minKeys: 1, maxKeys: 10 });
const keyArb = fc.string({ minLength: 1, maxLength: 40 });
const signTypeArb = fc.constantFrom('MD5' as const, 'HMAC-SHA256' as const);

function withSign(fields: Record<string, string>, key: string, signType: 'MD5' | 'HMAC-SHA256'): Record<string, string> {
  const all = signType === 'MD5' ? { ...fields } : { ...fields, sign_type: signType };
  return { ...all, sign: signV2(all, key, signType) };
}

describe('v2 signature properties', () => {
  it('verifies what it signs, in both types', () => {
    fc.assert(fc.property(fieldsArb, keyArb, signTypeArb, (fields, key, type) => verifyV2(withSign(fields, key, type), key)));
  });

  it('does not depend on field order', () => {
    fc.assert(
      fc.property(fieldsArb, keyArb, signTypeArb, (fields, key, type) => {
        const reversed = Object.fromEntries(Object.entries(fields).reverse());
        return signV2(fields, key, type) === signV2(reversed, key, type);
      }),
    );
  });

  it('fails when any byte of any value is changed', () => {
    fc.assert(
      fc.property(fieldsArb, keyArb, signTypeArb, fc.nat(), fc.nat(), (fields, key, type, pickField, pickChar) => {
        const signed = withSign(fields, key, type);
        const names = Object.keys(fields);
        const name = names[pickField % names.length] ?? '';
        const value = signed[name] ?? '';
        const bytes = Buffer.from(value, 'utf8');
        const at = pickChar % bytes.length;
        bytes[at] = (bytes[at] ?? 0) ^ 0x01;
        const tampered = bytes.toString('utf8');
        fc.pre(tampered !== value);
        return !verifyV2({ ...signed, [name]: tampered }, key);
      }),
    );
  });

  it('fails when the signature is changed in any position', () => {
    fc.assert(
      fc.property(fieldsArb, keyArb, signTypeArb, fc.nat(), (fields, key, type, pick) => {
        const signed = withSign(fields, key, type);
        const sign = signed.sign ?? '';
        const at = pick % sign.length;
        const swapped = sign[at] === 'A' ? 'B' : 'A';
        return !verifyV2({ ...signed, sign: `${sign.slice(0, at)}${swapped}${sign.slice(at + 1)}` }, key);
      }),
    );
  });

  it('fails when a field is added or removed', () => {
    fc.assert(
      fc.property(fieldsArb, keyArb, signTypeArb, (fields, key, type) => {
        const signed = withSign(fields, key, type);
        const added = !verifyV2({ ...signed, zz_extra: 'x' }, key);
        const first = Object.keys(fields)[0] ?? '';
        const { [first]: _dropped, ...rest } = signed;
        return added && !verifyV2(rest, key);
      }),
    );
  });
});
