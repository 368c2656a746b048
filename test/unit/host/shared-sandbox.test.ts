import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSharedSandbox, SharedSandboxError } from '../../../electron/wiring/shared-sandbox';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shared-sandbox-'));
  dirs.push(dir);
  return dir;
}

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const SECRET_KEY = 'k'.repeat(32);
const written = { mchid: '1900000109', appid: 'wx0123456789abcdef', apiKeyV2: SECRET_KEY, apiV3Key: SECRET_KEY, caCertPem: CA, baseUrl: 'https://127.0.0.1:8443/', subMchid: '1900000110' };

function write(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('a sandbox shared by the store\'s counters, named by its credentials file', () => {
  it('reads the merchant, the URL and the CA the sandbox wrote; a given URL and CA file win over the file\'s', () => {
    const dir = folder();
    const file = write(dir, 'creds.json', JSON.stringify(written));
    const shared = readSharedSandbox({ credentialsFile: file });
    expect(shared).toMatchObject({ baseUrl: 'https://127.0.0.1:8443', subMchid: '1900000110', credentials: { mchid: '1900000109', apiV3Key: SECRET_KEY, caCertPem: CA } });
    const otherCa = CA.replace('MIIB', 'MIIC');
    const given = readSharedSandbox({ credentialsFile: file, caFile: write(dir, 'ca.pem', otherCa), baseUrl: 'https://10.0.0.2:9443' });
    expect(given.baseUrl).toBe('https://10.0.0.2:9443');
    expect(given.credentials.caCertPem).toBe(otherCa);
  });

  it('refuses a missing, non-JSON or incomplete file, a CA that is no certificate and a missing URL, naming fields but never a key', () => {
    const dir = folder();
    const refusal = (options: Parameters<typeof readSharedSandbox>[0]): string => {
      try {
        readSharedSandbox(options);
      } catch (error) {
        expect(error).toBeInstanceOf(SharedSandboxError);
        return (error as Error).message;
      }
      return 'not refused';
    };
    expect(refusal({ credentialsFile: join(dir, 'none.json') })).toMatch(/cannot be read \(ENOENT\)/);
    expect(refusal({ credentialsFile: write(dir, 'bad.json', '{mchid') })).toMatch(/is not JSON/);
    const noMchid = refusal({ credentialsFile: write(dir, 'part.json', JSON.stringify({ ...written, mchid: 'abc' })) });
    expect(noMchid).toMatch(/unusable fields: mchid/);
    expect(noMchid).not.toContain(SECRET_KEY);
    expect(refusal({ credentialsFile: write(dir, 'ok.json', JSON.stringify(written)), caFile: write(dir, 'ca.txt', 'not a certificate') })).toMatch(/not a PEM certificate/);
    const { baseUrl: _url, ...withoutUrl } = written;
    expect(refusal({ credentialsFile: write(dir, 'nourl.json', JSON.stringify(withoutUrl)) })).toMatch(/needs its URL/);
  });
});
