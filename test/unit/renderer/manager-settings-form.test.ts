import { describe, expect, it } from 'vitest';
import { formFromSettings, settingsFromForm, validateForm } from '../../../renderer/manager/settings-form';

const settings = {
  storeName: '演示商店',
  storeAddress: '',
  terminalId: 'T01',
  language: 'zh-CN',
  displayLanguage: 'en',
  receiptLanguage: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  wechat: { mode: 'sandbox', apiVersion: 'v3', baseUrl: 'https://api.mch.weixin.qq.com', mchid: '', appid: '', v2SignType: 'HMAC-SHA256', merchantMode: 'direct', subMchid: '', subAppid: '', profitSharing: false,
    sharedSandbox: { credentialsFile: '', caFile: '', url: '' } },
  scanner: { enabled: false, path: '', baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, suffix: 'auto' },
  printer: { uri: '', paperWidthMm: 80, autoPrint: true },
  voice: { enabled: true },
  security: { lockout: { maxAttempts: 5, lockMinutes: 15 }, approvalTtlSeconds: 120, limits: { maxSaleFen: 500000, maxRefundFen: 50000, maxRefundsPerCashierPerDay: 5, cashDrawerCapFen: 200000, maxCashOutFen: 50000 }, alerts: { failedScans: 3 }, backup: { folder: '', keep: 14 } },
};
const label = (key: string): string => key;

describe('the settings form', () => {
  it('round-trips the settings it shows and keeps the fields it does not', () => {
    const form = formFromSettings(settings);
    expect(form.maxSaleYuan).toBe('5000.00');
    expect(validateForm(form, label)).toEqual([]);
    expect(settingsFromForm(settings, form)).toEqual(settings);
  });

  it('writes money limits back in fen and numbers as numbers', () => {
    const next = settingsFromForm(settings, { ...formFromSettings(settings), maxRefundYuan: '12.5', paperWidthMm: '58', baudRate: '115200' }) as typeof settings;
    expect(next.security.limits.maxRefundFen).toBe(1250);
    expect((settingsFromForm(settings, { ...formFromSettings(settings), cashOutYuan: '800' }) as typeof settings).security.limits.maxCashOutFen).toBe(80_000);
    expect(next.printer.paperWidthMm).toBe(58);
    expect(next.scanner.baudRate).toBe(115200);
  });

  it('shows and writes back service-provider mode, and asks for the sub-merchant id it needs', () => {
    const form = { ...formFromSettings(settings), merchantMode: 'partner' as const, profitSharing: true };
    expect(validateForm(form, label).map((p) => [p.field, p.key])).toEqual([['subMchid', 'valid.subMchid']]);
    const next = settingsFromForm(settings, { ...form, subMchid: '1600000001' }) as typeof settings;
    expect(next.wechat).toMatchObject({ merchantMode: 'partner', subMchid: '1600000001', profitSharing: true });
    expect(formFromSettings(next)).toMatchObject({ merchantMode: 'partner', subMchid: '1600000001', profitSharing: true });
  });

  it('names every invalid field with its own message', () => {
    const form = { ...formFromSettings(settings), storeName: ' ', terminalId: 'T-01', appid: 'wx123', baseUrl: 'not a url', maxSaleYuan: '1.234', lockAttempts: '2' };
    expect(validateForm(form, label).map((p) => [p.field, p.key])).toEqual([
      ['storeName', 'valid.storeName'],
      ['terminalId', 'valid.terminalId'],
      ['appid', 'valid.appid'],
      ['baseUrl', 'valid.baseUrl'],
      ['maxSaleYuan', 'valid.money'],
      ['lockAttempts', 'valid.int'],
    ]);
  });

  it('shows and writes back the sandbox shared by the store\'s counters, and asks for its credentials file first', () => {
    const form = formFromSettings(settings);
    expect(validateForm({ ...form, sharedSandboxUrl: 'https://10.0.0.5:8443' }, label).map((p) => [p.field, p.key]))
      .toEqual([['sharedSandboxFile', 'valid.sharedSandboxFile']]);
    expect(validateForm({ ...form, sharedSandboxFile: '/srv/sandbox.json', sharedSandboxUrl: 'not a url' }, label).map((p) => [p.field, p.key]))
      .toEqual([['sharedSandboxUrl', 'valid.baseUrl']]);
    const shared = { ...form, sharedSandboxFile: ' /srv/sandbox.json ', sharedSandboxCa: '/srv/sandbox-ca.pem', sharedSandboxUrl: 'https://10.0.0.5:8443' };
    expect(validateForm(shared, label)).toEqual([]);
    const next = settingsFromForm(settings, shared) as typeof settings;
    expect(next.wechat.sharedSandbox).toEqual({ credentialsFile: '/srv/sandbox.json', caFile: '/srv/sandbox-ca.pem', url: 'https://10.0.0.5:8443' });
    expect(formFromSettings(next)).toMatchObject({ sharedSandboxFile: '/srv/sandbox.json', sharedSandboxCa: '/srv/sandbox-ca.pem' });
  });
});
