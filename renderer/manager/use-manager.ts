import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EventName, MethodName, MethodRequest, MethodResult, PosApi } from '../../shared/api';
import { formatStoreDateTime } from '../../shared/clock';
import { pick, type Language, type Localized } from '../../shared/i18n';
import type { Result } from '../../shared/result';
import type { GatedAction } from '../../shared/security';
import { useApp } from '../app-context';
import { managerText, type ManagerTranslate } from './messages';

export interface ManagerContext {
  api: PosApi;
  language: Language;
  sandbox: boolean;
  m: ManagerTranslate;
  text: (value: Localized) => string;
  /** The store's time zone (settings.timeZone). */
  timeZone: string;
  time: (ms: number | null) => string;
}

/** Date and time as a store reads them, as slips and reports print them: 2024-05-01 14:03:22 in the store's zone. */
export function formatTime(ms: number | null, timeZone: string): string {
  if (ms === null) return '—';
  return formatStoreDateTime(ms, timeZone);
}

export function useManager(): ManagerContext {
  const { api, language, info, timeZone } = useApp();
  return useMemo(
    () => ({
      api,
      language,
      sandbox: info?.sandbox ?? false,
      m: (key, params) => managerText(language, key, params),
      text: (value: Localized) => pick(value, language),
      timeZone,
      time: (ms: number | null) => formatTime(ms, timeZone),
    }),
    [api, language, info?.sandbox, timeZone],
  );
}

/**
 * Calls one method and keeps its latest value; `reload` calls it again, and so does every `reloadOn` event the
 * main side pushes (a list that follows what changed). Errors are kept as the message shown.
 */
export function useLoad<M extends MethodName>(api: PosApi, method: M, request: MethodRequest<M>, reloadOn?: EventName) {
  const [value, setValue] = useState<MethodResult<M> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => (reloadOn ? api.on(reloadOn, () => setTick((n) => n + 1)) : undefined), [api, reloadOn]);
  const requestJson = JSON.stringify(request);
  useEffect(() => {
    let live = true;
    void api.call(method, JSON.parse(requestJson) as MethodRequest<M>).then((r) => {
      if (!live) return;
      if (r.ok) {
        setValue(r.value);
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [api, method, requestJson, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { value, error, reload, setValue };
}

/** A manager's PIN turned into a single-use token for one gated action, then the gated call with it. */
export async function withApproval<T>(
  api: PosApi,
  action: GatedAction,
  pin: string,
  call: (token: string) => Promise<Result<T>>,
  subject?: string,
): Promise<Result<T>> {
  const grant = await api.call('approval.request', { action, pin, ...(subject ? { subject } : {}) });
  if (!grant.ok) return grant;
  return call(grant.value.token);
}

export const isPin = (pin: string): boolean => /^\d{4,8}$/.test(pin);
