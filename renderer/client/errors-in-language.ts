import type { PosApi } from '../../shared/api';
import { pick, type Language } from '../../shared/i18n';

/**
 * The API as the screens use it: an error that comes with both languages has its message in the language the
 * person chose at the moment it arrives, so every `result.error.message` on screen is in English in English mode
 * without each screen picking. Errors without a translation pass through unchanged.
 */
export function withErrorsInLanguage(api: PosApi, language: () => Language): PosApi {
  return {
    on: (event, listener) => api.on(event, listener),
    call: async (method, request) => {
      const result = await api.call(method, request);
      if (result.ok || !result.error.localized) return result;
      return { ok: false, error: { ...result.error, message: pick(result.error.localized, language()) } };
    },
  };
}
