import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../../shared/clock';
import { fen } from '../../../shared/money';
import { diagnoseConnection } from '../../../electron/wechat/diagnose';
import { WechatPayV2Client } from '../../../electron/wechat/v2/client';
import { createTestPki } from '../../unit/wechat/helpers/pki';
import { clientFor, outNo, startHarness, walletCode, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const pay = (authCode: string, totalFen = 1250, outTradeNo = outNo()) => ({ outTradeNo, authCode, totalFen: fen(totalFen), description: '沙箱-奶茶' });

describe('v2 against the sandbox: micropay wallets', () => {
  it('instant wallet: paid at once, and the query agrees', async () => {
    const { client } = clientFor(h, 'v2');
    const req = pay(walletCode('01'));
    const outcome = await client.micropay(req);
    expect(outcome).toMatchObject({ kind: 'success', value: { outTradeNo: req.outTradeNo, tradeState: 'SUCCESS', totalFen: 1250 } });
    if (outcome.kind === 'success') expect(outcome.value.transactionId).toMatch(/^\d{28}$/);
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
  });

  it('password wallet: USERPAYING is unknown, and the query settles it after the payer confirms', async () => {
    const { client } = clientFor(h, 'v2');
    const start = h.clock.now();
    const req = pay(walletCode('02', '12'));
    expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'user-paying', code: 'USERPAYING' });
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'USERPAYING' } });
    h.clock.set(start + 13_000);
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
  });

  it('password-never wallet: reverse is refused while the payer types, then revokes the order', async () => {
    const { client } = clientFor(h, 'v2');
    const start = h.clock.now();
    const req = pay(walletCode('03'));
    expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
    expect(await client.reverseOrder(req.outTradeNo)).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
    h.clock.set(start + 16_000);
    expect(await client.reverseOrder(req.outTradeNo)).toEqual({ kind: 'success', value: { recall: false } });
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'REVOKED' } });
  });

  it('password-never wallet: WeChat revokes the order 45 s after creation', async () => {
    const { client } = clientFor(h, 'v2');
    const start = h.clock.now();
    const req = pay(walletCode('03'));
    await client.micropay(req);
    h.clock.set(start + 45_000);
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'REVOKED' } });
  });

  it('not-enough wallet: NOTENOUGH is a definite failure, the order ends PAYERROR', async () => {
    const { client } = clientFor(h, 'v2');
    const req = pay(walletCode('04'));
    const outcome = await client.micropay(req);
    expect(outcome).toMatchObject({ kind: 'failure', code: 'NOTENOUGH' });
    if (outcome.kind === 'failure') expect(outcome.reason.zh).toContain('余额不足');
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'PAYERROR' } });
  });

  it('expired wallet: AUTHCODEEXPIRE, and no order exists', async () => {
    const { client } = clientFor(h, 'v2');
    const req = pay(walletCode('05'));
    expect(await client.micropay(req)).toMatchObject({ kind: 'failure', code: 'AUTHCODEEXPIRE' });
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'failure', code: 'ORDERNOTEXIST' });
  });

  it('already-used wallet and a reused code: AUTH_CODE_ERROR', async () => {
    const { client } = clientFor(h, 'v2');
    expect(await client.micropay(pay(walletCode('06')))).toMatchObject({ kind: 'failure', code: 'AUTH_CODE_ERROR' });
    const code = walletCode('01');
    expect((await client.micropay(pay(code))).kind).toBe('success');
    expect(await client.micropay(pay(code))).toMatchObject({ kind: 'failure', code: 'AUTH_CODE_ERROR' });
  });

  it('bank-error wallet: BANKERROR is unknown, and the query finds it paid', async () => {
    const { client } = clientFor(h, 'v2');
    const req = pay(walletCode('07'));
    expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'system-error', code: 'BANKERROR' });
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
  });

  it('password-cancel wallet: unknown, then the query shows PAYERROR', async () => {
    const { client } = clientFor(h, 'v2');
    const start = h.clock.now();
    const req = pay(walletCode('08', '10'));
    expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
    h.clock.set(start + 11_000);
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'PAYERROR' } });
  });

  it('retrying the same micropay replays the answer; a different amount is OUT_TRADE_NO_USED', async () => {
    const { client } = clientFor(h, 'v2');
    const req = pay(walletCode('01'));
    const first = await client.micropay(req);
    expect(await client.micropay(req)).toEqual(first);
    expect(await client.micropay({ ...req, totalFen: fen(1) })).toMatchObject({ kind: 'failure', code: 'OUT_TRADE_NO_USED' });
  });
});

describe('v2 against the sandbox: native QR, close, reverse', () => {
  it('creates a QR order, sees the customer pay, and a late close answers ORDERPAID', async () => {
    const { client } = clientFor(h, 'v2');
    const outTradeNo = outNo('Q');
    const created = await client.createNativeOrder({ outTradeNo, totalFen: fen(990), description: '午餐', timeExpire: h.clock.now() + 10 * 60_000, productId: 'SALE-1' });
    expect(created).toMatchObject({ kind: 'success' });
    if (created.kind !== 'success') return;
    expect(created.value.codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(await client.queryOrder(outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'NOTPAY' } });
    expect(h.sandbox.customerPay(created.value.codeUrl)).toMatchObject({ ok: true });
    expect(await client.queryOrder(outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS', totalFen: 990 } });
    expect(await client.closeOrder(outTradeNo)).toMatchObject({ kind: 'failure', code: 'ORDERPAID' });
  });

  it('closes an unpaid QR order (twice is still closed), after which the customer cannot pay', async () => {
    const { client } = clientFor(h, 'v2');
    const outTradeNo = outNo('Q');
    const created = await client.createNativeOrder({ outTradeNo, totalFen: fen(500), description: '咖啡', timeExpire: h.clock.now() + 10 * 60_000, productId: 'SALE-2' });
    expect(await client.closeOrder(outTradeNo)).toEqual({ kind: 'success', value: undefined });
    expect(await client.closeOrder(outTradeNo)).toEqual({ kind: 'success', value: undefined });
    if (created.kind === 'success') expect(h.sandbox.customerPay(created.value.codeUrl)).toMatchObject({ ok: false });
    expect(await client.queryOrder(outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'CLOSED' } });
  });

  it('reverses a paid micropay order over mutual TLS', async () => {
    const { client } = clientFor(h, 'v2');
    const req = pay(walletCode('01'));
    await client.micropay(req);
    expect(await client.reverseOrder(req.outTradeNo)).toEqual({ kind: 'success', value: { recall: false } });
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'REVOKED' } });
  });

  it('refuses secapi without a client certificate, and with one the sandbox does not trust', async () => {
    const noCert = clientFor(h, 'v2', { credentials: { clientCertPem: undefined, clientKeyPem: undefined } }).client;
    expect(await noCert.reverseOrder(outNo())).toMatchObject({ kind: 'failure', code: 'CLIENT_CERT_MISSING' });
    const stranger = await createTestPki();
    const wrong = clientFor(h, 'v2', { credentials: { clientCertPem: stranger.strangerCertPem, clientKeyPem: stranger.strangerKeyPem } }).client;
    expect(await wrong.reverseOrder(outNo())).toMatchObject({ kind: 'failure', code: 'CLIENT_CERT_REJECTED' });
  });
});

describe('v2 against the sandbox: refunds', () => {
  it('refunds part of a payment: accepted, then SUCCESS; a retry with the same out_refund_no is the same refund', async () => {
    const { client } = clientFor(h, 'v2');
    const req = pay(walletCode('01'), 1000);
    await client.micropay(req);
    const refund = { outTradeNo: req.outTradeNo, outRefundNo: outNo('R'), totalFen: fen(1000), refundFen: fen(300), reason: '退货' };
    const accepted = await client.refund(refund);
    expect(accepted).toMatchObject({ kind: 'success', value: { status: 'PROCESSING' } });
    expect(await client.refund(refund)).toEqual(accepted);
    expect(await client.queryRefund(refund.outRefundNo)).toMatchObject({ kind: 'success', value: { status: 'PROCESSING', refundFen: 300 } });
    h.clock.advance(6_000);
    expect(await client.queryRefund(refund.outRefundNo)).toMatchObject({ kind: 'success', value: { status: 'SUCCESS', refundFen: 300 } });
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'REFUND' } });
  });

  it('refuses refunding more than was paid, and an unknown refund is REFUNDNOTEXIST', async () => {
    const { client } = clientFor(h, 'v2');
    const req = pay(walletCode('01'), 100);
    await client.micropay(req);
    expect(await client.refund({ outTradeNo: req.outTradeNo, outRefundNo: outNo('R'), totalFen: fen(100), refundFen: fen(200) })).toMatchObject({ kind: 'failure' });
    expect(await client.queryRefund(outNo('R'))).toMatchObject({ kind: 'failure', code: 'REFUNDNOTEXIST' });
  });
});

describe('v2 against the sandbox: bills and reports', () => {
  it('downloads yesterday\'s bill with its trades; a quiet day has no bill; today is still being generated', async () => {
    const { client } = clientFor(h, 'v2');
    const req = pay(walletCode('01'), 4321);
    await client.micropay(req);
    const day = beijingDate(h.clock.now());
    expect(await client.downloadBill({ billDate: day, billType: 'ALL' })).toMatchObject({ kind: 'unknown', code: 'BILL_CREATING' });
    h.clock.set(Date.parse(`${day}T00:00:00+08:00`) + 35 * 3600_000);
    const bill = await client.downloadBill({ billDate: day, billType: 'ALL' });
    expect(bill).toMatchObject({ kind: 'success', value: { kind: 'bill' } });
    if (bill.kind === 'success' && bill.value.kind === 'bill') {
      expect(bill.value.csv.startsWith('交易时间')).toBe(true);
      expect(bill.value.csv).toContain(`\`${req.outTradeNo}`);
      expect(bill.value.csv).toContain('43.21');
    }
    const quiet = beijingDate(Date.parse(`${day}T00:00:00+08:00`) - 5 * 86_400_000);
    expect(await client.downloadBill({ billDate: quiet, billType: 'ALL' })).toEqual({ kind: 'success', value: { kind: 'no-bill' } });
  });

  it('files the micropay batch report and a per-call report', async () => {
    const { client } = clientFor(h, 'v2');
    const before = h.sandbox.listReports().length;
    const now = h.clock.now();
    expect(await client.reportMicropayBatch([{ outTradeNo: 'B1', beginTime: now - 3000, endTime: now, state: 'OK' }])).toEqual({ kind: 'success', value: undefined });
    if (!(client instanceof WechatPayV2Client)) throw new Error('expected the v2 client');
    const perCall = await client.reportApiCall({ interfaceUrl: 'https://api.mch.weixin.qq.com/pay/micropay', executeTimeMs: 820, returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: 'B1' });
    expect(perCall.kind).toBe('success');
    expect(h.sandbox.listReports().length).toBe(before + 2);
  });
});

describe('v2 against the sandbox: signature types, credentials and diagnosis', () => {
  it('works with HMAC-SHA256 signatures both ways', async () => {
    const { client } = clientFor(h, 'v2', { credentials: { v2SignType: 'HMAC-SHA256' } });
    expect(await client.micropay(pay(walletCode('01')))).toMatchObject({ kind: 'success' });
    expect(await client.queryOrder(outNo())).toMatchObject({ kind: 'failure', code: 'ORDERNOTEXIST' });
  });

  it('diagnoses good credentials, including the client certificate', async () => {
    const diagnosis = await diagnoseConnection(clientFor(h, 'v2').client);
    expect(diagnosis).toMatchObject({ ok: true, verdict: 'ok', apiVersion: 'v2', clientCertificate: { ok: true, verdict: 'ok' } });
  });

  it('diagnoses a missing client certificate', async () => {
    const diagnosis = await diagnoseConnection(clientFor(h, 'v2', { credentials: { clientCertPem: undefined, clientKeyPem: undefined } }).client);
    expect(diagnosis).toMatchObject({ ok: true, clientCertificate: { ok: false, verdict: 'client-certificate' } });
  });

  it('diagnoses a wrong API key and a wrong appid', async () => {
    const wrongKey = clientFor(h, 'v2', { credentials: { apiKeyV2: 'x'.repeat(32) } }).client;
    expect(await wrongKey.queryOrder(outNo())).toMatchObject({ kind: 'failure', code: 'SIGNERROR' });
    expect(await diagnoseConnection(wrongKey)).toMatchObject({ ok: false, verdict: 'wrong-key' });
    const wrongApp = clientFor(h, 'v2', { credentials: { appid: 'wx0000000000000000' } }).client;
    expect(await diagnoseConnection(wrongApp)).toMatchObject({ ok: false, verdict: 'merchant-mismatch' });
    const wrongMch = clientFor(h, 'v2', { credentials: { mchid: '1999999999' } }).client;
    expect(await diagnoseConnection(wrongMch)).toMatchObject({ ok: false, verdict: 'merchant-mismatch' });
  });

  it('diagnoses an untrusted server certificate', async () => {
    const untrusted = clientFor(h, 'v2', { credentials: { caCertPem: undefined } }).client;
    expect(await diagnoseConnection(untrusted)).toMatchObject({ ok: false, verdict: 'server-certificate' });
  });
});
