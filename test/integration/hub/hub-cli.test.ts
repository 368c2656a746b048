import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS } from '../../../shared/hub-admin-api';
import { AdminClient } from '../../helpers/hub-harness';

const dataDir = mkdtempSync(join(tmpdir(), 'hub-cli-'));
const live = new Set<ChildProcess>();
afterAll(() => {
  for (const child of live) if (child.pid) process.kill(-child.pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  ready: { url: string; admin: string | null };
  exited: Promise<number | null>;
  stderr: () => string;
}

/** `npm run hub` as an operator starts it, in its own process group (npm → tsx → node). */
async function startHubProcess(): Promise<Started> {
  const child = spawn('npm', ['run', '-s', 'hub', '--', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { live.delete(child); resolve(code); }));
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out);
    });
    void exited.then((code) => reject(new Error(`hub exited (${code}) before its ready line: ${err}`)));
  });
  return { child, ready: JSON.parse(line) as Started['ready'], exited, stderr: () => err };
}

describe('npm run hub', () => {
  it('prints one ready line with the setup link, stops on SIGTERM, and prints no setup link once set up', async () => {
    const first = await startHubProcess();
    expect(Object.keys(first.ready)).toEqual(['url', 'admin']);
    expect(first.ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.ready.admin).toMatch(new RegExp(`^${first.ready.url}/setup\\?token=[A-Za-z0-9_-]{43}$`));
    const page = await fetch(first.ready.admin ?? '');
    expect(await page.text()).toContain('总部后台设置');
    await new AdminClient(first.ready.url).setUp(first.ready.admin);
    process.kill(-(first.child.pid ?? 0), 'SIGTERM');
    await first.exited;
    // The hub itself (under npm and tsx) closed its server and database.
    expect(first.stderr()).toContain('"message":"hub: stopping","signal":"SIGTERM"');

    const second = await startHubProcess();
    expect(second.ready.admin).toBeNull();
    const state = await new AdminClient(second.ready.url).request<{ setUp: boolean }>('GET', HUB_ADMIN_PATHS.state);
    expect(state.body.setUp).toBe(true);
    process.kill(-(second.child.pid ?? 0), 'SIGTERM');
    await second.exited;
  });
});
