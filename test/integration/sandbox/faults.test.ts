import { request as httpsRequest } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { outNo, plainCode, send, v2Call, v2Verified, v3Call, v3Verified } from './raw-client';

const clock = new ManualClock(Date.UTC(2024, 4, 10, 2, 0, 0));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
});
afterEach(async () => {
  await sandbox.faults.clear();
});
afterAll(async () => {
  await sandbox.close();
});

const micropay = (no = outNo()) =>
  v2Call(sandbox, '/pay/micropay', { body: 'b', out_trade_no: no, total_fee: 100, spbill_create_ip: '127.0.0.1', auth_code: plainCode() });
const orderState = (no: string) => sandbox.getOrder(no)?.tradeState ?? null;
const query = (no: string) => v3Call(sandbox, 'GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${sandbox.credentials.mchid}`, undefined, clock.now());

/** Resolves with the error code of a request that fails at the connection level. */
async function connectionError(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
  return 'no error';
}

describe('fault switches', () => {
  it('latency: the answer is held back (a short client timeout gives up, a patient client gets it)', async () => {
    await sandbox.faults.add({ kind: 'latency', latencyMs: 1_500 });
    const impatient = await connectionError(
      () =>
        new Promise((resolve, reject) => {
          const req = httpsRequest(new URL('/pay/orderquery', sandbox.url), { method: 'POST', ca: sandbox.credentials.caCertPem, agent: false, timeout: 200 }, resolve);
          req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
          req.on('error', reject);
          req.end('<xml></xml>');
        }),
    );
    expect(impatient).toBe('TIMEOUT');
    const { fields } = await micropay();
    expect(fields.result_code).toBe('SUCCESS');
  });

  it('drop: the request is processed but the connection is cut before the answer', async () => {
    await sandbox.faults.add({ kind: 'drop', pathPrefix: '/pay/micropay', times: 1 });
    const no = outNo();
    expect(await connectionError(() => micropay(no))).toMatch(/ECONNRESET|socket hang up/);
    expect(orderState(no)).toBe('SUCCESS');
    expect((await micropay()).fields.result_code).toBe('SUCCESS');
  });

  it('http-5xx: an HTML 5xx page; unprocessed by default, processed on request', async () => {
    await sandbox.faults.add({ kind: 'http-5xx', times: 1 });
    const lost = outNo();
    const first = await micropay(lost);
    expect(first.response.status).toBe(502);
    expect(first.response.text).toContain('502 Bad Gateway');
    expect(orderState(lost)).toBeNull();
    await sandbox.faults.add({ kind: 'http-5xx', status: 503, processed: true, times: 1 });
    const moved = outNo();
    expect((await micropay(moved)).response.status).toBe(503);
    expect(orderState(moved)).toBe('SUCCESS');
  });

  it('system-error: signed SYSTEMERROR on v2 (reverse with recall=Y), signed 500 SYSTEM_ERROR on v3', async () => {
    await sandbox.faults.add({ kind: 'system-error', processed: true, times: 1 });
    const no = outNo();
    const { fields } = await micropay(no);
    expect(fields).toMatchObject({ return_code: 'SUCCESS', result_code: 'FAIL', err_code: 'SYSTEMERROR' });
    expect(v2Verified(sandbox, fields)).toBe(true);
    expect(orderState(no)).toBe('SUCCESS');
    await sandbox.faults.add({ kind: 'system-error', pathPrefix: '/secapi/pay/reverse', times: 1 });
    const rev = await v2Call(sandbox, '/secapi/pay/reverse', { out_trade_no: no });
    expect(rev.fields).toMatchObject({ err_code: 'SYSTEMERROR', recall: 'Y' });
    expect(orderState(no)).toBe('SUCCESS');
    await sandbox.faults.add({ kind: 'system-error', pathPrefix: '/v3/', times: 1 });
    const v3 = await query(no);
    expect([v3.response.status, v3.json.code]).toEqual([500, 'SYSTEM_ERROR']);
    expect(v3Verified(sandbox, v3.response)).toBe(true);
  });

  it('rate-limit: v2 FREQUENCY_LIMITED or INVALID_REQUEST, v3 HTTP 429', async () => {
    await sandbox.faults.add({ kind: 'rate-limit', times: 1 });
    expect((await micropay()).fields).toMatchObject({ result_code: 'FAIL', err_code: 'FREQUENCY_LIMITED' });
    await sandbox.faults.add({ kind: 'rate-limit', v2Code: 'INVALID_REQUEST', times: 1 });
    expect((await micropay()).fields.err_code).toBe('INVALID_REQUEST');
    await sandbox.faults.add({ kind: 'rate-limit', pathPrefix: '/v3/', times: 1 });
    const v3 = await query('ANY');
    expect([v3.response.status, v3.json.code]).toEqual([429, 'FREQUENCY_LIMITED']);
  });

  it('tamper: one byte of the signed answer changes in transit, so its signature no longer verifies', async () => {
    await sandbox.faults.add({ kind: 'tamper', times: 2 });
    const { fields } = await micropay();
    expect(fields.return_code).toBe('SUCCESS');
    expect(v2Verified(sandbox, fields)).toBe(false);
    const v3 = await query('ANY');
    expect(v3.json.code).toBe('ORDER_NOT_EXIST');
    expect(v3Verified(sandbox, v3.response)).toBe(false);
  });

  it('outage: connections are refused until the switch is off, then the same port answers again', async () => {
    const id = await sandbox.faults.add({ kind: 'outage' });
    expect(await connectionError(() => micropay())).toBe('ECONNREFUSED');
    await sandbox.faults.clear(id);
    expect((await micropay()).fields.result_code).toBe('SUCCESS');
  });

  it('faults apply to the next N requests only, and only under their path prefix', async () => {
    await sandbox.faults.add({ kind: 'rate-limit', pathPrefix: '/pay/orderquery', times: 2 });
    expect((await micropay()).fields.result_code).toBe('SUCCESS');
    for (let i = 0; i < 2; i += 1) expect((await v2Call(sandbox, '/pay/orderquery', { out_trade_no: 'x' })).fields.err_code).toBe('FREQUENCY_LIMITED');
    expect((await v2Call(sandbox, '/pay/orderquery', { out_trade_no: 'x' })).fields.err_code).toBe('ORDERNOTEXIST');
    expect(sandbox.faults.list()).toEqual([]);
  });
});

describe('fault admin endpoint', () => {
  const post = (body: unknown) => send(sandbox, '/sandbox/admin/faults', { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

  it('switches faults on and off over HTTP', async () => {
    const on = await post({ kind: 'system-error', pathPrefix: '/pay/', times: 1 });
    expect(on.status).toBe(200);
    expect((JSON.parse(on.text) as { faults: unknown[] }).faults).toHaveLength(1);
    expect((await micropay()).fields.err_code).toBe('SYSTEMERROR');
    await post({ kind: 'drop' });
    const listed = JSON.parse((await send(sandbox, '/sandbox/admin/faults')).text) as { faults: { kind: string }[] };
    expect(listed.faults.map((f) => f.kind)).toEqual(['drop']);
    expect((await post({ clear: true })).status).toBe(200);
    expect((await micropay()).fields.result_code).toBe('SUCCESS');
  });

  it('rejects an invalid fault with 400', async () => {
    expect((await post({ kind: 'latency', latencyMs: 'slow' })).status).toBe(400);
    expect((await send(sandbox, '/sandbox/admin/faults', { body: 'not json' })).status).toBe(400);
  });

  it('an outage switched on over HTTP answers first, then refuses until its duration has passed', async () => {
    const res = await post({ kind: 'outage', durationMs: 400 });
    expect(res.status).toBe(200);
    let refused = false;
    for (let i = 0; i < 50 && !refused; i += 1) {
      refused = (await connectionError(() => send(sandbox, '/sandbox/admin/faults'))) === 'ECONNREFUSED';
    }
    expect(refused).toBe(true);
    let back = false;
    for (let i = 0; i < 100 && !back; i += 1) {
      back = (await connectionError(() => micropay())) === 'no error';
      if (!back) await new Promise((r) => setTimeout(r, 50));
    }
    expect(back).toBe(true);
  });
});
