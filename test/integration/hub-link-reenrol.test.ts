import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getFactHead } from '../../electron/db/facts';
import { stopHubLink } from '../../electron/db/hub-link';
import type { HubLink } from '../../electron/hub-link/link';
import { HUB_ADMIN_PATHS, type AlertView } from '../../shared/hub-admin-api';
import { writeCashSale, writeRealisticDay } from '../helpers/fact-day';
import { HUB_ENGINES, startTestHub, type HubUnderTest } from '../helpers/hub-harness';
import { openLinkedCounter } from '../helpers/linked-counter';

/** Issue 13: a counter revoked at the hub and enrolled again goes on with its facts where the hub has them. */
let hub: HubUnderTest | null = null;
let dir: string | null = null;
afterEach(async () => {
  await hub?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  hub = dir = null;
});

async function drain(link: HubLink): Promise<void> {
  for (let i = 0; i < 20 && (await link.pushOnce()) === 'pushed'; i++);
}

describe.each(HUB_ENGINES)('re-enrolling a counter (%s)', (engine) => {
  it('continues its fact numbering at the same hub after a revocation: every fact there once, no gap alert', async () => {
    hub = await startTestHub(engine);
    const t = hub;
    const store = await t.admin.setUp(t.hub.adminUrl);
    dir = mkdtempSync(join(tmpdir(), 'hub-reenrol-'));
    const { db, link } = openLinkedCounter(dir, t.clock);
    writeRealisticDay(db, t.clock.now() - 3_600_000);
    const manager = { id: 'm1', name: '李经理' };
    const first = await link.enrol({ hubUrl: t.hub.url, pairingCode: await t.admin.pairingCode(store.storeId), counterName: '1号收银台' }, manager);
    await drain(link);
    const pushedBefore = getFactHead(db).seq;
    expect(getFactHead(db).acked).toBe(pushedBefore);

    expect((await t.admin.request('POST', HUB_ADMIN_PATHS.revokeTerminal(first.terminalId ?? ''))).status).toBe(200);
    writeCashSale(db, 9_001, t.clock.now());
    expect(await link.pushOnce()).not.toBe('pushed');
    expect(link.status().stopped).not.toBeNull();

    const second = await link.enrol({ hubUrl: t.hub.url, pairingCode: await t.admin.pairingCode(store.storeId), counterName: '1号收银台' }, manager);
    expect(second.terminalId).not.toBe(first.terminalId);
    writeCashSale(db, 9_002, t.clock.now());
    await drain(link);
    expect(getFactHead(db).acked).toBe(getFactHead(db).seq);

    const rows = await t.hub.database.db.selectFrom('facts').select(['terminal_id', 'seq']).execute();
    const seqsOf = (terminal: string | null): number[] => rows.filter((r) => r.terminal_id === terminal).map((r) => Number(r.seq)).sort((a, b) => a - b);
    const all = Array.from({ length: getFactHead(db).seq }, (_, i) => i + 1);
    expect(seqsOf(first.terminalId)).toEqual(all.slice(0, pushedBefore));
    expect(seqsOf(second.terminalId)).toEqual(all.slice(pushedBefore));
    const alerts = await t.admin.request<AlertView[]>('GET', HUB_ADMIN_PATHS.alerts);
    expect(alerts.body.filter((a) => a.kind === 'fact-gap' || a.kind === 'fact-conflict')).toEqual([]);
    db.close();
  });

  it('refuses a re-enrolment while the previous terminal is still active at the hub, and leaves the pairing code usable', async () => {
    hub = await startTestHub(engine);
    const t = hub;
    const store = await t.admin.setUp(t.hub.adminUrl);
    dir = mkdtempSync(join(tmpdir(), 'hub-reenrol-'));
    const { db, link } = openLinkedCounter(dir, t.clock);
    writeRealisticDay(db, t.clock.now() - 3_600_000);
    const manager = { id: 'm1', name: '李经理' };
    const first = await link.enrol({ hubUrl: t.hub.url, pairingCode: await t.admin.pairingCode(store.storeId), counterName: '1号收银台' }, manager);
    await drain(link);
    stopHubLink(db, 'stopped here, not at the hub', t.clock.now()); // e.g. a database restored from a backup
    const code = await t.admin.pairingCode(store.storeId);
    await expect(link.enrol({ hubUrl: t.hub.url, pairingCode: code, counterName: '1号收银台' }, manager)).rejects.toThrow(/仍在使用.*still active/s);
    const terminals = await t.hub.database.db.selectFrom('terminals').select('terminal_id').execute();
    expect(terminals).toHaveLength(1);
    // Revoked at the hub, the same code enrols it, and its facts continue where the hub has them.
    expect((await t.admin.request('POST', HUB_ADMIN_PATHS.revokeTerminal(first.terminalId ?? ''))).status).toBe(200);
    const pushed = getFactHead(db).seq;
    await link.enrol({ hubUrl: t.hub.url, pairingCode: code, counterName: '1号收银台' }, manager);
    expect(getFactHead(db).acked).toBe(pushed);
    db.close();
  });
});
