import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright';
import { startWebHostProcess, stopChild } from '../helpers/web-host-process';
import { benchDir, repoRoot } from './bench-env';
import { latencyRow, nowNs, type Benchmark, type BenchRow } from './stats';

// (6) Start-up. Web host: `node dist/electron/serve.mjs --sandbox` spawned → its ready line (fresh data folder
// each time: migrations, keys and the sandbox's certificates are made anew, the worst case); floor: a Node
// process that prints one line. Cashier page: navigation → the PIN field is on screen and enabled (the page
// loaded, connected its WebSocket and rendered); floor: a one-button page from a bare loopback server.

const HOST_ROUNDS = 5;
const PAGE_ROUNDS = 10;

function timeToFirstLine(args: string[]): Promise<{ ns: number; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const start = nowNs();
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] });
    const timer = setTimeout(() => reject(new Error(`no ready line in 20 s from ${args.join(' ')}`)), 20_000);
    createInterface({ input: child.stdout }).once('line', () => {
      clearTimeout(timer);
      resolve({ ns: nowNs() - start, stop: () => stopChild(child) });
    });
    child.once('error', reject);
  });
}

async function hostRows(): Promise<BenchRow[]> {
  const fresh: number[] = [];
  const warm: number[] = [];
  const floor: number[] = [];
  const kept = benchDir('startup-warm');
  const hostArgs = (dir: string): string[] => ['dist/electron/serve.mjs', '--port', '0', '--data-dir', dir, '--sandbox'];
  try {
    for (let round = 0; round < HOST_ROUNDS + 1; round++) {
      const scratch = benchDir('startup');
      try {
        const first = await timeToFirstLine(hostArgs(scratch.dir));
        await first.stop();
        const again = await timeToFirstLine(hostArgs(kept.dir));
        await again.stop();
        const bare = await timeToFirstLine(['-e', 'process.stdout.write("{}\\n")']);
        await bare.stop();
        if (round > 0) {
          fresh.push(first.ns);
          warm.push(again.ns);
          floor.push(bare.ns);
        }
      } finally {
        scratch.dispose();
      }
    }
  } finally {
    kept.dispose();
  }
  const target = '< 1.5 s';
  const first = latencyRow({ id: '6.host-ready-first', name: 'web host start → ready line, first run (new data folder)', target }, fresh, 'node prints a line', floor);
  const again = latencyRow({ id: '6.host-ready', name: 'web host start → ready line, existing data folder', target }, warm, 'node prints a line', floor);
  return [{ ...again, met: again.p99 < 1500 }, { ...first, met: first.p99 < 1500 }];
}

async function pageRows(): Promise<BenchRow[]> {
  const host = await startWebHostProcess(['--sandbox']);
  const floorServer = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><html><body><button class="ready">OK</button></body></html>');
  });
  await new Promise<void>((resolve) => floorServer.listen(0, '127.0.0.1', resolve));
  const floorUrl = `http://127.0.0.1:${(floorServer.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const timePage = async (url: string, selector: string): Promise<number> => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const start = nowNs();
      await page.goto(url);
      await page.locator(selector).waitFor({ state: 'visible', timeout: 15_000 });
      await page.waitForFunction((s: string) => document.querySelector<HTMLInputElement>(s)?.disabled !== true, selector);
      const ns = nowNs() - start;
      await context.close();
      return ns;
    };
    const ours: number[] = [];
    const floor: number[] = [];
    for (let round = 0; round < PAGE_ROUNDS + 2; round++) {
      const o = await timePage(host.urls.cashier, '.pin-field');
      const f = await timePage(floorUrl, '.ready');
      if (round >= 2) {
        ours.push(o);
        floor.push(f);
      }
    }
    const row = latencyRow({ id: '6.page-interactive', name: 'cashier page → PIN field usable (Chromium)', target: '< 1.5 s' }, ours, 'one-button page', floor);
    return [{ ...row, met: row.p99 < 1500 }];
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => floorServer.close(() => resolve()));
    await host.stop();
  }
}

export const benchmark: Benchmark = {
  id: 'startup',
  title: '(6) Start-up: web host to ready line, cashier page to interactive',
  async run() {
    execFileSync(process.execPath, [join('scripts', 'build.mjs'), '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
    return [...(await hostRows()), ...(await pageRows())];
  },
};
