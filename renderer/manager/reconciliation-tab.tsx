import { useState } from 'react';
import { fen, formatYuan } from '../../shared/money';
import { MISMATCH_LABELS, type BillProblemView, type ReconciliationMismatchView } from '../../shared/shifts';
import { beijingDate, formatStoreDateTime, storeDayStart } from '../../shared/clock';
import { HubManagedNote, useHubManaged } from './hub-managed-note';
import { Feedback, PinInput } from './pin-input';
import { isPin, useLoad, useManager } from './use-manager';

const money = (value: number | null): string => (value === null ? '—' : formatYuan(fen(value)));

/** WeChat's daily bills and every difference found, with the shift and cashier it belongs to. */
export function ReconciliationTab() {
  const { api, m, time } = useManager();
  // Enrolled with a hub: the hub's reconciliation (every counter of the store) is the one shown; this one stays.
  const hubUrl = useHubManaged();
  const [openOnly, setOpenOnly] = useState(true);
  const bills = useLoad(api, 'reconciliation.bills', { limit: 30 }, 'reconciliation.updated');
  const problems = useLoad(api, 'reconciliation.problems', { limit: 30 }, 'reconciliation.updated');
  const mismatches = useLoad(api, 'reconciliation.mismatches', { openOnly, limit: 500 }, 'reconciliation.updated');
  const users = useLoad(api, 'auth.listUsers', {});
  const [pin, setPin] = useState('');
  // WeChat's bills are Beijing days, whatever the store's own time zone.
  const [date, setDate] = useState(beijingDate(Date.now() - 24 * 60 * 60 * 1000));
  const [resolving, setResolving] = useState<ReconciliationMismatchView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);

  const cashierName = (id: string | null): string => (id === null ? '—' : (users.value?.find((u) => u.id === id)?.name ?? id));
  const redownload = async (billDate: string): Promise<void> => {
    if (!isPin(pin)) return setError(m('pin.format'));
    const r = await api.call('reconciliation.redownload', { billDate, managerPin: pin });
    setPin('');
    if (!r.ok) return setError(r.error.message);
    setError(null);
    // WeChat makes a day's bill from 10:00 (Beijing) the next day: a download asked for earlier waits until then.
    const readyAt = storeDayStart(billDate, 'Asia/Shanghai') + 34 * 60 * 60 * 1000;
    setOk(Date.now() < readyAt ? m('recon.redownloadLater', { date: billDate, ready: formatStoreDateTime(readyAt, 'Asia/Shanghai').slice(0, 16) }) : m('recon.redownloadDone', { date: billDate }));
    bills.reload();
  };

  return (
    <section className="mgr-section" aria-labelledby="mgr-bills-title">
      <HubManagedNote hubUrl={hubUrl} what="reconciliation" />
      <div className="mgr-toolbar">
        <h2 id="mgr-bills-title">{m('recon.bills')}</h2>
        <PinInput value={pin} onChange={setPin} />
        <label>
          {m('recon.billDate')}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <button type="button" onClick={() => void redownload(date)}>
          {m('recon.redownloadDate')}
        </button>
      </div>
      <Feedback error={error ?? bills.error} ok={ok} />
      {problems.value && problems.value.length > 0 && (
        <ProblemList rows={problems.value} onRedownload={(billDate) => void redownload(billDate)} />
      )}
      {bills.value?.length === 0 && <p className="mgr-empty">{m('recon.noBills')}</p>}
      {bills.value && bills.value.length > 0 && (
        <table className="mgr-table" aria-label={m('recon.bills')}>
          <thead>
            <tr>
              <th>{m('recon.billDate')}</th>
              <th>{m('recon.billState')}</th>
              <th className="num">{m('recon.lines')}</th>
              <th>{m('recon.downloaded')}</th>
              <th>{m('recon.reconciled')}</th>
              <th className="num">{m('recon.open')}</th>
              <th>{m('recon.redownload')}</th>
            </tr>
          </thead>
          <tbody>
            {bills.value.map((b) => (
              <tr key={b.billDate} className={b.openMismatches > 0 ? 'mgr-row-differs' : undefined}>
                <td>{b.billDate}</td>
                <td>{b.state === 'bill' ? m('recon.hasBill') : m('recon.noBill')}</td>
                <td className="num">{b.lineCount}</td>
                <td>{time(b.downloadedAt)}</td>
                <td>{time(b.reconciledAt)}</td>
                <td className="num">{b.openMismatches}</td>
                <td>
                  <button type="button" onClick={() => void redownload(b.billDate)} aria-label={`${m('recon.redownload')} ${b.billDate}`}>
                    {m('recon.redownload')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="mgr-toolbar">
        <h2>{m('recon.mismatches')}</h2>
        <label className="mgr-check">
          <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} />
          {m('recon.openOnly')}
        </label>
      </div>
      {mismatches.error && <Feedback error={mismatches.error} />}
      {mismatches.value?.length === 0 && <p className="mgr-empty">{m('recon.noMismatches')}</p>}
      {mismatches.value && mismatches.value.length > 0 && (
        <MismatchTable rows={mismatches.value} cashierName={cashierName} onResolve={setResolving} />
      )}
      {resolving && (
        <ResolveForm
          mismatch={resolving}
          onDone={() => {
            setResolving(null);
            mismatches.reload();
            bills.reload();
          }}
        />
      )}
    </section>
  );
}

function MismatchTable({
  rows,
  cashierName,
  onResolve,
}: {
  rows: ReconciliationMismatchView[];
  cashierName: (id: string | null) => string;
  onResolve: (row: ReconciliationMismatchView) => void;
}) {
  const { m, text } = useManager();
  return (
    <table className="mgr-table" aria-label={m('recon.mismatches')}>
      <thead>
        <tr>
          <th>{m('recon.billDate')}</th>
          <th>{m('recon.class')}</th>
          <th>{m('recon.order')}</th>
          <th className="num">{m('recon.local')}</th>
          <th className="num">{m('recon.wechat')}</th>
          <th>{m('recon.receipt')}</th>
          <th>{m('report.shift')}</th>
          <th>{m('shifts.cashier')}</th>
          <th>{m('recon.resolve')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>{r.billDate}</td>
            <td className={r.class === 'only-in-wechat' ? 'mgr-bad' : undefined}>{text(MISMATCH_LABELS[r.class])}</td>
            <td className="mgr-ref">
              {r.outTradeNo}
              {r.outRefundNo && <span> / {r.outRefundNo}</span>}
            </td>
            <td className="num">
              {money(r.localFen)} {r.localState ?? ''}
            </td>
            <td className="num">
              {money(r.wechatFen)} {r.wechatState ?? ''}
            </td>
            <td>{r.receiptNo ?? '—'}</td>
            <td className="mgr-ref">{r.shiftId ?? '—'}</td>
            <td>{cashierName(r.cashierId)}</td>
            <td>
              {r.resolvedAt !== null ? (
                m('recon.resolved', { note: r.note ?? '' })
              ) : (
                <button type="button" onClick={() => onResolve(r)} aria-label={`${m('recon.resolve')} ${r.outTradeNo}`}>
                  {m('recon.resolve')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ResolveForm({ mismatch, onDone }: { mismatch: ReconciliationMismatchView; onDone: () => void }) {
  const { api, m } = useManager();
  const [note, setNote] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (): Promise<void> => {
    if (!note.trim()) return setError(m('recon.note'));
    if (!isPin(pin)) return setError(m('pin.format'));
    const r = await api.call('reconciliation.resolve', { id: mismatch.id, note: note.trim(), managerPin: pin });
    setPin('');
    if (!r.ok) return setError(r.error.message);
    onDone();
  };
  return (
    <form
      className="mgr-card mgr-form"
      aria-label={m('recon.resolveTitle', { ref: mismatch.outTradeNo })}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{m('recon.resolveTitle', { ref: mismatch.outTradeNo })}</h3>
      <label>
        {m('recon.note')}
        <textarea value={note} maxLength={500} rows={3} autoFocus onChange={(e) => setNote(e.target.value)} />
      </label>
      <PinInput value={pin} onChange={setPin} />
      <div className="mgr-actions">
        <button type="submit" className="primary">
          {m('recon.submit')}
        </button>
        <button type="button" onClick={onDone}>
          {m('recon.cancel')}
        </button>
      </div>
      <Feedback error={error} />
    </form>
  );
}

/** Days whose bill could not be read (账单格式无法识别, with line and column) or fetched in time. */
function ProblemList({ rows, onRedownload }: { rows: BillProblemView[]; onRedownload: (billDate: string) => void }) {
  const { m, time } = useManager();
  const headline = (p: BillProblemView): string => {
    if (p.kind === 'deadline') return m('recon.deadline');
    if (p.line !== null && p.column !== null) return m('recon.unreadableAt', { line: String(p.line), column: p.column });
    if (p.line !== null) return m('recon.unreadableLine', { line: String(p.line) });
    return m('recon.unreadable');
  };
  return (
    <div className="mgr-problems" role="alert" aria-label={m('recon.problems')}>
      <h3>{m('recon.problems')}</h3>
      <ul>
        {rows.map((p) => (
          <li key={p.billDate} className="mgr-bad">
            <strong>{p.billDate}</strong> {headline(p)} · {time(p.detectedAt)}
            <button type="button" onClick={() => onRedownload(p.billDate)} aria-label={`${m('recon.redownload')} ${p.billDate}`}>
              {m('recon.redownload')}
            </button>
            <details>
              <summary>{m('recon.problemDetail')}</summary>
              <p>{p.detail}</p>
              {p.rawPath && (
                <p>
                  {m('recon.rawFile')}: <code>{p.rawPath}</code>
                </p>
              )}
              {p.sha1 && <p>SHA-1 {p.sha1}</p>}
              <p>{m('recon.problemHelp')}</p>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
