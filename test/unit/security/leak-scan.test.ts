import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactSecrets, scanBuffer, scanForSecretShapes, scanPaths, scanText, type KnownSecret } from '../../helpers/leak-scan';
import { tempDir } from './fixture';

const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const secrets: KnownSecret[] = [
  { name: 'apiV3Key', value: 'Zq8mN3pR7tV1xY5bC9dF2gH6jK4lM0nP' },
  { name: 'authCode', value: '134567890123456789' },
  { name: 'openid', value: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  { name: 'privateKey', value: pem },
];

describe('the leak scanner', () => {
  it('finds a secret as is, JSON-escaped, base64- or hex-encoded', () => {
    expect(scanText(`key=${secrets[0]?.value}`, 'a', secrets)).toEqual([{ secret: 'apiV3Key', form: 'raw', where: 'a', offset: 4 }]);
    expect(scanText(JSON.stringify({ pem }), 'b', secrets).map((h) => h.form)).toContain('json-escaped');
    expect(scanText(Buffer.from('134567890123456789').toString('base64'), 'c', secrets)[0]?.form).toBe('base64');
    expect(scanText(Buffer.from('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o').toString('hex'), 'd', secrets)[0]?.form).toBe('hex');
  });

  it('finds a private key reflowed onto one line, or one line of it alone', () => {
    const body = pem.split('\n').filter((l) => !l.startsWith('-----'));
    expect(scanText(body.join(''), 'e', secrets).map((h) => h.form)).toContain('pem-body');
    expect(scanText(`...${body[3] ?? ''}...`, 'f', secrets)).toEqual([expect.objectContaining({ secret: 'privateKey', form: 'pem-line' })]);
  });

  it('finds secrets inside binary files, as UTF-8 and UTF-16', () => {
    const data = Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('x134567890123456789', 'utf16le')]);
    expect(scanBuffer(data, 'dump', secrets).map((h) => h.form)).toEqual(['raw/utf16']);
  });

  it('walks folders and reports file and offset, never the value', () => {
    const dir = tempDir('leak-');
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'app.log'), '{"msg":"paid","openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}\n');
    writeFileSync(join(dir, 'clean.txt'), 'openid oUpF***eS6o, code 1345**********6789');
    const hits = scanPaths([dir], secrets);
    expect(hits).toEqual([{ secret: 'openid', form: 'raw', where: join(dir, 'logs', 'app.log'), offset: 24 }]);
    expect(JSON.stringify(hits)).not.toContain('oUpF8uMu');
  });

  it('spots unknown private keys and payment codes by their shape', () => {
    expect(scanForSecretShapes('-----BEGIN RSA PRIVATE KEY-----', 'x')[0]?.form).toBe('private-key-pem');
    expect(scanForSecretShapes('code=104567890123456789;', 'x')[0]?.form).toBe('payment-code');
    expect(scanForSecretShapes('transaction 4200001234567890123456789012', 'x')).toEqual([]);
  });

  it('redacts every form of every secret', () => {
    const text = `a ${secrets[0]?.value} b ${secrets[1]?.value} c ${JSON.stringify(pem)}`;
    const clean = redactSecrets(text, secrets);
    expect(scanText(clean, 'clean', secrets)).toEqual([]);
    expect(clean.startsWith('a *** b *** c')).toBe(true);
  });
});
