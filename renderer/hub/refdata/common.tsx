import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { fenToYuanString, fen, parseYuan } from '../../../shared/money';
import { HubApiError } from '../client/hub-client';
import { useHubShell } from '../shell/context';
import { refdataMessages } from './messages';
import './refdata.css';

/** A key of the reference pages' messages, checked at run time (action and field names come from the hub). */
export type RefdataKey = keyof (typeof refdataMessages)['zh'];
export function isRefdataKey(key: string): key is RefdataKey {
  return Object.hasOwn(refdataMessages.zh, key);
}

/** What a person typed as yuan ("12.5") → fen, or null (the form says how to write it). */
export const yuanToFen = (text: string): number | null => parseYuan(text);
export const fenToYuan = (amount: number): string => fenToYuanString(fen(amount));

export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

/** Loads with `load` whenever `key` changes; `reload()` loads again (after a change). */
export function useLoaded<T>(load: () => Promise<T>, key: string): { loaded: Loaded<T>; reload: () => void } {
  const { pick } = useHubShell();
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    load()
      .then((value) => live && setLoaded({ state: 'ready', value }))
      .catch((error: unknown) => live && setLoaded({ state: 'failed', message: errorText(error, pick) }));
    return () => {
      live = false;
    };
    // `load` is rebuilt each render: `key` and `round` say when to load again.
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { loaded, reload };
}

export function errorText(error: unknown, pick: (text: { zh: string; en: string }) => string): string {
  return error instanceof HubApiError ? pick(error.text) : String(error);
}

/**
 * Runs a change, then says it worked or why not (the hub's bilingual message). `busy` keeps the button off while
 * it runs, so a double click cannot send it twice.
 */
export function useAction(): { run: (action: () => Promise<unknown>, done?: string) => Promise<boolean>; busy: boolean; feedback: ReactNode } {
  const { pick } = useHubShell();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>, done?: string): Promise<boolean> => {
    setBusy(true);
    setResult(null);
    try {
      await action();
      if (done) setResult({ ok: true, text: done });
      return true;
    } catch (error) {
      setResult({ ok: false, text: errorText(error, pick) });
      return false;
    } finally {
      setBusy(false);
    }
  }, [pick]);
  const feedback = result === null ? null : result.ok ? <p role="status" className="hub-good">{result.text}</p> : <p role="alert" className="hub-error">{result.text}</p>;
  return { run, busy, feedback };
}

/** The loading / failed states every list shares. */
export function LoadState({ loaded }: { loaded: Loaded<unknown> }) {
  const { t } = useHubShell();
  if (loaded.state === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (loaded.state === 'failed') return <p role="alert" className="hub-error">{loaded.message}</p>;
  return null;
}
