import { useCallback, useEffect, useState } from 'react';
import { pick } from '../../shared/i18n';
import { formatYuan } from '../../shared/money';
import { describeAttempt, type AttemptView } from '../../shared/payments';
import { useApp } from '../app-context';
import { Dialog, KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { useNow } from '../components/use-now';
import { formatListTime } from './format';
import { attemptActivity, attemptTone } from './payment-progress';
import type { Counter } from './use-counter';

/**
 * Payments that are not settled (unknown, queued, superseded, needing a manager): what state each is in and what
 * the app is doing about it, refreshed live from attempt events.
 */
export function StuckDialog({ counter, online, onClose }: { counter: Counter; online: boolean; onClose: () => void }) {
  const { t, language, api, timeZone } = useApp();
  const { setUser } = counter;
  const [attempts, setAttempts] = useState<AttemptView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const now = useNow();

  const load = useCallback(async () => {
    const result = await api.call('attempts.listForReview', {});
    if (!result.ok) {
      if (result.error.code === 'NOT_SIGNED_IN') setUser(null);
      setProblem(result.error.message);
      return;
    }
    setProblem(null);
    setAttempts([...result.value].sort((a, b) => b.createdAt - a.createdAt));
  }, [api, setUser]);

  useEffect(() => {
    void load();
    return api.on('attempt.updated', (attempt) => setAttempts((current) => current?.map((a) => (a.id === attempt.id ? attempt : a)) ?? current));
  }, [api, load]);

  useInputLayer({
    onKey: (event) => {
      if (event.key === 'Escape') onClose();
      else if (event.key === 'F5') void load();
      else return;
      event.preventDefault();
    },
  });

  return (
    <Dialog title={t('stuck.title')} onClose={onClose} closeLabel={t('dialog.close')} wide testId="stuck-dialog">
      <p className="dialog-help">{t('stuck.help')}</p>
      {problem && (
        <p className="dialog-error" role="alert">
          {problem}
        </p>
      )}
      {attempts === null ? (
        <p>{t('stuck.loading')}</p>
      ) : attempts.length === 0 ? (
        <p className="stuck-none" role="status">
          {t('stuck.none')}
        </p>
      ) : (
        <table className="stuck-table">
          <thead>
            <tr>
              <th scope="col">{t('stuck.time')}</th>
              <th scope="col">{t('stuck.order')}</th>
              <th scope="col">{t('stuck.amount')}</th>
              <th scope="col">{t('stuck.state')}</th>
              <th scope="col">{t('stuck.activity')}</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((attempt) => (
              <tr key={attempt.id} className={`tone-${attemptTone(attempt)}`}>
                <td>{formatListTime(attempt.createdAt, now, language, timeZone)}</td>
                <td>
                  {attempt.mode === 'native' ? t('tender.wechatQr') : t('tender.wechatCode')}
                  <div className="stuck-ref">{attempt.authCodeMasked ?? attempt.outTradeNo}</div>
                </td>
                <td>{formatYuan(attempt.amountFen)}</td>
                <td>
                  {pick(describeAttempt(attempt, { now, online }), language)}
                  {attempt.superseded && <div className="stuck-ref">{t('stuck.superseded')}</div>}
                </td>
                <td>{pick(attemptActivity(attempt, now, online), language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="dialog-actions">
        <KeyButton label={t('stuck.refresh')} keyLabel="F5" ariaKeys="F5" onClick={() => void load()} />
      </div>
    </Dialog>
  );
}
