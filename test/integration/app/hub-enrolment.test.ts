import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App, type AppOptions } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { systemClock } from '../../../shared/clock';
import { parseFactBody } from '../../../shared/hub-facts';
import type { HubStatus } from '../../../shared/hub-status';
import { MemoryLogger } from '../../../shared/log';
import type { Result } from '../../../shared/result';
import type { SaleView } from '../../../shared/payments';
import type { ShiftView } from '../../../shared/shifts';
import { startHubPeer, type HubPeer } from '../../helpers/hub-peer';

let app: App | null = null;
let peer: HubPeer | null = null;
afterEach(async () => {
  await app?.close();
  await peer?.close();
  app = peer = null;
});

const cashier: CallContext = { window: 'cashier', connectionId: 'hub-cashier' };
const manager: CallContext = { window: 'manager', connectionId: 'hub-manager' };

async function call<T>(pos: App, method: string, request: unknown, context: CallContext): Promise<T> {
  const result = (await pos.dispatch(method, request, context)) as Result<T>;
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function start(extra: Partial<AppOptions> = {}): Promise<App> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-hub-'));
  app = await startApp({
    dataDir,
    clock: systemClock,
    logger: new MemoryLogger(),
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(dataDir),
    overrides: { sandbox: true },
    createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
    pdfRenderer: chromiumPdfRenderer(),
    ...extra,
  });
  return app;
}

async function cashSale(pos: App): Promise<void> {
  await call(pos, 'auth.signIn', { pin: '1111' }, cashier);
  await call<ShiftView>(pos, 'shift.open', { openingFloatFen: 10_000 }, cashier);
  const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 1_250 }, cashier);
  await call(pos, 'payment.cash', { saleId: sale.id, tenderedFen: 2_000 }, cashier);
}

describe('the counter and its hub, through the app', () => {
  it('enrols at start (--hub/--pair), takes the hub\'s terminal id, and carries the day\'s facts to the hub', async () => {
    peer = await startHubPeer();
    const pos = await start({ hubEnrolment: { hubUrl: peer.url, pairingCode: 'ABCDEFGH23' } });
    expect(pos.info().terminalId).toBe('T07');
    await cashSale(pos);
    await waitFor(() => [...peer!.facts.values()].some((f) => f.kind === 'sale' && (JSON.parse(f.body) as SaleView).state === 'paid'));
    for (const fact of peer.facts.values()) expect(parseFactBody(fact.kind, fact.body)).toMatchObject({ ok: true });
    expect(JSON.parse([...peer.facts.values()].find((f) => f.kind === 'sale')!.body)).toMatchObject({ terminalId: 'T07' });
    expect(peer.badSignatures).toBe(0);
    await call(pos, 'auth.signIn', { pin: '9999' }, manager);
    const status = await call<HubStatus>(pos, 'hub.status', {}, manager);
    expect(status).toMatchObject({ enrolled: true, terminalId: 'T07', storeName: '南京路店', stopped: null });
  });

  it('sends nothing and says "not enrolled" without a hub; a manager enrols from the settings, a cashier cannot', async () => {
    peer = await startHubPeer();
    const pos = await start();
    await cashSale(pos);
    await call(pos, 'auth.signIn', { pin: '9999' }, manager);
    expect(await call<HubStatus>(pos, 'hub.status', {}, manager)).toMatchObject({ enrolled: false, backlog: 0 });
    const byCashier = (await pos.dispatch('hub.enrol', { hubUrl: peer.url, pairingCode: 'ABCDEFGH23', counterName: '1号' }, cashier)) as Result<HubStatus>;
    expect(byCashier.ok).toBe(false);
    const wrong = (await pos.dispatch('hub.enrol', { hubUrl: peer.url, pairingCode: 'ZZZZZZZZZZ', counterName: '1号' }, manager)) as Result<HubStatus>;
    expect(wrong.ok ? 'enrolled' : wrong.error.message).toMatch(/配对码/);
    expect(peer.pushes).toEqual([]);
    const status = await call<HubStatus>(pos, 'hub.status', {}, manager);
    expect(status.enrolled).toBe(false);
    const enrolled = await call<HubStatus>(pos, 'hub.enrol', { hubUrl: peer.url, pairingCode: 'ABCDEFGH23', counterName: '1号' }, manager);
    expect(enrolled).toMatchObject({ enrolled: true, terminalId: 'T07' });
    // The history from before the enrolment goes up too, oldest first.
    await waitFor(() => peer!.facts.size > 0 && [...peer!.facts.values()].some((f) => f.kind === 'audit' && f.body.includes('hub.enrolled')));
    expect(peer.pushes[0]![0]).toBe(1);
  });
});
