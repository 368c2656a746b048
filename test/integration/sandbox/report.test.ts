import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { v2Call } from './raw-client';

const clock = new ManualClock(Date.UTC(2024, 4, 10, 2, 0, 0));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
});
afterAll(async () => {
  await sandbox.close();
});

describe('payitil/report (交易保障)', () => {
  it('accepts a per-call report and answers unsigned return_code + result_code', async () => {
    const { fields } = await v2Call(sandbox, '/payitil/report', {
      interface_url: 'https://api.mch.weixin.qq.com/pay/micropay', execute_time_: 312, return_code: 'SUCCESS', result_code: 'SUCCESS', user_ip: '127.0.0.1', time: '20240510100000',
    });
    expect(fields).toEqual({ return_code: 'SUCCESS', result_code: 'SUCCESS' });
    const report = sandbox.listReports().at(-1);
    expect(report?.fields.execute_time_).toBe('312');
    expect(report?.fields.sign).toBeUndefined();
  });

  it('accepts the micropay batch form with its trades array', async () => {
    const trades = [{ out_trade_no: 'T1', begin_time: '20240510100000', end_time: '20240510100005', state: 'OK', err_msg: '' }];
    const { fields } = await v2Call(sandbox, '/payitil/report', {
      interface_url: 'https://api.mch.weixin.qq.com/pay/batchreport/micropay/total', user_ip: '127.0.0.1', trades: JSON.stringify(trades),
    });
    expect(fields).toEqual({ return_code: 'SUCCESS', result_code: 'SUCCESS' });
    expect(sandbox.listReports().at(-1)?.trades).toEqual(trades);
  });

  it('refuses a report without its required fields, and one signed with the wrong key', async () => {
    expect((await v2Call(sandbox, '/payitil/report', { interface_url: 'https://api.mch.weixin.qq.com/pay/micropay', user_ip: '127.0.0.1' })).fields.return_code).toBe('FAIL');
    const wrong = await v2Call(sandbox, '/payitil/report', { interface_url: 'x', user_ip: '1', trades: '[]' }, { key: 'k'.repeat(32) });
    expect(wrong.fields).toEqual({ return_code: 'FAIL', return_msg: '签名错误，请检查后再试' });
  });
});
