import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ENGINES } from '../../helpers/hub-harness';
import { startNotifyRig, type NotifyRig } from '../../helpers/hub-notify-rig';
import { openLinkedCounter, type LinkedCounter } from '../../helpers/linked-counter';
import { createHarness, type Harness } from '../../helpers/payments-harness';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy';

/**
 * A QR paid while the counter cannot reach the hub (WeChat it still reaches): the counter learns it by polling
 * WeChat, the hub by WeChat's notification; when the link comes back the counter's facts reach the hub, which then
 * holds one sale with one paid tender for that order — not a second sale made from the notification.
 * The counter reaches the hub through a TCP proxy that is switched to a closed port for the outage.
 */
describe.each(HUB_ENGINES)('a QR paid while the counter is offline from the hub (hub on %s)', (engine) => {
  let rig: NotifyRig;
  let proxy: TcpProxy;
  let online = true;
  let dir: string;
  let counter: LinkedCounter;
  let pay: Harness;

  beforeAll(async () => {
    rig = await startNotifyRig(engine);
    const hubPort = Number(new URL(rig.t.hub.url).port);
    // Port 1 on loopback refuses: the counter sees "connection refused", as with the shop's line down.
    proxy = await startTcpProxy(() => ({ host: '127.0.0.1', port: online ? hubPort : 1 }), { protocol: 'http' });
    dir = mkdtempSync(join(tmpdir(), 'offline-qr-'));
    counter = openLinkedCounter(dir, rig.t.clock, { timeoutMs: 3_000 });
    const enrolled = await counter.link.enrol({ hubUrl: proxy.url, pairingCode: await rig.t.admin.pairingCode(rig.storeId), counterName: '二号收银台' }, { id: 'm1', name: '李经理' });
    pay = createHarness(rig.client('v3'), { clock: rig.t.clock, db: counter.db, terminalId: enrolled.terminalId ?? '' });
  });
  afterAll(async () => {
    counter.db.close();
    await proxy.close();
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function pushAll(): Promise<string> {
    let outcome = await counter.link.pushOnce();
    while (outcome === 'pushed') outcome = await counter.link.pushOnce();
    return outcome;
  }

  it('is recorded once at the counter (by polling) and once at the hub (by the notification, then the late facts)', async () => {
    const db = rig.t.hub.database.db;
    const sale = pay.service.createSale({ cashierId: 'c1', amountFen: 2_680 });
    online = false;
    proxy.cutAll();
    const attempt = pay.service.startNativeQr(sale.id);
    await pay.advance(0);
    const shown = pay.service.getAttempt(attempt.id);
    expect(shown.state).toBe('awaiting-scan');
    expect(await pushAll()).toBe('failed');
    expect(counter.link.status().reachable).toBe(false);

    expect(rig.sandbox.customerPay(shown.codeUrl ?? '')).toMatchObject({ ok: true });
    expect(await rig.sandbox.notifications.pump()).toBe(1);
    // The hub holds the notification before any fact names the order: kept until a counter's facts explain it.
    expect(await db.selectFrom('hub_notifications').selectAll().where('out_trade_no', '=', shown.outTradeNo).execute())
      .toMatchObject([{ kind: 'payment', outcome: 'awaiting-order', amount_fen: 2_680 }]);
    expect(await db.selectFrom('hub_tenders').selectAll().where('out_trade_no', '=', shown.outTradeNo).execute()).toEqual([]);

    // The counter's poll finds it (WeChat is reachable; only the hub is not).
    await pay.advance(5_000);
    expect(pay.service.getSale(sale.id).state).toBe('paid');
    expect(pay.service.getSale(sale.id).tenders).toMatchObject([{ kind: 'wechat-qr', state: 'paid', amountFen: 2_680 }]);
    expect(await pushAll()).toBe('failed');

    online = true;
    expect(await pushAll()).toBe('idle');
    const tenders = await db.selectFrom('hub_tenders').selectAll().where('out_trade_no', '=', shown.outTradeNo).execute();
    expect(tenders).toMatchObject([{ state: 'paid', amount_fen: 2_680, terminal_id: enrolled(), sale_id: sale.id }]);
    const sales = await db.selectFrom('hub_sales').selectAll().where('terminal_id', '=', enrolled()).execute();
    expect(sales).toMatchObject([{ sale_id: sale.id, state: 'paid', total_fen: 2_680 }]);
    const notes = await db.selectFrom('hub_notifications').selectAll().where('out_trade_no', '=', shown.outTradeNo).execute();
    expect(notes).toMatchObject([{ outcome: 'applied', terminal_id: enrolled() }]);
    expect(await db.selectFrom('hub_wechat_orders').selectAll().where('out_trade_no', '=', shown.outTradeNo).execute())
      .toMatchObject([{ state: 'SUCCESS', total_fen: 2_680, terminal_id: enrolled() }]);
    // Nothing at the hub says this payment is unexplained.
    const alerts = await db.selectFrom('alerts').selectAll().execute();
    expect(alerts.filter((a) => JSON.stringify(a).includes(shown.outTradeNo))).toEqual([]);
  });

  const enrolled = (): string => counter.link.status().terminalId ?? '';
});
