import { describe, expect, it } from 'vitest';
import type { PosApi } from '../../../shared/api';
import type { Language } from '../../../shared/i18n';
import { fail, ok } from '../../../shared/result';
import { withErrorsInLanguage } from '../../../renderer/client/errors-in-language';

function apiAnswering(result: ReturnType<typeof fail> | ReturnType<typeof ok>): PosApi {
  return { call: () => Promise.resolve(result as never), on: () => () => undefined };
}

describe('errors shown in the chosen language', () => {
  it('shows the English message in English mode and the Chinese one in Chinese mode, as the language changes', async () => {
    let language: Language = 'en';
    const api = withErrorsInLanguage(apiAnswering(fail('NO_OPEN_SHIFT', '请先开班', { zh: '请先开班', en: 'Open a shift first' })), () => language);
    expect(await api.call('shift.current', {})).toEqual({ ok: false, error: { code: 'NO_OPEN_SHIFT', message: 'Open a shift first', localized: { zh: '请先开班', en: 'Open a shift first' } } });
    language = 'zh-CN';
    expect(await api.call('shift.current', {})).toMatchObject({ error: { message: '请先开班' } });
  });

  it('passes values and untranslated errors through unchanged', async () => {
    const value = withErrorsInLanguage(apiAnswering(ok(null)), () => 'en');
    expect(await value.call('shift.current', {})).toEqual({ ok: true, value: null });
    const plain = withErrorsInLanguage(apiAnswering(fail('DISCONNECTED', '连接中断 / connection lost')), () => 'en');
    expect(await plain.call('shift.current', {})).toEqual({ ok: false, error: { code: 'DISCONNECTED', message: '连接中断 / connection lost' } });
  });
});
