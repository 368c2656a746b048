import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Sandbox } from '../../electron/sandbox/server';
import type { AcceleratedClockParams } from './accelerated-clock';
import { AdminClient } from './hub-harness';
import type { HubChildConfig } from './hub-child';
import type { HubCounterChildConfig } from './hub-counter-child';
import { bundleChild, createChildPool, killGroup, type ChildPool, type KillableChild } from './killable-child';

/**
 * The processes of the hub crash and outage tests: the hub (test/helpers/hub-child.ts) and counters
 * (test/helpers/hub-counter-child.ts), each bundled once and started in its own process group, so a SIGKILL takes
 * it whole; plus the QR customers who pay codes at the sandbox whether or not a counter is up.
 */
export const ROOT = join(import.meta.dirname, '../..');

export interface Rig {
  children: ChildPool;
  /** Starts the hub on the rig's port; resolves with its ready line once it listens. */
  startHub(): Promise<{ child: KillableChild; url: string; admin: string | null }>;
  startCounter(config: Omit<HubCounterChildConfig, 'credentials' | 'clock'>): KillableChild;
  /** SIGKILL and wait until the process is gone. */
  kill(child: KillableChild): Promise<void>;
  port: number;
}

let spawned = 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function createRig(options: {
  dir: string;
  bundleDir: string;
  sandbox: Sandbox;
  clock: AcceleratedClockParams;
  hubDataDir: string;
  databaseUrl?: string;
}): Promise<Rig> {
  const hubBundle = join(options.bundleDir, `hub-${process.pid}.mjs`);
  const counterBundle = join(options.bundleDir, `counter-${process.pid}.mjs`);
  await bundleChild(join(ROOT, 'test/helpers/hub-child.ts'), hubBundle);
  await bundleChild(join(ROOT, 'test/helpers/hub-counter-child.ts'), counterBundle);
  const children = createChildPool(options.dir, ROOT);
  const port = await freePort();
  return {
    children,
    port,
    async startHub() {
      const config: HubChildConfig = { dataDir: options.hubDataDir, port, databaseUrl: options.databaseUrl, clock: options.clock };
      const child = children.spawn(process.execPath, [hubBundle], config, spawned++);
      const line = new Promise<string>((resolve) => {
        let out = '';
        child.child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          const at = out.indexOf('\n');
          if (at >= 0) resolve(out.slice(0, at));
        });
      });
      const first = await Promise.race([line, child.exited.then((code) => `exit ${code}`)]);
      if (!first.startsWith('ready ')) throw new Error(`hub did not start (${first}): ${child.stderr()}`);
      const ready = JSON.parse(first.slice('ready '.length)) as { url: string; admin: string | null };
      return { child, ...ready };
    },
    startCounter(config) {
      const full: HubCounterChildConfig = { ...config, credentials: options.sandbox.credentials, clock: options.clock };
      return children.spawn(process.execPath, [counterBundle], full, spawned++);
    },
    async kill(child) {
      if (child.child.pid !== undefined && child.child.exitCode === null) killGroup(child.child.pid);
      await child.exited;
    },
  };
}

/** Sets the hub up (owner, first store) and makes one pairing code per counter. */
export async function setUpHub(url: string, admin: string | null, counters: number): Promise<string[]> {
  const client = new AdminClient(url);
  const store = await client.setUp(admin);
  const codes: string[] = [];
  for (let i = 0; i < counters; i++) codes.push(await client.pairingCode(store.storeId));
  return codes;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** QR customers: each QR the sandbox shows is paid (at once or seconds later) or left, decided once per QR. */
export function startQrCustomers(sandbox: Sandbox, random: () => number): () => Promise<void> {
  let running = true;
  const decided = new Set<string>();
  const loop = (async () => {
    while (running) {
      await sleep(150 + Math.floor(random() * 350));
      for (const order of sandbox.listOrders()) {
        if (order.tradeType !== 'NATIVE' || order.tradeState !== 'NOTPAY' || !order.codeUrl || decided.has(order.outTradeNo)) continue;
        decided.add(order.outTradeNo);
        if (random() < 0.6) sandbox.customerPay(order.codeUrl, { delayMs: Math.floor(random() * 5_000) });
      }
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}
