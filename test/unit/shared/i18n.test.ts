import { describe, expect, it } from 'vitest';
import { splitBilingual } from '../../../shared/i18n';

describe('splitting a "中文 / English" message', () => {
  it('splits at the separator between the Chinese and the English part', () => {
    expect(splitBilingual('请先登录收银员 / Sign in first')).toEqual({ zh: '请先登录收银员', en: 'Sign in first' });
  });

  it('keeps a slash inside the Chinese part and splits at the one before the English', () => {
    expect(splitBilingual('现金 / 微信 金额不符 / Cash / WeChat amounts differ')).toEqual({ zh: '现金 / 微信 金额不符', en: 'Cash / WeChat amounts differ' });
  });

  it('keeps numbers and codes on both sides', () => {
    expect(splitBilingual('未找到小票 T01-42 / Receipt T01-42 not found')).toEqual({ zh: '未找到小票 T01-42', en: 'Receipt T01-42 not found' });
  });

  it('gives null for a message in one language only', () => {
    expect(splitBilingual('已有进行中的支付')).toBeNull();
    expect(splitBilingual('connection refused / timeout')).toBeNull();
    expect(splitBilingual('请重试')).toBeNull();
  });
});
