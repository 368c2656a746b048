import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate, ManualClock } from '../../../shared/clock';
import { fen } from '../../../shared/money';
import { diagnoseConnection } from '../../../electron/wechat/diagnose';
import { clientFor, outNo, startHarness, walletCode, type Harness } from './harness';
import { otherPrivateKeyPem, otherPublicKeyPem } from './other-key';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const pay = (authCode: string, totalFen = 1250, outTradeNo = outNo()) => ({ outTradeNo, authCode, totalFen: fen(totalFen), description: '沙箱-奶茶' });

describe('v3 against the sandbox: codepay wallets', () => {
  it('instant wallet: paid at once with the payer and amount, and the query agrees', async () => {
    const { client } = clientFor(h, 'v3');
    const req = pay(walletCode('01'));
    const outcome = await client.micropay(req);
    expect(outcome).toMatchObject({ kind: 'success', value: { outTradeNo: req.outTradeNo, tradeState: 'SUCCESS', totalFen: 1250, payerTotalFen: 1250 } });
    if (outcome.kind === 'success') expect(outcome.value.openid).toBeTruthy();
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
  });

  it('password wallet: 202 USERPAYING is unknown; the query settles it', async () => {
    const { client } = clientFor(h, 'v3');
    const start = h.clock.now();
    const req = pay(walletCode('02', '12'));
    expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'USERPAYING' } });
    h.clock.set(start + 13_000);
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
  });

  it('password-never wallet: reverse refused with USERPAYING at first, then it revokes', async () => {
    const { client } = clientFor(h, 'v3');
    const start = h.clock.now();
    const req = pay(walletCode('03'));
    expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
    expect(await client.reverseOrder(req.outTradeNo)).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
    h.clock.set(start + 16_000);
    expect(await client.reverseOrder(req.outTradeNo)).toEqual({ kind: 'success', value: { recall: false } });
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'REVOKED' } });
  });

  it('password-never wallet: revoked 45 s after creation', async () => {
    const { client } = clientFor(h, 'v3');
    const start = h.clock.now();
    const req = pay(walletCode('03'));
    await client.micropay(req);
    h.clock.set(start + 45_000);
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'REVOKED' } });
  });

  it('not-enough wallet: NOTENOUGH failure, order PAYERROR', async () => {
    const { client } = clientFor(h, 'v3');
    const req = pay(walletCode('04'));
    expect(await client.micropay(req)).toMatchObject({ kind: 'failure', code: 'NOTENOUGH' });
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'PAYERROR' } });
  });

  it('expired and already-used wallets: definite failures, no order', async () => {
    const { client } = clientFor(h, 'v3');
    const expired = pay(walletCode('05'));
    expect(await client.micropay(expired)).toMatchObject({ kind: 'failure', code: 'AUTHCODEEXPIRE' });
    expect(await client.queryOrder(expired.outTradeNo)).toMatchObject({ kind: 'failure', code: 'ORDERNOTEXIST' });
    expect(await client.micropay(pay(walletCode('06')))).toMatchObject({ kind: 'failure', code: 'AUTH_CODE_ERROR' });
  });

  it('bank-error wallet: unknown, then the query finds it paid', async () => {
    const { client } = clientFor(h, 'v3');
    const req = pay(walletCode('07'));
    const outcome = await client.micropay(req);
    expect(outcome).toMatchObject({ kind: 'unknown', code: 'BANKERROR' });
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
  });

  it('password-cancel wallet: unknown, then PAYERROR', async () => {
    const { client } = clientFor(h, 'v3');
    const start = h.clock.now();
    const req = pay(walletCode('08', '10'));
    expect(await client.micropay(req)).toMatchObject({ kind: 'unknown', cause: 'user-paying' });
    h.clock.set(start + 11_000);
    expect(await client.queryOrder(req.outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'PAYERROR' } });
  });
});

describe('v3 against the sandbox: native QR, close, refunds', () => {
  it('native order paid by the customer; close then answers ORDERPAID', async () => {
    const { client } = clientFor(h, 'v3');
    const outTradeNo = outNo('Q');
    const created = await client.createNativeOrder({ outTradeNo, totalFen: fen(990), description: '午餐', timeExpire: h.clock.now() + 10 * 60_000, productId: 'SALE-1' });
    expect(created.kind).toBe('success');
    if (created.kind !== 'success') return;
    expect(await client.queryOrder(outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'NOTPAY' } });
    h.sandbox.customerPay(created.value.codeUrl);
    expect(await client.queryOrder(outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS', totalFen: 990 } });
    expect(await client.closeOrder(outTradeNo)).toMatchObject({ kind: 'failure', code: 'ORDERPAID' });
  });

  it('closes an unpaid native order with 204, idempotently', async () => {
    const { client } = clientFor(h, 'v3');
    const outTradeNo = outNo('Q');
    await client.createNativeOrder({ outTradeNo, totalFen: fen(500), description: '咖啡', timeExpire: h.clock.now() + 10 * 60_000, productId: 'SALE-2' });
    expect(await client.closeOrder(outTradeNo)).toEqual({ kind: 'success', value: undefined });
    expect(await client.closeOrder(outTradeNo)).toEqual({ kind: 'success', value: undefined });
    expect(await client.queryOrder(outTradeNo)).toMatchObject({ kind: 'success', value: { tradeState: 'CLOSED' } });
  });

  it('refunds: accepted, SUCCESS after settling, retry-safe; unknown refund is REFUNDNOTEXIST', async () => {
    const { client } = clientFor(h, 'v3');
    const req = pay(walletCode('01'), 1000);
    await client.micropay(req);
    const refund = { outTradeNo: req.outTradeNo, outRefundNo: outNo('R'), totalFen: fen(1000), refundFen: fen(250), reason: '退货' };
    const accepted = await client.refund(refund);
    expect(accepted).toMatchObject({ kind: 'success', value: { status: 'PROCESSING' } });
    expect(await client.refund(refund)).toEqual(accepted);
    h.clock.advance(6_000);
    expect(await client.queryRefund(refund.outRefundNo)).toMatchObject({ kind: 'success', value: { status: 'SUCCESS', refundFen: 250 } });
    expect(await client.queryRefund(outNo('R'))).toMatchObject({ kind: 'failure', code: 'REFUNDNOTEXIST' });
  });
});

describe('v3 against the sandbox: bills', () => {
  it('downloads a bill through download_url with its SHA1 checked; quiet day → no bill; today → creating', async () => {
    const { client } = clientFor(h, 'v3');
    const req = pay(walletCode('01'), 4321);
    await client.micropay(req);
    const day = beijingDate(h.clock.now());
    expect(await client.downloadBill({ billDate: day, billType: 'ALL' })).toMatchObject({ kind: 'unknown', code: 'BILL_CREATING' });
    h.clock.set(Date.parse(`${day}T00:00:00+08:00`) + 35 * 3600_000);
    const bill = await client.downloadBill({ billDate: day, billType: 'SUCCESS' });
    expect(bill).toMatchObject({ kind: 'success', value: { kind: 'bill' } });
    if (bill.kind === 'success' && bill.value.kind === 'bill') expect(bill.value.csv).toContain(`\`${req.outTradeNo}`);
    const quiet = beijingDate(Date.parse(`${day}T00:00:00+08:00`) - 5 * 86_400_000);
    expect(await client.downloadBill({ billDate: quiet, billType: 'ALL' })).toEqual({ kind: 'success', value: { kind: 'no-bill' } });
  });

  it('has no report API: the batch report succeeds without a call', async () => {
    const before = h.sandbox.listReports().length;
    const { client } = clientFor(h, 'v3');
    expect(await client.reportMicropayBatch([{ outTradeNo: 'X', beginTime: 0, endTime: 1, state: 'OK' }])).toEqual({ kind: 'success', value: undefined });
    expect(h.sandbox.listReports().length).toBe(before);
  });
});

describe('v3 against the sandbox: verification modes and diagnosis', () => {
  it('verifies answers signed with the platform certificate in the older mode', async () => {
    h.sandbox.setV3SigningMode('platform-certificate');
    try {
      const { client } = clientFor(h, 'v3', {
        credentials: { wechatPayPublicKeyPem: undefined, wechatPayPublicKeyId: undefined, platformCertificates: [h.sandbox.platformCertificate] },
      });
      expect(await client.micropay(pay(walletCode('01')))).toMatchObject({ kind: 'success' });
      const keyOnly = clientFor(h, 'v3').client;
      expect(await keyOnly.queryOrder(outNo())).toMatchObject({ kind: 'unknown', cause: 'bad-signature', code: 'UNKNOWN_SERIAL' });
      expect(await diagnoseConnection(keyOnly)).toMatchObject({ ok: false, verdict: 'certificate-mismatch' });
    } finally {
      h.sandbox.setV3SigningMode('public-key');
    }
  });

  it('diagnoses good credentials', async () => {
    expect(await diagnoseConnection(clientFor(h, 'v3').client)).toMatchObject({ ok: true, verdict: 'ok', apiVersion: 'v3' });
  });

  it('diagnoses a wrong certificate serial or private key as wrong-key', async () => {
    const wrongSerial = clientFor(h, 'v3', { credentials: { merchantCertSerial: '1234567890ABCDEF1234567890ABCDEF12345678' } }).client;
    expect(await wrongSerial.queryOrder(outNo())).toMatchObject({ kind: 'failure', code: 'SIGNERROR' });
    expect(await diagnoseConnection(wrongSerial)).toMatchObject({ ok: false, verdict: 'wrong-key' });
    const wrongKey = clientFor(h, 'v3', { credentials: { merchantPrivateKeyPem: otherPrivateKeyPem() } }).client;
    expect(await diagnoseConnection(wrongKey)).toMatchObject({ ok: false, verdict: 'wrong-key' });
  });

  it('diagnoses a wrong WeChat Pay public key as a certificate mismatch', async () => {
    const wrongPub = clientFor(h, 'v3', { credentials: { wechatPayPublicKeyPem: otherPublicKeyPem() } }).client;
    expect(await diagnoseConnection(wrongPub)).toMatchObject({ ok: false, verdict: 'certificate-mismatch', code: 'SIGNATURE_MISMATCH' });
  });

  it('diagnoses a clock 10 minutes off as clock skew', async () => {
    const skewed = clientFor(h, 'v3', { clock: new ManualClock(h.clock.now() + 10 * 60_000) }).client;
    expect(await diagnoseConnection(skewed)).toMatchObject({ ok: false, verdict: 'clock-skew' });
  });

  it('diagnoses a wrong merchant id', async () => {
    const wrongMch = clientFor(h, 'v3', { credentials: { mchid: '1999999999' } }).client;
    expect(await diagnoseConnection(wrongMch)).toMatchObject({ ok: false, verdict: 'merchant-mismatch' });
  });
});
