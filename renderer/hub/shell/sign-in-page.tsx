import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { SignedInAnswer } from '../../../shared/hub-admin-api';
import type { Localized } from '../../../shared/i18n';
import { HubApiError, hubApi } from '../client/hub-client';
import type { HubMessageKey } from '../i18n/catalog';

interface Props {
  t: (key: HubMessageKey, params?: Record<string, string | number>) => string;
  pick: (text: Localized) => string;
  notice: HubMessageKey | null;
  onSignedIn: (session: SignedInAnswer) => Promise<void>;
  languageButton: ReactNode;
}

/** Longer than this is the 30-minute lock, shorter is the doubling wait after the third wrong password. */
const LOCK_THRESHOLD_S = 120;

type Problem = { kind: 'failed' } | { kind: 'wait'; until: number } | { kind: 'locked'; until: number } | { kind: 'other'; text: Localized };

/**
 * Name and password. The hub counts failures per account (electron/hub/admin-auth.ts): after the third each try
 * waits 1 s, 2 s, 4 s …, the tenth locks the account for 30 minutes. The page says which, counts the wait down and
 * keeps the button off until it is over (a try during the wait would only be refused again).
 */
export function SignInPage({ t, pick, notice, onSignedIn, languageButton }: Props) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const waitingUntil = problem?.kind === 'wait' || problem?.kind === 'locked' ? problem.until : 0;
  useEffect(() => {
    if (waitingUntil <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waitingUntil]);
  const waiting = waitingUntil > now;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy || waiting) return;
    setBusy(true);
    setProblem(null);
    try {
      const session = await hubApi.signIn({ name: name.trim(), password });
      setPassword('');
      await onSignedIn(session);
    } catch (error) {
      setPassword('');
      if (error instanceof HubApiError && error.code === 'SIGN_IN_FAILED') setProblem({ kind: 'failed' });
      else if (error instanceof HubApiError && error.code === 'LOCKED') {
        const seconds = error.retryAfterS ?? 1;
        setNow(Date.now());
        setProblem({ kind: seconds > LOCK_THRESHOLD_S ? 'locked' : 'wait', until: Date.now() + seconds * 1000 });
      } else setProblem({ kind: 'other', text: error instanceof HubApiError ? error.text : { zh: String(error), en: String(error) } });
    } finally {
      setBusy(false);
    }
  };

  const secondsLeft = Math.max(0, Math.ceil((waitingUntil - now) / 1000));
  return (
    <main className="hub-center">
      {languageButton}
      <form className="hub-card hub-sign-in" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t('signIn.title')}</h1>
        {notice && !problem && <p role="status" className="hub-notice">{t(notice)}</p>}
        <label>
          {t('signIn.name')}
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" required maxLength={40} autoFocus />
        </label>
        <label>
          {t('signIn.password')}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required maxLength={200} />
        </label>
        {problem && (
          <p role="alert" className="hub-error">
            {problem.kind === 'failed' && t('signIn.failed')}
            {problem.kind === 'wait' && secondsLeft > 0 && t('signIn.wait', { seconds: secondsLeft })}
            {problem.kind === 'locked' && t('signIn.locked', { minutes: Math.max(1, Math.ceil(secondsLeft / 60)) })}
            {problem.kind === 'other' && pick(problem.text)}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || waiting}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
