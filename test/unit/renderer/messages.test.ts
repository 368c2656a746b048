import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/i18n/messages-en';
import { zh } from '../../../renderer/i18n/messages-zh';
import { localized, translate, type MessageKey } from '../../../renderer/i18n/messages';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('the window texts', () => {
  it('have the same placeholders in Chinese and English', () => {
    for (const key of Object.keys(zh) as MessageKey[]) expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
  });

  it('fill in parameters and default to Chinese words for the counter', () => {
    expect(translate('zh-CN', 'payment.scanPrompt', { amount: '￥12.50' })).toBe('请扫描顾客付款码（￥12.50）');
    expect(translate('en', 'display.expiresIn', { s: '4:59' })).toBe('Time left 4:59');
    expect(localized('drawer.opened')).toEqual({ zh: '钱箱已打开', en: 'Drawer opened' });
  });

  it('say 沙箱 and the offline cash-only line exactly as the issue asks', () => {
    expect(zh['app.sandbox']).toBe('沙箱');
    expect(zh['display.cashOnly']).toBe('微信支付暂不可用，请使用现金');
  });
});
