import type { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import { listFacts } from '../../electron/db/facts';
import type { HubLink } from '../../electron/hub-link/link';
import { HUB_NEEDED } from '../../electron/hub-link/sale-lookup';
import { PaymentError } from '../../electron/payments/errors';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';
import { parseFactBody } from '../../shared/hub-facts';
import { walletCode, WALLETS } from '../helpers/fake-wechat-client';
import { startTestHub, type HubUnderTest } from '../helpers/hub-harness';
import { openLinkedCounter } from '../helpers/linked-counter';
import { createHarness, T0, type Harness } from '../helpers/payments-harness';
import { sandboxClient, sandboxLedger } from '../helpers/payments-sandbox';

/**
 * Counter B refunds a WeChat sale made at counter A of the same store: A sells against the sandbox (real HTTPS)
 * and pushes its facts to a real hub (SQLite, real HTTP); B looks the sale up at the hub and refunds it.
 */
let hub: HubUnderTest | null = null;
let sandbox: Sandbox | null = null;
const dirs: string[] = [];
const dbs: Database[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) db.close();
  await hub?.close();
  await sandbox?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  hub = null;
  sandbox = null;
});

interface Counter {
  db: Database;
  link: HubLink;
}

function counter(h: HubUnderTest): Counter {
  const dir = mkdtempSync(join(tmpdir(), 'xrefund-'));
  dirs.push(dir);
  const { db, link } = openLinkedCounter(dir, h.clock);
  dbs.push(db);
  return { db, link };
}

async function enrol(h: HubUnderTest, c: Counter, storeId: string): Promise<string> {
  const answer = await c.link.enrol({ hubUrl: h.hub.url, pairingCode: await h.admin.pairingCode(storeId), counterName: '收银台' }, { id: 'm1', name: '李经理' });
  if (!answer.enrolled || !answer.terminalId) throw new Error('not enrolled');
  return answer.terminalId;
}

async function pushAll(c: Counter): Promise<void> {
  while ((await c.link.pushOnce()) === 'pushed');
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof PaymentError) return error.code;
    throw error;
  }
  return 'not refused';
}

describe("refunding a sale made at another counter of the store", () => {
  it("counter B refunds counter A's WeChat sale found at the hub; WeChat refunds it, the hub then shows it refunded and refuses more", async () => {
    hub = await startTestHub('sqlite');
    const clock = new ManualClock(T0);
    sandbox = await startSandbox({ clock });
    const store = await hub.admin.setUp(hub.hub.adminUrl);
    const [a, b] = [counter(hub), counter(hub)];
    const terminalA = await enrol(hub, a, store.storeId);
    const terminalB = await enrol(hub, b, store.storeId);
    const payA: Harness = createHarness(sandboxClient(sandbox, clock, 'v3'), { clock, db: a.db, terminalId: terminalA });
    const payB: Harness = createHarness(sandboxClient(sandbox, clock, 'v3'), { clock, db: b.db, terminalId: terminalB });

    const sale = payA.service.createSale({ cashierId: 'c1', amountFen: 5_000 });
    const attempt = payA.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 1));
    await payA.drain();
    expect(payA.service.getSale(sale.id).state).toBe('paid');
    await pushAll(a);

    const found = await b.link.lookupOtherCounterSale({ terminalId: terminalA, receiptNo: payA.service.getSale(sale.id).receiptNo });
    expect(found).toMatchObject({ ok: true, sale: { terminalId: terminalA, state: 'paid', tenders: [{ outTradeNo: attempt.outTradeNo, amountFen: 5_000, refundedFen: 0 }] } });
    if (!found.ok) return;

    // Over what is left, and without a manager, refused before anything is written.
    expect(refusal(() => payB.service.refundOtherCounterSale({ sale: found.sale, outTradeNo: attempt.outTradeNo, amountFen: 5_001, approvedBy: 'm1' }))).toBe('REFUND_TOO_LARGE');
    expect(refusal(() => payB.service.refundOtherCounterSale({ sale: found.sale, outTradeNo: attempt.outTradeNo, amountFen: 100, approvedBy: ' ' }))).toBe('APPROVAL_REQUIRED');

    const refund = payB.service.refundOtherCounterSale({ sale: found.sale, outTradeNo: attempt.outTradeNo, amountFen: 3_000, approvedBy: 'm1', reason: '顾客退货' });
    expect(refund).toMatchObject({ originTerminalId: terminalA, state: 'queued', amountFen: 3_000 });
    await payB.drain();
    expect(payB.service.getOtherCounterRefund(refund.id).state).toBe('succeeded');
    expect(sandboxLedger(sandbox).refunds.filter((r) => r.outTradeNo === attempt.outTradeNo)).toMatchObject([{ outRefundNo: refund.outRefundNo, refundFen: 3_000 }]);

    // B's refund facts parse with the shared schema and name A's sale.
    const refundFacts = listFacts(b.db, 1, 1_000).filter((f) => f.kind === 'refund').map((f) => parseFactBody('refund', f.body));
    expect(refundFacts.every((f) => f.ok)).toBe(true);
    expect(refundFacts.at(-1)).toMatchObject({ ok: true, value: { terminalId: terminalB, originTerminalId: terminalA, saleId: null, tenderId: null, outTradeNo: attempt.outTradeNo, state: 'succeeded' } });
    await pushAll(b);

    const after = await b.link.lookupOtherCounterSale({ terminalId: terminalA, receiptNo: found.sale.receiptNo });
    expect(after).toMatchObject({ ok: true, sale: { tenders: [{ refundedFen: 3_000 }] } });
    if (!after.ok) return;
    expect(refusal(() => payB.service.refundOtherCounterSale({ sale: after.sale, outTradeNo: attempt.outTradeNo, amountFen: 2_001, approvedBy: 'm1' }))).toBe('REFUND_TOO_LARGE');
    // Even with the hub's older view, this counter counts what it already refunded itself.
    expect(refusal(() => payB.service.refundOtherCounterSale({ sale: found.sale, outTradeNo: attempt.outTradeNo, amountFen: 2_001, approvedBy: 'm1' }))).toBe('REFUND_TOO_LARGE');
    // Counter A's own sale is refunded from its own refund screen, not as another counter's.
    expect(refusal(() => payA.service.refundOtherCounterSale({ sale: after.sale, outTradeNo: attempt.outTradeNo, amountFen: 100, approvedBy: 'm1' }))).toBe('OWN_SALE');
  });

  it('tells the cashier that other counters need the hub when this counter never enrolled', async () => {
    hub = await startTestHub('sqlite');
    const lone = counter(hub);
    expect(await lone.link.lookupOtherCounterSale({ terminalId: 'AB12', receiptNo: 1 })).toEqual({ ok: false, reason: 'hub-needed', message: HUB_NEEDED });
  });
});
