import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildAuthorization,
  parseAuthorization,
  signSha256Rsa,
  v3Message,
  verifySha256Rsa,
} from '../../../electron/wechat/v3/sign';

/*
 * Test vector from the official Go SDK's own tests (github.com/wechatpay-apiv3/wechatpay-go,
 * core/auth/signers/sha256withrsa_signer_test.go and core/auth/verifiers/sha256withrsa_verifier_test.go /
 * sha256withrsa_pubkey_verifier_test.go): a throwaway test key, the message "source", and its SHA256withRSA
 * signature; the matching self-signed certificate (serial F5765756002FDD77) and public key.
 */
const SDK_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDZUJN33V+dSfvd
fL0Mu+39XrZNXFFMQSy1V15FpncHeV47SmV0TzTqZc7hHB0ddqAdDi8Z5k3TKqb7
6sOwYr5TcAfuR6PIPaleyE0/0KrljBum2Isa2Nyq7Dgc3ElBQ6YN4l/a+DpvKaz1
FSKmKrhLNskqokWVSlu4g8OlKlbPXQ9ibII14MZRQrrkTmHYHzfi7GXXM0thAKuR
0HNvyhTHBh4/lrYM3GaMvmWwkwvsMavnOex6+eioZHBOb1/EIZ/LzC6zuHArPpyW
3daGaZ1rtQB1vVzTyERAVVFsXXgBHvfFud3w3ShsJYk8JvMwK2RpJ5/gV0QSARcm
LDRUAlPzAgMBAAECggEBAMc7rDeUaXiWv6bMGbZ3BTXpg1FhdddnWUnYE8HfX/km
OFI7XtBHXcgYFpcjYz4D5787pcsk7ezPidAj58zqenuclmjKnUmT3pfbI5eCA2v4
C9HnbYDrmUPK1ZcADtka4D6ScDccpNYNa1g2TFHzkIrEa6H+q7S3O2fqxY/DRVtN
0JIXalBb8daaqL5QVzSmM2BMVnHy+YITJWIkP2a3pKs9C0W65JGDsnG0wVrHinHF
+cnhFZIbaPEI//DAFMc9NkrWOKVRTEgcCUxCFaHOZVNxDWZD7A2ZfJB2rK6eg//y
gEiFDR2h6mTaDowMB4YF2n2dsIO4/dCG8vPHI20jn4ECgYEA/ZGu6lEMlO0XZnam
AZGtiNgLcCfM/C2ZERZE7QTRPZH1WdK92Al9ndldsswFw4baJrJLCmghjF/iG4zi
hhBvLnOLksnZUfjdumxoHDWXo2QBWbI5QsWIE7AuTiWgWj1I7X4fCXSQf6i+M/y2
6TogQ7d0ANpZFyOkTNMn/tiJvLECgYEA22XqlamG/yfAGWery5KNH2DGlTIyd6xJ
WtJ9j3jU99lZ0bCQ5xhiBbU9ImxCi3zgTsoqLWgA/p00HhNFNoUcTl9ofc0G3zwT
D1y0ZzcnVKxGJdZ6ohW52V0hJStAigtjYAsUgjm7//FH7PiQDBDP1Wa6xSRkDQU/
aSbQxvEE8+MCgYEA3bb8krW7opyM0XL9RHH0oqsFlVO30Oit5lrqebS0oHl3Zsr2
ZGgoBlWBsEzk3UqUhTFwm/DhJLTSJ/TQPRkxnhQ5/mewNhS9C7yua7wQkzVmWN+V
YeUGTvDGDF6qDz12/vJAgSwDDRym8x4NcXD5tTw7mmNRcwIfL22SkysThIECgYAV
BgccoEoXWS/HP2/u6fQr9ZIR6eV8Ij5FPbZacTG3LlS1Cz5XZra95UgebFFUHHtC
EY1JHJY7z8SWvTH8r3Su7eWNaIAoFBGffzqqSVazfm6aYZsOvRY6BfqPHT3p/H1h
Tq6AbBffxrcltgvXnCTORjHPglU0CjSxVs7awW3AEQKBgB5WtaC8VLROM7rkfVIq
+RXqE5vtJfa3e3N7W3RqxKp4zHFAPfr82FK5CX2bppEaxY7SEZVvVInKDc5gKdG/
jWNRBmvvftZhY59PILHO2X5vO4FXh7suEjy6VIh0gsnK36mmRboYIBGsNuDHjXLe
BDa+8mDLkWu5nHEhOxy2JJZl
-----END PRIVATE KEY-----`;
const SDK_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDVzCCAj+gAwIBAgIJAPV2V1YAL913MA0GCSqGSIb3DQEBCwUAMEIxCzAJBgNV
BAYTAlhYMRUwEwYDVQQHDAxEZWZhdWx0IENpdHkxHDAaBgNVBAoME0RlZmF1bHQg
Q29tcGFueSBMdGQwHhcNMjEwNDI3MDg0MDMyWhcNMzEwNDI1MDg0MDMyWjBCMQsw
CQYDVQQGEwJYWDEVMBMGA1UEBwwMRGVmYXVsdCBDaXR5MRwwGgYDVQQKDBNEZWZh
dWx0IENvbXBhbnkgTHRkMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA
2VCTd91fnUn73Xy9DLvt/V62TVxRTEEstVdeRaZ3B3leO0pldE806mXO4RwdHXag
HQ4vGeZN0yqm++rDsGK+U3AH7kejyD2pXshNP9Cq5YwbptiLGtjcquw4HNxJQUOm
DeJf2vg6byms9RUipiq4SzbJKqJFlUpbuIPDpSpWz10PYmyCNeDGUUK65E5h2B83
4uxl1zNLYQCrkdBzb8oUxwYeP5a2DNxmjL5lsJML7DGr5znsevnoqGRwTm9fxCGf
y8wus7hwKz6clt3Whmmda7UAdb1c08hEQFVRbF14AR73xbnd8N0obCWJPCbzMCtk
aSef4FdEEgEXJiw0VAJT8wIDAQABo1AwTjAdBgNVHQ4EFgQUT1c7nd/SUO76HSoZ
umNUJv1R5PwwHwYDVR0jBBgwFoAUT1c7nd/SUO76HSoZumNUJv1R5PwwDAYDVR0T
BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAM+tslqBxYwqL9fdvGG6hfy69sjfX
UhBtBLWYugKKQCOWWLeq5dDWm3i5Cx2Rgiy9uc7RfmJNxQfIKlcoCNP85BjDoG1B
YnVc6znlcrT9uHgseha3987WwZsFAQbcy8TLUYHzVB8gmDgq8O08xdIe0eczatI8
t3Rg8WXO6Gs66JJ4JR+rD01o3FiSOQCRWhn19NSyDydsgPlOR2t9B9L+MkJwlsMG
Krn85TnwL3qcInzRnU8X86faXXJrI0IJi44tECKw8ftngCl6vyNwNNKPDwdkcuuV
8y3iBixO5IuKxEKEp2wGPV/4W1AXO73Z3Gb7z/1oxdgeO0hVqz1hBasTCQ==
-----END CERTIFICATE-----`;
const SDK_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2VCTd91fnUn73Xy9DLvt
/V62TVxRTEEstVdeRaZ3B3leO0pldE806mXO4RwdHXagHQ4vGeZN0yqm++rDsGK+
U3AH7kejyD2pXshNP9Cq5YwbptiLGtjcquw4HNxJQUOmDeJf2vg6byms9RUipiq4
SzbJKqJFlUpbuIPDpSpWz10PYmyCNeDGUUK65E5h2B834uxl1zNLYQCrkdBzb8oU
xwYeP5a2DNxmjL5lsJML7DGr5znsevnoqGRwTm9fxCGfy8wus7hwKz6clt3Whmmd
a7UAdb1c08hEQFVRbF14AR73xbnd8N0obCWJPCbzMCtkaSef4FdEEgEXJiw0VAJT
8wIDAQAB
-----END PUBLIC KEY-----`;
const SDK_SIGNATURE =
  'BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hAm6' +
  'pHU4ld815U4jsKu1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZUguLli/K8V29QiOh' +
  'uH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJbknXG23bSlObuTCN7Ndj1aJGH6/L+hdwf' +
  'LpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg==';

describe('v3 SHA256withRSA: wechatpay-go test vector', () => {
  it('signs "source" to the SDK\'s expected signature (PKCS#1 v1.5 is deterministic)', () => {
    expect(signSha256Rsa('source', SDK_PRIVATE_KEY)).toBe(SDK_SIGNATURE);
  });

  it('verifies it with the certificate and with the bare public key', () => {
    expect(verifySha256Rsa('source', SDK_SIGNATURE, SDK_CERTIFICATE)).toBe(true);
    expect(verifySha256Rsa('source', SDK_SIGNATURE, SDK_PUBLIC_KEY)).toBe(true);
  });

  it('rejects it for another message, an empty or non-base64 signature', () => {
    expect(verifySha256Rsa('wrong source', SDK_SIGNATURE, SDK_PUBLIC_KEY)).toBe(false);
    expect(verifySha256Rsa('', SDK_SIGNATURE, SDK_PUBLIC_KEY)).toBe(false);
    expect(verifySha256Rsa('source', '', SDK_PUBLIC_KEY)).toBe(false);
    expect(verifySha256Rsa('source', 'invalid base64 signature', SDK_PUBLIC_KEY)).toBe(false);
  });

  it('returns false rather than throwing for an unusable key', () => {
    expect(verifySha256Rsa('source', SDK_SIGNATURE, 'not a key')).toBe(false);
  });
});

describe('v3 signed message', () => {
  it('ends every part with a newline, so an empty body still ends in two', () => {
    expect(v3Message(['GET', '/v3/certificates', '1554208460', 'NONCE', ''])).toBe('GET\n/v3/certificates\n1554208460\nNONCE\n\n');
  });
});

describe('v3 Authorization header', () => {
  const params = { mchid: '1900009191', serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', nonce: 'N1', timestamp: '1554208460', signature: 'c2ln' };

  it('has the documented shape', () => {
    expect(buildAuthorization(params)).toBe(
      'WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="N1",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",signature="c2ln"',
    );
  });

  it('parses back what it builds', () => {
    expect(parseAuthorization(buildAuthorization(params))).toEqual(params);
  });

  it('parses parameters in any order and with spaces after commas', () => {
    const header = 'WECHATPAY2-SHA256-RSA2048 signature="c2ln", serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", timestamp="1554208460",nonce_str="N1",mchid="1900009191"';
    expect(parseAuthorization(header)).toEqual(params);
  });

  const bad: [string, string][] = [
    ['another scheme', 'Bearer abc'],
    ['a missing parameter', 'WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1",serial_no="s"'],
    ['a duplicated parameter', 'WECHATPAY2-SHA256-RSA2048 mchid="1",mchid="2",nonce_str="n",timestamp="1",serial_no="s",signature="x"'],
    ['an unquoted value', 'WECHATPAY2-SHA256-RSA2048 mchid=1,nonce_str="n",timestamp="1",serial_no="s",signature="x"'],
    ['trailing garbage', 'WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1",serial_no="s",signature="x" junk'],
    ['an empty value', 'WECHATPAY2-SHA256-RSA2048 mchid="",nonce_str="n",timestamp="1",serial_no="s",signature="x"'],
  ];
  for (const [what, header] of bad) {
    it(`refuses ${what}`, () => {
      expect(parseAuthorization(header)).toBeNull();
    });
  }

  it('parses any generated parameters in any order', () => {
    const value = fc.stringMatching(/^[A-Za-z0-9+/=_-]{1,20}$/);
    fc.assert(
      fc.property(fc.record({ mchid: value, serialNo: value, nonce: value, timestamp: value, signature: value }), fc.nat(), (p, seed) => {
        const parts = [`mchid="${p.mchid}"`, `nonce_str="${p.nonce}"`, `timestamp="${p.timestamp}"`, `serial_no="${p.serialNo}"`, `signature="${p.signature}"`];
        const rotated = [...parts.slice(seed % 5), ...parts.slice(0, seed % 5)];
        expect(parseAuthorization(`WECHATPAY2-SHA256-RSA2048 ${rotated.join(',')}`)).toEqual(p);
      }),
    );
  });
});

describe('v3 signature properties', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const parts = fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { minLength: 1, maxLength: 5 });

  it('verifies what it signs', () => {
    fc.assert(fc.property(parts, (p) => verifySha256Rsa(v3Message(p), signSha256Rsa(v3Message(p), privateKey), publicKey)), { numRuns: 30 });
  });

  it('fails for another key', () => {
    fc.assert(fc.property(parts, (p) => !verifySha256Rsa(v3Message(p), signSha256Rsa(v3Message(p), privateKey), other.publicKey)), { numRuns: 10 });
  });

  it('fails when any byte of the message is changed', () => {
    fc.assert(
      fc.property(parts, fc.nat(), (p, pick) => {
        const message = v3Message(p);
        const signature = signSha256Rsa(message, privateKey);
        const bytes = Buffer.from(message, 'utf8');
        const at = pick % bytes.length;
        bytes[at] = (bytes[at] ?? 0) ^ 0x20;
        const tampered = bytes.toString('utf8');
        fc.pre(tampered !== message);
        return !verifySha256Rsa(tampered, signature, publicKey);
      }),
      { numRuns: 30 },
    );
  });

  it('fails when any byte of the signature is changed', () => {
    const signature = Buffer.from(signSha256Rsa('message', privateKey), 'base64');
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (pick, flip) => {
        const copy = Buffer.from(signature);
        const at = pick % copy.length;
        copy[at] = (copy[at] ?? 0) ^ flip;
        return !verifySha256Rsa('message', copy.toString('base64'), publicKey);
      }),
      { numRuns: 50 },
    );
  });
});
