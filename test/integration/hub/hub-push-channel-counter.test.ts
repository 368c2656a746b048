import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PaymentHint } from '../../../shared/hub-protocol';
import { getOutboxByKey } from '../../../electron/db/outbox';
import { listFacts } from '../../../electron/db/facts';
import { PushChannel } from '../../../electron/hub-link/push-channel';
import { openWsHubSocket } from '../../../electron/hub-link/push-socket';
import type { HintOutcome } from '../../../electron/payments/hints';
import { nativeJobKey } from '../../../electron/payments/native-qr';
import { createHarness, type Harness } from '../../helpers/payments-harness';
import { openLinkedCounter, type LinkedCounter } from '../../helpers/linked-counter';
import { startNotifyRig, type NotifyRig } from '../../helpers/hub-notify-rig';

/**
 * The counter's end of the push channel against a real hub (HTTP, signed WebSocket) and the real sandbox (HTTPS,
 * its notification pump delivering to the hub behind TLS). Polling is set to an hour and the shared clock never
 * moves, so a payment recorded here can only have come through the push (a hint, then the counter's own query).
 */
const HOUR = 3_600_000;
const WAIT = { timeout: 20_000, interval: 25 };

describe('the counter\'s push channel (hub on sqlite)', () => {
  let rig: NotifyRig;
  let dir: string;
  let counter: LinkedCounter;
  let pay: Harness;
  let channel: PushChannel;
  let terminalId: string;
  const outcomes: HintOutcome[] = [];

  beforeAll(async () => {
    rig = await startNotifyRig('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'push-channel-'));
    counter = openLinkedCounter(dir, rig.t.clock);
    const enrolled = await counter.link.enrol({ hubUrl: rig.t.hub.url, pairingCode: await rig.t.admin.pairingCode(rig.storeId), counterName: '一号收银台' }, { id: 'm1', name: '李经理' });
    terminalId = enrolled.terminalId ?? '';
    pay = createHarness(rig.client('v3'), {
      clock: rig.t.clock, db: counter.db, terminalId,
      deps: { policy: { nativePollMinMs: HOUR, nativePollMaxMs: HOUR }, tickMs: 20 },
    });
    pay.service.start();
    channel = new PushChannel({
      identity: () => counter.link.currentIdentity(),
      open: openWsHubSocket,
      onHint: (hint) => outcomes.push(pay.service.takeHint(hint)),
      logger: counter.logger,
      now: () => rig.t.clock.now(),
      backoff: { baseMs: 20, capMs: 200 },
    });
    channel.start();
    await vi.waitFor(() => expect(channel.state()).toBe('open'), WAIT);
  });
  afterAll(async () => {
    channel.stop();
    await pay.service.stop();
    counter.db.close();
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    outcomes.length = 0;
  });

  /** A sale with its QR shown (the order created at the sandbox with the hub's notify_url); its next poll is an hour away. */
  async function qrShown(amountFen: number): Promise<{ saleId: number; attemptId: number; outTradeNo: string; codeUrl: string }> {
    const sale = pay.service.createSale({ cashierId: 'c1', amountFen });
    const attempt = pay.service.startNativeQr(sale.id);
    await vi.waitFor(() => expect(pay.service.getAttempt(attempt.id).state).toBe('awaiting-scan'), WAIT);
    const shown = pay.service.getAttempt(attempt.id);
    expect(getOutboxByKey(counter.db, nativeJobKey(shown.outTradeNo))?.next_attempt_at).toBe(rig.t.clock.now() + HOUR);
    return { saleId: sale.id, attemptId: attempt.id, outTradeNo: shown.outTradeNo, codeUrl: shown.codeUrl ?? '' };
  }

  async function paidAtSandbox(codeUrl: string): Promise<void> {
    expect(rig.sandbox.customerPay(codeUrl)).toMatchObject({ ok: true });
    await rig.sandbox.notifications.pump();
  }

  it('records a native QR paid at the sandbox through the push, long before the next poll would run', async () => {
    const qr = await qrShown(1_250);
    await paidAtSandbox(qr.codeUrl);
    await vi.waitFor(() => expect(pay.service.getSale(qr.saleId).state).toBe('paid'), WAIT);
    expect(outcomes).toEqual(['query-now']);
    expect(pay.service.getAttempt(qr.attemptId)).toMatchObject({ state: 'paid', outTradeNo: qr.outTradeNo });
    expect(pay.events['sale.paid'].map((e) => e.sale.id)).toContain(qr.saleId);
    // The hub recorded the notification it pushed about.
    const notes = await rig.t.hub.database.db.selectFrom('hub_notifications').selectAll().where('out_trade_no', '=', qr.outTradeNo).execute();
    expect(notes).toMatchObject([{ kind: 'payment', amount_fen: 1_250 }]);
  });

  it('records nothing for a hint about an order WeChat says is not paid: the counter\'s own query decides', async () => {
    const qr = await qrShown(3_300);
    const job = getOutboxByKey(counter.db, nativeJobKey(qr.outTradeNo));
    const factsBefore = listFacts(counter.db, 1, 10_000).length;
    const forged: PaymentHint = { type: 'hint', kind: 'paid', outTradeNo: qr.outTradeNo, outRefundNo: null };
    expect(rig.t.hub.hints.publish(terminalId, forged)).toBe(1);
    // The query ran (the job tried once more) and answered NOTPAY: the poll waits its hour again.
    await vi.waitFor(() => expect(getOutboxByKey(counter.db, nativeJobKey(qr.outTradeNo))).toMatchObject({ attempts: (job?.attempts ?? 0) + 1, state: 'pending' }), WAIT);
    expect(outcomes).toEqual(['query-now']);
    expect(getOutboxByKey(counter.db, nativeJobKey(qr.outTradeNo))?.next_attempt_at).toBe(rig.t.clock.now() + HOUR);
    expect(pay.service.getSale(qr.saleId).state).toBe('open');
    expect(pay.service.getAttempt(qr.attemptId)).toMatchObject({ state: 'awaiting-scan' });
    expect(pay.service.getSale(qr.saleId).tenders).toMatchObject([{ state: 'pending' }]);
    expect(pay.events['sale.paid'].map((e) => e.sale.id)).not.toContain(qr.saleId);
    // No fact beyond what the query itself touched says paid.
    expect(listFacts(counter.db, 1, 10_000).slice(factsBefore).map((f) => f.body).join('')).not.toContain('"paid"');
    // A hint for an order this counter never made, and a stale one for a sale already paid, change nothing.
    rig.t.hub.hints.publish(terminalId, { type: 'hint', kind: 'paid', outTradeNo: `${terminalId}zzzzzzzz261207P999999`, outRefundNo: null });
    await vi.waitFor(() => expect(outcomes).toEqual(['query-now', 'unknown']), WAIT);
  });

  it('opens the channel again after the hub drops it, and a payment still arrives through it', async () => {
    const before = channel.counts().opened;
    expect(rig.t.hub.hints.disconnect(terminalId)).toBe(1);
    await vi.waitFor(() => expect(channel.counts().opened).toBe(before + 1), WAIT);
    await vi.waitFor(() => expect(rig.t.hub.hints.connected(terminalId)).toBe(true), WAIT);
    expect(channel.state()).toBe('open');
    const qr = await qrShown(880);
    await paidAtSandbox(qr.codeUrl);
    await vi.waitFor(() => expect(pay.service.getSale(qr.saleId).state).toBe('paid'), WAIT);
    expect(outcomes).toEqual(['query-now']);
  });
});
