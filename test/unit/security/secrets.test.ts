import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSafeStorageCipher, type SafeStorageLike } from '../../../electron/adapters/safe-storage';
import { CipherUnavailableError } from '../../../electron/security/cipher';
import { SecurityError } from '../../../electron/security/errors';
import { keyFileMode, openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { SecretStore } from '../../../electron/security/secret-store';
import { validateSecret } from '../../../electron/security/secret-validation';
import { MemoryLogger } from '../../../shared/log';
import { SECRET_FIELDS } from '../../../shared/security';
import { describeHits, scanBuffer, scanText, type KnownSecret } from '../../helpers/leak-scan';
import { makeHarness, makeTestCredentials, tempDir, withStaff, type TestCredentials } from './fixture';

let creds: TestCredentials;
beforeAll(() => {
  creds = makeTestCredentials();
});

const secretsOf = (c: TestCredentials): KnownSecret[] => [
  { name: 'apiKeyV2', value: c.apiKeyV2 },
  { name: 'apiV3Key', value: c.apiV3Key },
  { name: 'merchantPrivateKeyPem', value: c.privateKeyPem },
];

function fillAll(h: ReturnType<typeof makeHarness>, c: TestCredentials): void {
  const { approve, managerId } = withStaff(h);
  const actor = { id: managerId, name: '王店长' };
  const put = (input: Parameters<typeof h.security.secrets.replace>[0]): void => {
    h.security.secrets.replace(input, approve('settings-change', '135792'), actor);
  };
  put({ field: 'apiKeyV2', value: c.apiKeyV2 });
  put({ field: 'apiV3Key', value: c.apiV3Key });
  put({ field: 'merchantPrivateKeyPem', value: c.privateKeyPem });
  put({ field: 'merchantCertSerial', value: c.serial.toLowerCase() });
  put({ field: 'wechatPayPublicKeyPem', value: c.wechatPayPublicKeyPem });
  put({ field: 'wechatPayPublicKeyId', value: 'PUB_KEY_ID_0119000001092026050100001234' });
  put({ field: 'clientPkcs12', pkcs12Base64: c.p12Base64, password: c.p12Password });
}

describe('the key-file cipher (web host)', () => {
  it('round-trips secrets and seals them with authentication', () => {
    const dir = tempDir();
    const cipher = openKeyFileCipher(join(dir, 'secret.key'), { logger: new MemoryLogger() });
    const sealed = cipher.encrypt(Buffer.from('p@ss-字-🔑'));
    expect(cipher.decrypt(sealed).toString()).toBe('p@ss-字-🔑');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    expect(() => cipher.decrypt(tampered)).toThrow();
    expect(openKeyFileCipher(join(dir, 'secret.key'), { logger: new MemoryLogger() }).decrypt(sealed).toString()).toBe('p@ss-字-🔑');
  });

  it('creates the key file readable by its owner only (0600), and says it is weaker than a keychain', () => {
    const dir = tempDir();
    const file = join(dir, 'secret.key');
    const cipher = openKeyFileCipher(file, { logger: new MemoryLogger() });
    expect(keyFileMode(file)).toBe(0o600);
    expect(cipher.describe()).toMatch(/0600/);
    expect(cipher.describe()).toMatch(/weaker/);
  });

  it('repairs a key file that others could read, and logs that it did', () => {
    const dir = tempDir();
    const file = join(dir, 'secret.key');
    openKeyFileCipher(file, { logger: new MemoryLogger() });
    chmodSync(file, 0o644);
    const logger = new MemoryLogger();
    openKeyFileCipher(file, { logger });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logger.text()).toMatch(/repaired to 0600/);
  });

  it('refuses a damaged key file instead of making a new key silently', () => {
    const dir = tempDir();
    const file = join(dir, 'secret.key');
    writeFileSync(file, 'not a key\n', { mode: 0o600 });
    expect(() => openKeyFileCipher(file, { logger: new MemoryLogger() })).toThrow(CipherUnavailableError);
  });
});

describe('the safeStorage cipher (Electron)', () => {
  const fake = (backend: ReturnType<SafeStorageLike['getSelectedStorageBackend']>, available = true): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => Buffer.from(`enc:${[...text].reverse().join('')}`),
    decryptString: (buf) => [...buf.toString().slice(4)].reverse().join(''),
  });

  it('round-trips bytes through the OS keychain', () => {
    const cipher = createSafeStorageCipher(fake('gnome_libsecret'), 'linux');
    const plain = Buffer.from([0, 1, 2, 255, 254]);
    expect(cipher.decrypt(cipher.encrypt(plain))).toEqual(plain);
    expect(cipher.describe()).toMatch(/gnome_libsecret/);
  });

  it('refuses Linux’s plain-text fallback, explaining what to install', () => {
    const error = (() => {
      try {
        createSafeStorageCipher(fake('basic_text'), 'linux');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CipherUnavailableError);
    expect((error as CipherUnavailableError).reason.zh).toMatch(/basic_text.*GNOME Keyring/);
  });

  it('refuses when the OS offers no encryption', () => {
    expect(() => createSafeStorageCipher(fake('unknown', false), 'win32')).toThrow(CipherUnavailableError);
  });
});

describe('validating credentials', () => {
  const now = Date.UTC(2026, 4, 1);
  const rejects = (input: Parameters<typeof validateSecret>[0], pattern: RegExp): void => {
    let error: unknown = null;
    try {
      validateSecret(input, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecurityError);
    expect((error as SecurityError).reason.en).toMatch(pattern);
    if ('value' in input && input.value.length > 8) expect((error as SecurityError).message).not.toContain(input.value.trim().slice(0, 12));
  };

  it('wants an RSA 2048 private key, unencrypted', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    rejects({ field: 'merchantPrivateKeyPem', value: small }, /RSA 2048/);
    rejects({ field: 'merchantPrivateKeyPem', value: '-----BEGIN ENCRYPTED PRIVATE KEY-----\nabc\n-----END ENCRYPTED PRIVATE KEY-----' }, /password-protected/);
    rejects({ field: 'merchantPrivateKeyPem', value: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC' }, /not a readable PEM/);
  });

  it('normalises a PKCS#1 key to PKCS#8 and summarises it by public-key fingerprint only', () => {
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const [out] = validateSecret({ field: 'merchantPrivateKeyPem', value: pkcs1 }, now);
    expect(out?.value).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(out?.summary.zh).toMatch(/^已设置 · RSA 2048 · 指纹 ([0-9a-f]{2}:){7}[0-9a-f]{2}$/);
  });

  it('wants 32-byte API keys and tidy ids', () => {
    rejects({ field: 'apiV3Key', value: 'a'.repeat(31) }, /32 bytes/);
    rejects({ field: 'apiV3Key', value: '密'.repeat(11) }, /32 bytes/);
    rejects({ field: 'apiKeyV2', value: 'a'.repeat(33) }, /32 letters/);
    rejects({ field: 'merchantCertSerial', value: 'XYZ' }, /hex/);
    rejects({ field: 'wechatPayPublicKeyId', value: 'KEY_1' }, /PUB_KEY_ID_/);
    expect(validateSecret({ field: 'merchantCertSerial', value: '5a:0b:1c:2d:3e:4f' }, now)[0]?.value).toBe('5A0B1C2D3E4F');
  });

  it('reads the v2 client certificate from a .p12 and refuses a wrong password', () => {
    const out = validateSecret({ field: 'clientPkcs12', pkcs12Base64: creds.p12Base64, password: creds.p12Password }, now);
    expect(out.map((s) => s.field)).toEqual(['clientCertPem', 'clientKeyPem']);
    expect(out[0]?.facts.serial).toBe(creds.serial);
    expect(out[0]?.facts.publicKeySha256).toBe(out[1]?.facts.publicKeySha256);
    rejects({ field: 'clientPkcs12', pkcs12Base64: creds.p12Base64, password: 'wrong' }, /Wrong PKCS#12 password/);
    rejects({ field: 'clientPkcs12', pkcs12Base64: 'bm90IGEgcDEy', password: 'x' }, /Not a valid PKCS#12/);
  });

  it('reads a legacy .p12 as WeChat Pay issues it (RC2-40 certificate bag, 3DES key), which Node alone cannot', () => {
    // Made with `openssl pkcs12 -export -legacy` from a throwaway key; password is the mchid, as on real ones.
    // (Node 20's tls.createSecureContext({ pfx }) answers "Unsupported PKCS12 PFX data" for this file.)
    const p12 = readFileSync(join(import.meta.dirname, 'fixtures', 'wechat-legacy-rc2.p12.b64'), 'utf8').replace(/\s/g, '');
    const [cert, key] = validateSecret({ field: 'clientPkcs12', pkcs12Base64: p12, password: '1900000109' }, now);
    expect(cert?.facts.serial).toBe('5EEC60B69B2B6179B41310C9A84254635BEF80E6');
    expect(cert?.facts.publicKeySha256).toBe(key?.facts.publicKeySha256);
  });

  it('refuses an expired certificate', () => {
    expect(() => validateSecret({ field: 'clientCertPem', value: creds.certPem }, Date.UTC(2032, 0, 1))).toThrow(/已于 2031-\d\d-\d\d 过期/);
  });
});

describe('the secret store', () => {
  it('round-trips every credential through the cipher and hands them to the WeChat client only', () => {
    const h = makeHarness();
    fillAll(h, creds);
    const c = h.security.secrets.credentials({ mchid: '1900000109', appid: 'wx1234567890abcdef', v2SignType: 'HMAC-SHA256' });
    expect(c).toMatchObject({ mchid: '1900000109', apiKeyV2: creds.apiKeyV2, apiV3Key: creds.apiV3Key, merchantCertSerial: creds.serial });
    expect(c.merchantPrivateKeyPem?.replace(/\s/g, '')).toBe(creds.privateKeyPem.replace(/\s/g, ''));
    expect(c.clientCertPem).toMatch(/BEGIN CERTIFICATE/);
    expect(c.clientKeyPem).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('describes the credentials without ever containing them', () => {
    const h = makeHarness();
    fillAll(h, creds);
    const status = h.security.secrets.describe();
    expect(status.fields.filter((f) => f.state === 'set').map((f) => f.field).sort()).toEqual(SECRET_FIELDS.filter((f) => f !== 'platformCertificates').sort());
    expect(status.fields.find((f) => f.field === 'merchantCertSerial')?.summary.zh).toBe(`已设置 · 序列号 …${creds.serial.slice(-4)}`);
    expect(status.fields.find((f) => f.field === 'apiV3Key')?.summary).toEqual({ zh: '已设置', en: 'set' });
    expect(status.warnings).toEqual([]);
    const text = JSON.stringify(status);
    const hits = scanText(text, 'describe()', secretsOf(creds));
    expect(hits, describeHits(hits)).toEqual([]);
    for (const secret of secretsOf(creds)) expect(text).not.toContain(secret.value.slice(-8));
  });

  it('keeps no credential in clear in the database file', () => {
    const dir = tempDir();
    const h = makeHarness({ dbFile: join(dir, 'pos.sqlite'), dataDir: dir });
    fillAll(h, creds);
    h.db.pragma('wal_checkpoint(TRUNCATE)');
    const hits = scanBuffer(readFileSync(join(dir, 'pos.sqlite')), 'pos.sqlite', secretsOf(creds));
    expect(hits, describeHits(hits)).toEqual([]);
    h.db.close();
  });

  it('warns when the merchant key and the API certificate do not belong together', () => {
    const h = makeHarness();
    fillAll(h, creds);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const token = h.security.approvals.approve({ action: 'settings-change', pin: '135792' }).token;
    const status = h.security.secrets.replace({ field: 'merchantPrivateKeyPem', value: stranger }, token, { id: 'm', name: 'm' });
    expect(status.warnings.map((w) => w.en)).toEqual(['The merchant private key does not match the merchant API certificate']);
  });

  it('audit-logs a replaced secret by field and masked summary only', () => {
    const h = makeHarness();
    fillAll(h, creds);
    const entries = h.security.audit.list(null, 100).filter((e) => e.action === 'secret.replaced');
    expect(entries.map((e) => e.details.field)).toContain('apiV3Key');
    const hits = scanText(JSON.stringify(h.security.audit.list(null, 100)), 'audit', secretsOf(creds));
    expect(hits, describeHits(hits)).toEqual([]);
  });

  it('marks values it can no longer decrypt (key file lost) as unreadable instead of failing', () => {
    const dir = tempDir();
    const h = makeHarness({ dataDir: dir });
    fillAll(h, creds);
    const other = makeHarness({ dataDir: tempDir() });
    const moved = new SecretStore({
      db: h.db,
      clock: h.clock,
      audit: h.security.audit,
      approvals: h.security.approvals,
      cipher: openKeyFileCipher(join(other.dataDir, 'secret.key'), { logger: new MemoryLogger() }),
      logger: h.logger,
    });
    expect(moved.describe().fields.find((f) => f.field === 'apiV3Key')?.state).toBe('unreadable');
    expect(moved.credentials({ mchid: '1', appid: '' }).apiV3Key).toBeUndefined();
  });

  it('refuses a ciphertext moved onto another field', () => {
    const h = makeHarness();
    fillAll(h, creds);
    h.db.prepare("UPDATE secrets SET ciphertext = (SELECT ciphertext FROM secrets WHERE field = 'apiKeyV2') WHERE field = 'apiV3Key'").run();
    expect(h.security.secrets.describe().fields.find((f) => f.field === 'apiV3Key')?.state).toBe('unreadable');
  });

  it('refuses to store anything where no real encryption is available, and says why', () => {
    const reason = { zh: '没有密钥环', en: 'no keyring' };
    const h = makeHarness({ cipher: new CipherUnavailableError(reason) });
    const { approve, managerId } = withStaff(h);
    expect(h.security.secrets.describe()).toMatchObject({ available: false, problem: reason });
    expect(() => h.security.secrets.replace({ field: 'apiV3Key', value: creds.apiV3Key }, approve('settings-change'), { id: managerId, name: 'm' })).toThrow(
      expect.objectContaining({ code: 'SECRETS_UNAVAILABLE' }),
    );
  });

  it('clears a field with an approval', () => {
    const h = makeHarness();
    fillAll(h, creds);
    const { approve } = { approve: (pin: string) => h.security.approvals.approve({ action: 'settings-change', pin }).token };
    const status = h.security.secrets.clear('apiKeyV2', approve('135792'), { id: 'm', name: 'm' });
    expect(status.fields.find((f) => f.field === 'apiKeyV2')?.state).toBe('unset');
  });
});
