import { describe, expect, it } from 'vitest';
import { FaultSwitches, tamperBody } from '../../../electron/sandbox/faults';

describe('fault switches', () => {
  it('applies a counted fault to the next N matching requests only', () => {
    const faults = new FaultSwitches();
    faults.add({ kind: 'system-error', times: 2 });
    expect(faults.planFor('/pay/micropay').action?.kind).toBe('system-error');
    expect(faults.planFor('/pay/orderquery').action?.kind).toBe('system-error');
    expect(faults.planFor('/pay/orderquery').action).toBeNull();
    expect(faults.list()).toEqual([]);
  });

  it('targets a path prefix and leaves other paths alone', () => {
    const faults = new FaultSwitches();
    faults.add({ kind: 'drop', pathPrefix: '/v3/' });
    expect(faults.planFor('/pay/micropay').action).toBeNull();
    expect(faults.planFor('/v3/pay/transactions/codepay').action?.kind).toBe('drop');
  });

  it('combines latency with another fault and counts both', () => {
    const faults = new FaultSwitches();
    faults.add({ kind: 'latency', latencyMs: 300, times: 1 });
    faults.add({ kind: 'rate-limit' });
    const plan = faults.planFor('/pay/micropay');
    expect(plan.latencyMs).toBe(300);
    expect(plan.action?.kind).toBe('rate-limit');
    expect(faults.planFor('/pay/micropay').latencyMs).toBe(0);
  });

  it('clears one fault by id or all of them', () => {
    const faults = new FaultSwitches();
    const a = faults.add({ kind: 'drop' });
    faults.add({ kind: 'outage' });
    expect(faults.hasOutage()).toBe(true);
    faults.remove(a.id);
    expect(faults.list().map((f) => f.kind)).toEqual(['outage']);
    faults.remove();
    expect(faults.list()).toEqual([]);
  });

  it('rejects an invalid fault specification', () => {
    const faults = new FaultSwitches();
    expect(() => faults.add({ kind: 'latency', latencyMs: -1 })).toThrow();
    expect(() => faults.add({ kind: 'nonsense' } as never)).toThrow();
  });

  it('tampers one byte inside a field value and keeps the message well-formed', () => {
    const xml = Buffer.from('<xml><return_code><![CDATA[SUCCESS]]></return_code><nonce_str><![CDATA[abc123]]></nonce_str></xml>');
    const tampered = tamperBody(xml).toString('utf8');
    expect(tampered).not.toBe(xml.toString('utf8'));
    expect(tampered).toContain('<nonce_str><![CDATA[bbc123]]></nonce_str>');
    const json = Buffer.from('{"trade_state":"SUCCESS","amount":{"total":1}}');
    const parsed = JSON.parse(tamperBody(json).toString('utf8')) as { trade_state: string };
    expect(parsed.trade_state).toBe('aUCCESS');
    const error = JSON.parse(tamperBody(Buffer.from('{"code":"SIGN_ERROR","message":"签名错误"}')).toString('utf8')) as { code: string; message: string };
    expect(error).toEqual({ code: 'SIGN_ERROR', message: 'a名错误' });
  });
});
