import { useEffect, useState } from 'react';
import { fen, formatYuan } from '../../shared/money';
import type { PendingItem, ShiftView } from '../../shared/shifts';
import { DenominationCount, type DenominationCountLabels } from '../components/denomination-count';
import { countsToSubmit, EMPTY_COUNTS, type CountTexts } from '../components/denomination-counts';
import { Feedback, PinInput } from './pin-input';
import './shift-close.css';
import { isPin, useManager } from './use-manager';

interface Counted {
  countedFen: number;
  expectedFen: number;
  differenceFen: number;
}

/**
 * 强制交班: the manager closes a shift its cashier left open (went home, fell ill, the terminal died). A real
 * store counts the drawer before closing, so when the cashier never counted, the manager counts it here with the
 * same denomination count; then the manager's PIN closes it (countersigning any difference, and closing with
 * unresolved WeChat payments, which the Z report lists as pending), and the Z report is printed.
 */
export function ShiftClosePanel({ shift, onClosed, onCancel }: { shift: ShiftView; onClosed: (message: string) => void; onCancel: () => void }) {
  const { api, m, text } = useManager();
  const [counts, setCounts] = useState<CountTexts>(EMPTY_COUNTS);
  const [counted, setCounted] = useState<Counted | null>(countedOf(shift));
  const [pending, setPending] = useState<PendingItem[] | null>(null);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const labels: DenominationCountLabels = {
    group: m('count.group'),
    denomination: m('count.denomination'),
    quantity: m('count.quantity'),
    subtotal: m('count.subtotal'),
    total: m('count.total'),
    quantityOf: (denomination) => m('count.quantityOf', { denomination }),
  };

  useEffect(() => {
    void api.call('shift.pending', { shiftId: shift.id }).then((r) => (r.ok ? setPending(r.value) : setError(r.error.message)));
  }, [api, shift.id]);

  const submitCount = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const r = await api.call('shift.count', { shiftId: shift.id, counts: countsToSubmit(counts) });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setCounted({ countedFen: r.value.countedFen, expectedFen: r.value.expectedFen, differenceFen: r.value.differenceFen });
    setPending(r.value.pending);
  };

  const close = async (): Promise<void> => {
    if (busy || !counted) return;
    if (!isPin(pin)) return setError(m('pin.format'));
    setBusy(true);
    const r = await api.call('shift.close', { shiftId: shift.id, managerPin: pin });
    if (!r.ok) {
      setBusy(false);
      setPin('');
      return setError(r.error.message);
    }
    const no = r.value.report.zNo ?? 0;
    const printed = await api.call('shift.print', { shiftId: shift.id, kind: 'Z' });
    setBusy(false);
    onClosed(printed.ok ? m('close.done', { no }) : m('close.printFailed', { no, reason: printed.error.message }));
  };

  const money = (value: number): string => formatYuan(fen(value));
  return (
    <section className="mgr-close-panel" aria-labelledby="mgr-close-title">
      <h3 id="mgr-close-title">{m('close.title')}</h3>
      <p className="mgr-muted">{m('close.help')}</p>
      {counted ? (
        <p className={counted.differenceFen !== 0 ? 'mgr-difference' : undefined} data-testid="close-counted">
          {m('close.countedBy', { counted: money(counted.countedFen), expected: money(counted.expectedFen), difference: money(counted.differenceFen) })}
        </p>
      ) : (
        <form
          className="mgr-close-count"
          onSubmit={(e) => {
            e.preventDefault();
            void submitCount();
          }}
        >
          <p>{m('close.countHelp')}</p>
          <DenominationCount texts={counts} onChange={setCounts} labels={labels} onSubmit={() => void submitCount()} disabled={busy} />
          <button type="submit" disabled={busy}>
            {m('close.submitCount')}
          </button>
        </form>
      )}
      {pending && pending.length === 0 && <p>{m('close.noPending')}</p>}
      {pending && pending.length > 0 && (
        <>
          <p className="mgr-difference">{m('close.pending', { n: pending.length })}</p>
          <ul>
            {pending.map((p) => (
              <li key={`${p.kind}-${p.id}`}>
                #{p.originTerminalId ? `${p.originTerminalId}-` : ''}{p.receiptNo} · {money(p.amountFen)} · {text(p.doing)}
              </li>
            ))}
          </ul>
        </>
      )}
      {counted && (
        <form
          className="mgr-toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            void close();
          }}
        >
          <PinInput value={pin} onChange={setPin} />
          <button type="submit" disabled={busy}>
            {m('close.submit')}
          </button>
          <button type="button" onClick={onCancel}>
            {m('close.cancel')}
          </button>
        </form>
      )}
      {!counted && (
        <button type="button" onClick={onCancel}>
          {m('close.cancel')}
        </button>
      )}
      <Feedback error={error} />
    </section>
  );
}

function countedOf(shift: ShiftView): Counted | null {
  const { countedFen, expectedCashFen, differenceFen } = shift;
  if (countedFen === null || expectedCashFen === null || differenceFen === null) return null;
  return { countedFen, expectedFen: expectedCashFen, differenceFen };
}
