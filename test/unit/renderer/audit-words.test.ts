import { describe, expect, it } from 'vitest';
import { auditActionWords, auditDetailWords } from '../../../renderer/manager/audit-words';

const names: Record<string, string> = { 'demo-cashier': '演示收银员', 'demo-manager': '演示店长' };
const reading = (language: 'zh-CN' | 'en') => ({ language, nameOf: (id: string) => names[id] ?? id, time: () => '12:00' });

describe('the audit log in words', () => {
  it('reads a printed Z report and a cash-out in words, with yuan and names instead of JSON, fen and ids', () => {
    expect(auditActionWords('shift.z-printed', 'zh-CN')).toBe('打印 Z 报表');
    expect(auditActionWords('shift.z-printed', 'en')).toBe('Z report printed');
    const z = auditDetailWords({ action: 'shift.z-printed', details: { shiftId: 'T01-1', copy: true, jobId: 23 } }, reading('zh-CN'));
    expect(z).toBe('班次 T01-1，重打 是，打印任务 23');
    const out = { action: 'shift.cash-out', details: { shiftId: 'T01-1', amountFen: 10000, reason: '投库', approvedBy: 'demo-manager' } };
    expect(auditDetailWords(out, reading('zh-CN'))).toBe('班次 T01-1，金额 ￥100.00，原因 投库，授权店长 演示店长');
    expect(auditDetailWords(out, reading('en'))).toBe('shift T01-1, amount ￥100.00, reason 投库, approved by 演示店长');
  });

  it('names the approval and its subject, and the settings changed field by field', () => {
    const approval = { action: 'approval.granted', details: { action: 'cash-out', subject: 'cash-out:T01-1:60000', requestedBy: 'demo-cashier' } };
    expect(auditDetailWords(approval, reading('en'))).toBe('for Cash out above the limit or the drawer, about cash out ￥600.00, asked by 演示收银员');
    const settings = { action: 'settings.changed', details: { changes: [{ path: 'receiptLanguage', from: 'zh-CN', to: 'en' }], approvedBy: 'demo-manager' } };
    expect(auditDetailWords(settings, reading('zh-CN'))).toBe('改动 小票与报表语言 简体中文 → 英文，授权店长 演示店长');
    expect(auditDetailWords(settings, reading('en'))).toBe('changes receipt and report language Chinese → English, approved by 演示店长');
    const limits = { action: 'settings.changed', details: { changes: [
      { path: 'security.limits.maxSaleFen', from: 500000, to: 80000 },
      { path: 'wechat.merchantMode', from: 'direct', to: 'partner' },
      { path: 'printer.autoPrint', from: true, to: false },
      { path: 'storeAddress', from: '', to: '人民路 1 号' },
      { path: 'someFutureSetting', from: 1, to: 2 },
    ] } };
    expect(auditDetailWords(limits, reading('zh-CN'))).toBe(
      '改动 单笔销售上限 ￥5000.00 → ￥800.00；商户模式 直连商户 → 服务商模式；付款后自动打印小票 是 → 否；地址 （空） → 人民路 1 号；someFutureSetting 1 → 2');
    expect(auditDetailWords(limits, reading('en'))).toBe(
      'changes largest sale ￥5000.00 → ￥800.00; merchant mode direct merchant → service provider; print receipt after payment yes → no; address (empty) → 人民路 1 号; someFutureSetting 1 → 2');
    for (const entry of [approval, settings]) expect(auditDetailWords(entry, reading('zh-CN'))).not.toMatch(/[{}"]/);
  });
});
