import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SandboxCredentials } from '../../../electron/sandbox/server';
import { outNo, plainCode, v2Call, type SandboxLike } from './raw-client';

const ROOT = resolve(__dirname, '../../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
const running: ChildProcess[] = [];

const CREDENTIAL_KEYS = [
  'mchid', 'appid', 'apiKeyV2', 'apiV3Key', 'merchantPrivateKeyPem', 'merchantCertSerial', 'wechatPayPublicKeyPem',
  'wechatPayPublicKeyId', 'clientCertPem', 'clientKeyPem', 'caCertPem', 'baseUrl', 'spMchid', 'spAppid', 'subMchid', 'receiverMchid',
].sort();

/** Starts the CLI and resolves with the URL from its one ready line. */
async function startCli(credentialsOut: string): Promise<{ child: ChildProcess; url: string; firstLine: string }> {
  const child = spawn(process.execPath, [TSX, 'electron/sandbox/cli.ts', '--port', '0', '--data-dir', join(dir, 'data'), '--credentials-out', credentialsOut], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  const stdout = child.stdout;
  if (!stdout) throw new Error('no stdout');
  const firstLine = await new Promise<string>((resolveLine, reject) => {
    const lines = createInterface({ input: stdout });
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`sandbox CLI exited early with ${code}`)));
  });
  const url = (JSON.parse(firstLine) as { url: string }).url;
  return { child, url, firstLine };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  return exited;
}

afterEach(async () => {
  for (const child of running.splice(0)) await stop(child);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sandbox CLI', () => {
  it('writes the credentials, prints one ready line, serves requests and stops on SIGTERM', async () => {
    const credsFile = join(dir, 'creds.json');
    const { child, url, firstLine } = await startCli(credsFile);
    expect(firstLine).toMatch(/^\{"url": "https:\/\/127\.0\.0\.1:\d+"\}$/);
    const credentials = JSON.parse(readFileSync(credsFile, 'utf8')) as SandboxCredentials;
    expect(Object.keys(credentials).sort()).toEqual(CREDENTIAL_KEYS);
    expect(credentials.baseUrl).toBe(url);
    expect(credentials.wechatPayPublicKeyId).toMatch(/^PUB_KEY_ID_/);
    expect(statSync(credsFile).mode & 0o077).toBe(0);
    const sandbox: SandboxLike = { url, credentials };
    const no = outNo();
    const paid = await v2Call(sandbox, '/pay/micropay', { body: 'b', out_trade_no: no, total_fee: 1, spbill_create_ip: '127.0.0.1', auth_code: plainCode() });
    expect(paid.fields.result_code).toBe('SUCCESS');
    expect(await stop(child)).toBe(0);

    const again = await startCli(join(dir, 'creds2.json'));
    const second = JSON.parse(readFileSync(join(dir, 'creds2.json'), 'utf8')) as SandboxCredentials;
    expect(second.mchid).toBe(credentials.mchid);
    expect(second.merchantCertSerial).toBe(credentials.merchantCertSerial);
    const q = await v2Call({ url: again.url, credentials: second }, '/pay/orderquery', { out_trade_no: no });
    expect(q.fields.trade_state).toBe('SUCCESS');
  });
});
