import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubDatabase } from '../../../electron/hub/db/database';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { acceleratedClock, type AcceleratedClockParams } from '../../helpers/accelerated-clock';
import { createRig, ROOT, setUpHub, startQrCustomers, type Rig } from '../../helpers/hub-crash-rig';
import { hubInvariantViolations } from '../../helpers/hub-invariants';
import type { KillableChild } from '../../helpers/killable-child';
import { openPaymentsDb, seededRandom, T0 } from '../../helpers/payments-harness';
import { freshPostgresDatabase } from '../../helpers/postgres-database';

/**
 * Issue 13, "Done when": the hub crash test. Two counters (test/helpers/hub-counter-child.ts: the real payment
 * service and worker against the sandbox over HTTPS, cash, micropay and QR sales, voids and refunds, and the real
 * hub link pushing the facts its triggers write) enrolled with a hub on PostgreSQL running as its own process
 * (test/helpers/hub-child.ts: startHub, what `npm run hub` runs); the test SIGKILLs a counter or the hub at random
 * moments (HUB_KILLS, default 30) and restarts it after a random pause. After the last restart and a drain (each
 * counter's facts all acknowledged): every sale of every counter is at the hub exactly once with the same amounts
 * and tenders, every fact at the hub is the counter's byte for byte and none is extra, every terminal's numbers are
 * gapless 1..n with the high-water at n, and no gap or conflict alert was raised (test/helpers/hub-invariants.ts).
 * HUB_CRASH_SEED changes the stream; HUB_CRASH_DEBUG=1 prints each kill and the counts; HUB_COUNTER_LOG=<file>
 * makes the counters write their sales and link status there.
 */
const KILLS = Number(process.env.HUB_KILLS ?? 30);
const SEED = Number(process.env.HUB_CRASH_SEED ?? 1313);
const DEBUG = Boolean(process.env.HUB_CRASH_DEBUG);
const BUNDLE_DIR = join(ROOT, 'node_modules/.cache/pos-hub-crash');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let dir: string;
let sandbox: Sandbox;
let rig: Rig;
const clockParams: AcceleratedClockParams = { baseEpoch: T0, startReal: Date.now(), speed: 5 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pos-hub-crash-'));
  sandbox = await startSandbox({ clock: acceleratedClock(clockParams) });
});

afterAll(async () => {
  rig?.children.killAll();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
});

describe('hub crash test (issue 13)', () => {
  it(`${KILLS} SIGKILLs of two selling counters and the hub (PostgreSQL): after the drain every sale and fact is at the hub exactly once, gapless`, async () => {
    const databaseUrl = await freshPostgresDatabase();
    rig = await createRig({ dir, bundleDir: BUNDLE_DIR, sandbox, clock: clockParams, hubDataDir: join(dir, 'hub'), databaseUrl });
    const random = seededRandom(SEED);
    const started = Date.now();
    let hub = await rig.startHub();
    const codes = await setUpHub(hub.url, hub.admin, 2);
    const names = ['A', 'B'] as const;
    const counterBase = (i: number) => ({ name: `${names[i]}号收银台`, dbFile: join(dir, `counter-${names[i]}.sqlite`), keyFile: join(dir, `counter-${names[i]}.key`) });
    for (let i = 0; i < 2; i++) {
      const enrol = rig.startCounter({ ...counterBase(i), seed: 0, mode: 'enrol', hubUrl: hub.url, pairingCode: codes[i] });
      expect(await enrol.exited, enrol.stderr()).toBe(0);
    }
    let runs = 0;
    const startRun = async (i: number): Promise<KillableChild> => {
      const child = rig.startCounter({ ...counterBase(i), seed: SEED * 100 + ++runs, mode: 'run' });
      await Promise.race([child.ready, child.exited]);
      if (child.child.exitCode !== null) throw new Error(`counter ${names[i]} failed: ${child.stderr()}`);
      return child;
    };
    const counters = [await startRun(0), await startRun(1)];
    const stopCustomers = startQrCustomers(sandbox, seededRandom(SEED + 1));
    const kills = { hub: 0, A: 0, B: 0 };
    for (let k = 0; k < KILLS; k++) {
      await sleep(400 + Math.floor(random() * 1_600));
      const victim = Math.floor(random() * 3);
      const downMs = Math.floor(random() * 1_200);
      for (const [i, c] of counters.entries()) {
        if (c.child.exitCode !== null) throw new Error(`counter ${names[i]} exited on its own (${c.child.exitCode}): ${c.stderr()}`);
      }
      if (victim === 2) {
        await rig.kill(hub.child);
        kills.hub += 1;
        await sleep(downMs);
        hub = await rig.startHub();
      } else {
        await rig.kill(counters[victim]!);
        kills[names[victim]!] += 1;
        await sleep(downMs);
        counters[victim] = await startRun(victim);
      }
      if (DEBUG) console.info(`kill ${k + 1}: ${victim === 2 ? 'hub' : names[victim]} down ${downMs} ms`);
    }
    await stopCustomers();
    for (const c of counters) await rig.kill(c);
    const drains = [0, 1].map((i) => rig.startCounter({ ...counterBase(i), seed: 9_999 + i, mode: 'drain' }));
    for (const [i, d] of drains.entries()) {
      const code = await Promise.race([d.exited, sleep(90_000).then(() => 'timeout' as const)]);
      expect(code, `drain ${names[i]}: ${d.stderr()}`).toBe(0);
    }
    await rig.kill(hub.child);

    const hubDb = await openHubDatabase({ engine: 'postgres', url: databaseUrl });
    const dbs = [0, 1].map((i) => openPaymentsDb(counterBase(i).dbFile));
    try {
      const report = await hubInvariantViolations(hubDb.db, dbs.map((db, i) => ({ name: names[i]!, db })));
      if (DEBUG) console.info({ kills, counts: report.counts, seconds: Math.round((Date.now() - started) / 1000) });
      expect(report.violations).toEqual([]);
      // The stream really exercised everything: kills of each process, sales of each kind at the hub.
      expect(kills.hub + kills.A + kills.B).toBe(KILLS);
      if (KILLS >= 30) expect(Math.min(kills.hub, kills.A, kills.B)).toBeGreaterThan(3);
      for (const db of dbs) {
        const kinds = db.prepare("SELECT DISTINCT kind FROM tenders WHERE state = 'paid' ORDER BY kind").all() as { kind: string }[];
        expect(kinds.map((k) => k.kind)).toEqual(['cash', 'wechat-code', 'wechat-qr']);
      }
    } finally {
      for (const db of dbs) db.close();
      await hubDb.close();
    }
  }, 300_000);
});
