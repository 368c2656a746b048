/**
 * `npm start` as a person runs it on a machine where the Electron binary cannot be downloaded (issue 18, items 13
 * and 14): one clean line says the web host stands in, the start-up message names the sandbox's page and its CA
 * file, and SIGTERM to npm stops everything the script started. Needs a built app (`npm run build`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every live process below `root` (from /proc: pid → parent pid). */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parentOf) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('npm start without an Electron binary', () => {
  it('says so in one line, names the sandbox page and its CA file, and SIGTERM to npm stops the web host too', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-npm-start-'));
    const env = { ...process.env };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    // Wherever the test runs, Electron's download fails as it does on a machine without access to its host.
    env.ELECTRON_MIRROR = 'http://127.0.0.1:9/';
    const npm = spawn('npm', ['start', '--', '--port', '0', '--data-dir', dataDir, '--sandbox'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    npm.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    try {
      await expect.poll(() => out, { timeout: 90_000, interval: 200 }).toMatch(/微信支付沙箱 \/ WeChat Pay sandbox: .*\n.*\n/);

      expect(out.split('\n').filter((line) => line.includes('Electron'))).toEqual([
        '未能获得 Electron 程序（无法下载），改为以网页主机方式启动同一应用 / Electron binary unavailable: starting the same app on the web host',
      ]);
      expect(`${out}${err}`).not.toMatch(/Downloading Electron|fetch failed|^\s+at /m);
      expect(out).toMatch(/经理 \/ manager: +http:\/\/127\.0\.0\.1:\d+\/manager\?token=/);
      const sandboxUrl = /WeChat Pay sandbox: (https:\/\/127\.0\.0\.1:\d+\/sandbox\/)/.exec(out)?.[1];
      expect(sandboxUrl).toBeDefined();
      const caFile = /its own CA: (\S+?)）/.exec(out)?.[1] ?? '';
      expect(caFile).toBe(join(dataDir, 'sandbox', 'ca.pem'));
      expect(readFileSync(caFile, 'utf8')).toContain('-----BEGIN CERTIFICATE-----');

      const started = descendants(npm.pid ?? -1);
      expect(started.length).toBeGreaterThanOrEqual(2); // the start script and the web host (and npm's shell)
      const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
      npm.kill('SIGTERM');
      await exited;
      await expect.poll(() => started.filter(alive), { timeout: 15_000, interval: 200, message: 'processes npm start left running' }).toEqual([]);
    } finally {
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
