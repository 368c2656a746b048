import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getFactHead } from '../../electron/db/facts';
import { getHubLink } from '../../electron/db/hub-link';
import type { openDatabase } from '../../electron/db/open';
import { enqueueOutbox, hasWechatWorkAtHand, markOutboxInflight } from '../../electron/db/outbox';
import { insertSale } from '../../electron/db/sales';
import { insertTender } from '../../electron/db/tenders';
import { HubLinkError } from '../../electron/hub-link/link';
import { ManualClock } from '../../shared/clock';
import { MAX_FACTS_PER_PUSH } from '../../shared/hub-protocol';
import { startHubPeer, type HubPeer } from '../helpers/hub-peer';
import { scanText } from '../helpers/leak-scan';
import { openLinkedCounter } from '../helpers/linked-counter';

const MANAGER = { id: 'm1', name: '李经理' };

function setup(dir: string, busy: { now: boolean }) {
  const clock = new ManualClock(Date.now());
  const enrolled: string[] = [];
  const counter = openLinkedCounter(dir, clock, {
    requestNow: () => Date.now(),
    paymentsBusy: () => busy.now,
    onEnrolled: (terminalId) => enrolled.push(terminalId),
  });
  return { ...counter, clock, enrolled };
}

function cashSales(db: ReturnType<typeof openDatabase>, n: number, from = 1): void {
  db.transaction(() => {
    for (let i = from; i < from + n; i++) {
      const id = insertSale(db, { terminalId: 'T07', receiptNo: i, cashierId: 'c1', shiftId: null, description: 's', totalFen: 100 + i, createdAt: i });
      insertTender(db, { saleId: id, kind: 'cash', amountFen: 100 + i, state: 'paid', createdAt: i });
    }
  })();
}

describe('hub link (counter side)', () => {
  let dir: string;
  let peer: HubPeer;
  const busy = { now: false };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-link-'));
    peer = await startHubPeer();
    busy.now = false;
  });
  afterEach(async () => {
    await peer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does nothing at all before it is enrolled', async () => {
    const { db, link } = setup(dir, busy);
    cashSales(db, 3);
    expect(await link.pushOnce()).toBe('not-enrolled');
    expect(await link.sendHeartbeat()).toBe(false);
    expect(peer.pushes).toEqual([]);
    expect(link.status()).toMatchObject({ enrolled: false, backlog: 0 });
  });

  it('enrols with a pairing code: keeps the terminal id, store and hub, the key sealed, and an audit entry', async () => {
    const { db, link, enrolled, secrets } = setup(dir, busy);
    await expect(link.enrol({ hubUrl: peer.url, pairingCode: 'WRONG23456', counterName: '1号收银台' }, MANAGER)).rejects.toThrow(/配对码/);
    const status = await link.enrol({ hubUrl: `${peer.url}/`, pairingCode: 'abcd-efgh-23', counterName: '1号收银台' }, MANAGER);
    expect(status).toMatchObject({ enrolled: true, terminalId: 'T07', storeId: 'S1', storeName: '南京路店', hubUrl: peer.url, reachable: true });
    expect(enrolled).toEqual(['T07']);
    expect(getHubLink(db)).toMatchObject({ hub_id: 'HUB-1', enrolled_by: 'm1' });
    const pem = secrets.hubPrivateKey();
    expect(pem).toMatch(/BEGIN PRIVATE KEY/);
    const stored = db.prepare("SELECT ciphertext FROM secrets WHERE field = 'hubPrivateKey'").get() as { ciphertext: Buffer };
    expect(scanText(stored.ciphertext.toString('latin1'), 'secrets', [{ name: 'hubKey', value: pem! }])).toEqual([]);
    expect(secrets.describe().fields.map((f) => f.field)).not.toContain('hubPrivateKey');
    const entry = db.prepare("SELECT details FROM audit_log WHERE action = 'hub.enrolled'").get() as { details: string };
    expect(JSON.parse(entry.details)).toMatchObject({ terminalId: 'T07', storeId: 'S1' });
    await expect(link.enrol({ hubUrl: peer.url, pairingCode: 'ABCDEFGH23', counterName: 'x' }, MANAGER)).rejects.toBeInstanceOf(HubLinkError);
  });

  it('pushes the backlog oldest first in batches the hub accepts, signed as the contract says, and records the high-water', async () => {
    const { db, link } = setup(dir, busy);
    cashSales(db, 600); // 600 facts (each tender added as paid), plus the enrolment's audit entry: two batches
    await link.enrol({ hubUrl: peer.url, pairingCode: 'ABCDEFGH23', counterName: '1号' }, MANAGER);
    const total = getFactHead(db).seq;
    expect(link.status().backlog).toBe(total);
    while ((await link.pushOnce()) === 'pushed');
    expect(peer.badSignatures).toBe(0);
    expect(peer.pushes.every((p) => p.length <= MAX_FACTS_PER_PUSH)).toBe(true);
    expect(peer.pushes.flat()).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(getFactHead(db)).toEqual({ seq: total, acked: total });
    expect(link.status()).toMatchObject({ backlog: 0, oldestUnsentAt: null, problem: null });
    expect(await link.pushOnce()).toBe('idle');
  });

  it('backs off while the hub is down and resumes where it stopped', async () => {
    const { db, link } = setup(dir, busy);
    await link.enrol({ hubUrl: peer.url, pairingCode: 'ABCDEFGH23', counterName: '1号' }, MANAGER);
    cashSales(db, 10);
    expect(await link.pushOnce()).toBe('pushed');
    const acked = getFactHead(db).acked;
    cashSales(db, 10, 100);
    peer.mode = 'down';
    expect(await link.pushOnce()).toBe('failed');
    expect(link.status()).toMatchObject({ reachable: true, backlog: getFactHead(db).seq - acked });
    expect(link.status().problem).not.toBeNull();
    await peer.close();
    expect(await link.pushOnce()).toBe('failed');
    expect(link.status().reachable).toBe(false);
  });

  it('resumes after a failure with the first fact not acknowledged', async () => {
    const { db, link } = setup(dir, busy);
    await link.enrol({ hubUrl: peer.url, pairingCode: 'ABCDEFGH23', counterName: '1号' }, MANAGER);
    cashSales(db, 5);
    peer.mode = 'down';
    expect(await link.pushOnce()).toBe('failed');
    peer.mode = 'ok';
    expect(await link.pushOnce()).toBe('pushed');
    expect(peer.pushes[0]![0]).toBe(1);
    expect(getFactHead(db).acked).toBe(getFactHead(db).seq);
  });

  it('stops and says so when the hub revoked the terminal, and sends nothing more', async () => {
    const { db, link } = setup(dir, busy);
    await link.enrol({ hubUrl: peer.url, pairingCode: 'ABCDEFGH23', counterName: '1号' }, MANAGER);
    cashSales(db, 3);
    peer.mode = 'revoked';
    expect(await link.pushOnce()).toBe('stopped');
    expect(link.status().stopped?.reason).toMatch(/REVOKED/);
    peer.mode = 'ok';
    expect(await link.pushOnce()).toBe('stopped');
    expect(await link.sendHeartbeat()).toBe(false);
    expect(peer.pushes).toEqual([]);
  });

  it('yields to WeChat work that is due or in flight, and not to a job the worker is holding back', async () => {
    const { db, link, clock } = setup(dir, busy);
    await link.enrol({ hubUrl: peer.url, pairingCode: 'ABCDEFGH23', counterName: '1号' }, MANAGER);
    cashSales(db, 3);
    const now = clock.now();
    const job = enqueueOutbox(db, { operation: 'micropay', payload: {}, idempotencyKey: 'k1', orderKey: 'o1', saleId: null, nextAttemptAt: now, deadlineAt: null, createdAt: now });
    busy.now = hasWechatWorkAtHand(db, now, 5_000);
    expect(busy.now).toBe(true);
    expect(await link.pushOnce()).toBe('yielded');
    markOutboxInflight(db, job, now);
    expect(hasWechatWorkAtHand(db, now + 60_000, 5_000)).toBe(true);
    db.prepare("UPDATE outbox SET state = 'pending' WHERE id = ?").run(job);
    busy.now = hasWechatWorkAtHand(db, now + 60_000, 5_000);
    expect(busy.now).toBe(false);
    expect(await link.pushOnce()).toBe('pushed');
    expect(peer.pushes).toHaveLength(1);
  });

  it('sends a heartbeat with the backlog, validated by the contract', async () => {
    const { db, link } = setup(dir, busy);
    await link.enrol({ hubUrl: peer.url, pairingCode: 'ABCDEFGH23', counterName: '1号' }, MANAGER);
    cashSales(db, 2);
    expect(await link.sendHeartbeat()).toBe(true);
    expect(peer.heartbeats[0]).toMatchObject({ appVersion: '1.0.0-test', backlog: getFactHead(db).seq, wechatReachable: true });
    expect(peer.badSignatures).toBe(0);
  });
});
