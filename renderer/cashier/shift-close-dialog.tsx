import { useCallback, useEffect, useRef, useState } from 'react';
import { pick } from '../../shared/i18n';
import { formatYuan, type Fen } from '../../shared/money';
import { pendingStateWords, type PendingItem, type ShiftView, type WechatCheckResult } from '../../shared/shifts';
import { useApp } from '../app-context';
import { Dialog, KeyButton } from '../components/dialog';
import { DenominationCount } from '../components/denomination-count';
import { countsToSubmit, EMPTY_COUNTS, type CountTexts } from '../components/denomination-counts';
import { useInputLayer } from '../components/input-layers';
import { localized } from '../i18n/messages';
import { useCountLabels } from './count-labels';
import { ManagerPinField } from './refund-dialog';
import './shift.css';
import type { Counter } from './use-counter';

type Step = 'pending' | 'count' | 'close';

/** What the blind count showed once it was in: only now may the cashier see the expected cash. */
interface Counted {
  expectedFen: Fen;
  countedFen: Fen;
  differenceFen: Fen;
  /** Over the threshold: a manager countersigns. Unknown (null) when the dialog reopened after the count. */
  needsCountersign: boolean | null;
}

const POLL_MS = 1000;
/** Refusals that mean "a manager has to approve this close". */
const APPROVAL_CODES = new Set(['APPROVAL_REQUIRED', 'SHIFT_PENDING', 'APPROVAL_INVALID']);

/**
 * 交班 in three steps: (1) the WeChat payments still unresolved, and the pre-close check of every WeChat payment
 * against WeChat; (2) the blind count by denomination, the expected cash shown only after it is submitted;
 * (3) close, with a manager's PIN when the difference is over the limit or payments are unresolved. The Z
 * report is printed and the counter goes back to 开班.
 */
export function ShiftCloseDialog({ counter, shift, onClose }: { counter: Counter; shift: ShiftView; onClose: () => void }) {
  const { t, api } = useApp();
  // Reopened after the count (the dialog was left with Esc): straight to closing, with the stored figures.
  const stored = countedBefore(shift);
  const alreadyCounted = stored !== null;
  const [step, setStep] = useState<Step>(alreadyCounted ? 'close' : 'pending');
  const [pending, setPending] = useState<PendingItem[] | null>(null);
  const [check, setCheck] = useState<{ running: boolean; result: WechatCheckResult | null } | null>(null);
  const [counts, setCounts] = useState<CountTexts>(EMPTY_COUNTS);
  const [counted, setCounted] = useState<Counted | null>(stored);
  const [askPin, setAskPin] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const countLabels = useCountLabels();
  const shiftId = shift.id;

  const loadPending = useCallback(async () => {
    const result = await api.call('shift.pending', { shiftId });
    if (result.ok) setPending(result.value);
    else setProblem(result.error.message);
  }, [api, shiftId]);

  const loadCheck = useCallback(async () => {
    const result = await api.call('shift.checkResult', { shiftId });
    if (result.ok) setCheck(result.value);
  }, [api, shiftId]);

  const startCheck = useCallback(async () => {
    setCheck((current) => ({ running: true, result: current?.result ?? null }));
    const started = await api.call('shift.check', { shiftId });
    if (!started.ok) setProblem(started.error.message);
    await loadCheck();
  }, [api, shiftId, loadCheck]);

  // Step 1 starts the check at once: by the time the cashier has read the list, WeChat has usually answered.
  useEffect(() => {
    void loadPending();
    if (!alreadyCounted) void startCheck();
    else void loadCheck();
    const offs = [
      api.on('attempt.updated', () => void loadPending()),
      api.on('shift.updated', (view) => {
        if (view.id === shiftId) void loadCheck();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [api, shiftId, alreadyCounted, loadPending, loadCheck, startCheck]);

  // The check runs through the outbox: ask again until it is done.
  const running = check?.running ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void loadCheck(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, loadCheck]);

  const submitCount = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const result = await api.call('shift.count', { shiftId, counts: countsToSubmit(counts) });
    setBusy(false);
    if (!result.ok) return setProblem(result.error.message);
    setProblem(null);
    const { expectedFen, countedFen, differenceFen, needsCountersign } = result.value;
    setCounted({ expectedFen, countedFen, differenceFen, needsCountersign });
    setPending(result.value.pending);
    setAskPin(needsCountersign || result.value.pending.length > 0);
    setStep('close');
  };

  const pendingCount = pending?.length ?? 0;
  const needsPin = askPin || pendingCount > 0;
  const close = async (): Promise<void> => {
    const pin = pinRef.current?.value ?? '';
    if (busy) return;
    if (needsPin && !/^\d{4,8}$/.test(pin)) return setProblem(t('manager.pinFormat'));
    setBusy(true);
    const result = await api.call('shift.close', { shiftId, ...(needsPin ? { managerPin: pin } : {}) });
    if (!result.ok) {
      setBusy(false);
      // The figures changed since the count (a payment resolved or not): ask for the PIN with the reason shown.
      if (APPROVAL_CODES.has(result.error.code)) {
        setAskPin(true);
        void loadPending();
      }
      return setProblem(result.error.message);
    }
    const zNo = result.value.report.zNo ?? 0;
    const printed = await api.call('shift.print', { shiftId, kind: 'Z' });
    setBusy(false);
    counter.showNotice(printed.ok ? localized('shiftClose.done', { no: zNo }) : localized('shiftClose.printFailed', { no: zNo, reason: printed.error.message }));
    counter.setShift(null);
    onClose();
  };

  useInputLayer({
    onKey: (event) => {
      if (event.key === 'Escape') onClose();
      else if (event.key === 'Enter' && step === 'pending') setStep('count');
      else if (event.key === 'Enter' && step === 'count') void submitCount();
      else if (event.key === 'Enter' && step === 'close') void close();
      else if (event.key === 'F5' && step === 'pending') void Promise.all([loadPending(), startCheck()]);
      else return;
      event.preventDefault();
    },
    // While closing, a payment code scanned at the keyboard scanner must not start a sale on the counter below.
    onScan: () => true,
  });

  const differenceReason = counted !== null && counted.differenceFen !== 0 && (counted.needsCountersign ?? askPin);
  return (
    <Dialog title={t('shiftClose.title')} onClose={onClose} closeLabel={t('dialog.cancel')} wide testId="shift-close">
      <ol className="shift-steps" aria-label={t('shiftClose.steps')}>
        {(['pending', 'count', 'close'] as const).map((s) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} className={s === step ? 'current' : undefined}>
            {t(s === 'pending' ? 'shiftClose.stepPending' : s === 'count' ? 'shiftClose.stepCount' : 'shiftClose.stepClose')}
          </li>
        ))}
      </ol>
      {step === 'pending' && (
        <>
          <PendingList pending={pending} />
          <CheckResult check={check} />
          <div className="dialog-actions">
            <KeyButton label={t('shiftClose.checkAgain')} keyLabel="F5" ariaKeys="F5" onClick={() => void Promise.all([loadPending(), startCheck()])} />
            <KeyButton className="primary" label={t('shiftClose.toCount')} keyLabel="Enter" ariaKeys="Enter" onClick={() => setStep('count')} />
          </div>
        </>
      )}
      {step === 'count' && (
        <>
          <p className="dialog-help">{t('shiftClose.countHelp')}</p>
          <div className="shift-count-area">
            <DenominationCount texts={counts} onChange={setCounts} labels={countLabels} onSubmit={() => void submitCount()} autoFocus disabled={busy} />
          </div>
          <div className="dialog-actions">
            <KeyButton className="primary" label={t('shiftClose.submitCount')} keyLabel="Enter" ariaKeys="Enter" onClick={() => void submitCount()} disabled={busy} />
          </div>
        </>
      )}
      {step === 'close' && counted && (
        <>
          <CountedFigures counted={counted} />
          {needsPin && (
            <div className="shift-approval" role="note" aria-label={t('shiftClose.needsManager')}>
              <strong>{t('shiftClose.needsManager')}</strong>
              <ul>
                {differenceReason && <li>{t('shiftClose.reasonDifference', { amount: formatYuan(counted.differenceFen) })}</li>}
                {pendingCount > 0 && <li>{t('shiftClose.reasonPending', { n: pendingCount })}</li>}
              </ul>
            </div>
          )}
          {pendingCount > 0 && <PendingList pending={pending} />}
          {needsPin && <ManagerPinField inputRef={pinRef} autoFocus />}
          <div className="dialog-actions">
            <KeyButton className="primary" label={t('shiftClose.submit')} keyLabel="Enter" ariaKeys="Enter" onClick={() => void close()} disabled={busy} />
          </div>
        </>
      )}
      {problem && (
        <p className="dialog-error" role="alert">
          {problem}
        </p>
      )}
    </Dialog>
  );
}

function countedBefore(shift: ShiftView): Counted | null {
  const { countedFen, expectedCashFen, differenceFen } = shift;
  if (countedFen === null || expectedCashFen === null || differenceFen === null) return null;
  return { countedFen, expectedFen: expectedCashFen, differenceFen, needsCountersign: null };
}

function PendingList({ pending }: { pending: PendingItem[] | null }) {
  const { t, language } = useApp();
  if (pending === null) return <p>{t('stuck.loading')}</p>;
  if (pending.length === 0) {
    return (
      <p className="stuck-none" role="status">
        {t('shiftClose.pendingNone')}
      </p>
    );
  }
  return (
    <>
      <p className="dialog-help">{t('shiftClose.pendingSome', { n: pending.length })}</p>
      <table className="stuck-table" aria-label={t('shiftClose.pendingTable')}>
        <thead>
          <tr>
            <th scope="col">{t('shiftClose.receipt')}</th>
            <th scope="col">{t('shiftClose.amount')}</th>
            <th scope="col">{t('shiftClose.state')}</th>
            <th scope="col">{t('shiftClose.doing')}</th>
          </tr>
        </thead>
        <tbody>
          {pending.map((p) => (
            <tr key={`${p.kind}-${p.id}`}>
              <td>{p.originTerminalId ? `${p.originTerminalId}-${p.receiptNo}` : p.receiptNo}</td>
              <td>{formatYuan(p.amountFen)}</td>
              <td>{pick(pendingStateWords(p), language)}</td>
              <td>{pick(p.doing, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CheckResult({ check }: { check: { running: boolean; result: WechatCheckResult | null } | null }) {
  const { t } = useApp();
  const result = check?.result ?? null;
  return (
    <section className="shift-check" aria-labelledby="shift-check-title" aria-live="polite">
      <h3 id="shift-check-title">{t('shiftClose.checkTitle')}</h3>
      {check?.running ? (
        <p role="status">{t('shiftClose.checkRunning')}</p>
      ) : !result ? (
        <p>{t('shiftClose.checkNotRun')}</p>
      ) : (
        <>
          <p role="status" data-testid="check-result">
            {t('shiftClose.checkResult', {
              count: result.matchedCount,
              amount: formatYuan(result.matchedFen),
              refundCount: result.matchedRefundCount,
              refundAmount: formatYuan(result.matchedRefundFen),
            })}
          </p>
          {result.unchecked > 0 && <p className="dialog-error">{t('shiftClose.checkUnchecked', { n: result.unchecked })}</p>}
          {result.mismatches.length > 0 && (
            <>
              <p className="dialog-error">{t('shiftClose.checkMismatches', { n: result.mismatches.length })}</p>
              <ul className="shift-mismatches">
                {result.mismatches.map((m) => (
                  <li key={`${m.kind}-${m.ref}`}>
                    {t('shiftClose.mismatch', {
                      ref: m.ref,
                      local: formatYuan(m.localFen),
                      localState: m.localState,
                      wechat: m.wechatFen === null ? '—' : formatYuan(m.wechatFen),
                      wechatState: m.wechatState ?? '—',
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

function CountedFigures({ counted }: { counted: Counted }) {
  const { t } = useApp();
  const differs = counted.differenceFen !== 0;
  return (
    <dl className="shift-figures" data-testid="count-figures">
      <div>
        <dt>{t('shiftClose.counted')}</dt>
        <dd>{formatYuan(counted.countedFen)}</dd>
      </div>
      <div>
        <dt>{t('shiftClose.expected')}</dt>
        <dd>{formatYuan(counted.expectedFen)}</dd>
      </div>
      <div className={differs ? 'shift-difference' : undefined}>
        <dt>{t('shiftClose.difference')}</dt>
        <dd>{formatYuan(counted.differenceFen)}</dd>
      </div>
    </dl>
  );
}
