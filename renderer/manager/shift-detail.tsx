import { useEffect, useState } from 'react';
import { fen, formatYuan } from '../../shared/money';
import type { SaleView } from '../../shared/payments';
import { TENDER_LABELS, type CashierFigure, type ShiftReport, type ShiftView, type TenderFigure } from '../../shared/shifts';
import { base64ToBytes, downloadBlob } from './download';
import { ShiftCharts } from './shift-charts';
import { ShiftClosePanel } from './shift-close-panel';
import { useManager } from './use-manager';

const money = (value: number | null): string => (value === null ? '—' : formatYuan(fen(value)));

/** One shift's X report (open) or Z report (closed) on screen, with reprint, exports and charts; an open one can be closed here. */
export function ShiftDetail({ shift, onBack, onShiftChanged }: { shift: ShiftView; onBack: () => void; onShiftChanged?: (shift: ShiftView) => void }) {
  const { api, m, time } = useManager();
  const kind = shift.state === 'closed' ? 'Z' : 'X';
  const [report, setReport] = useState<ShiftReport | null>(null);
  const [intact, setIntact] = useState(true);
  const [sales, setSales] = useState<SaleView[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);

  useEffect(() => {
    const load = async (): Promise<void> => {
      if (kind === 'Z') {
        const z = await api.call('shift.zReport', { shiftId: shift.id });
        if (!z.ok) return setError(z.error.message);
        setReport(z.value.report);
        setIntact(z.value.intact);
      } else {
        const x = await api.call('shift.xReport', { shiftId: shift.id });
        if (!x.ok) return setError(x.error.message);
        setReport(x.value);
      }
      const recent = await api.call('sale.listRecent', { from: shift.openedAt, to: shift.closedAt ?? Date.now(), limit: 500 });
      if (recent.ok) setSales(recent.value.filter((s) => s.shiftId === shift.id));
    };
    void load();
  }, [api, shift, kind]);

  const reprint = async (): Promise<void> => {
    const r = await api.call('shift.print', { shiftId: shift.id, kind });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setMessage(m('report.printed', { copy: r.value.copy ? m('report.copy') : m('report.original') }));
  };
  const exportCsv = async (): Promise<void> => {
    const r = await api.call('shift.exportCsv', { shiftId: shift.id, kind });
    if (!r.ok) return setError(r.error.message);
    downloadBlob(new Blob([r.value.text], { type: 'text/csv;charset=utf-8' }), r.value.fileName);
    setMessage(m('report.exported', { file: r.value.fileName }));
  };
  const exportPdf = async (): Promise<void> => {
    const r = await api.call('shift.exportPdf', { shiftId: shift.id, kind });
    if (!r.ok) return setError(r.error.message);
    downloadBlob(new Blob([base64ToBytes(r.value.base64)], { type: 'application/pdf' }), r.value.fileName);
    setMessage(m('report.exported', { file: r.value.fileName }));
  };

  const closed = async (done: string): Promise<void> => {
    setClosing(false);
    setMessage(done);
    const fresh = await api.call('shift.get', { shiftId: shift.id });
    if (fresh.ok) onShiftChanged?.(fresh.value);
  };

  const title = report?.kind === 'Z' ? m('report.z', { no: report.zNo ?? '—' }) : m('report.x');
  return (
    <section className="mgr-section" aria-labelledby="mgr-report-title">
      <div className="mgr-toolbar">
        <button type="button" onClick={onBack}>
          ← {m('common.back')}
        </button>
        <h2 id="mgr-report-title" className="mgr-report-title">
          {title} · {shift.cashierName}
        </h2>
        <button type="button" onClick={() => void reprint()}>
          {m('report.print')}
        </button>
        <button type="button" onClick={() => void exportCsv()}>
          {m('report.exportCsv')}
        </button>
        <button type="button" onClick={() => void exportPdf()}>
          {m('report.exportPdf')}
        </button>
        {shift.state === 'open' && !closing && (
          <button type="button" className="mgr-danger" onClick={() => setClosing(true)}>
            {m('close.action')}
          </button>
        )}
      </div>
      {closing && <ShiftClosePanel shift={shift} onClosed={(done) => void closed(done)} onCancel={() => setClosing(false)} />}
      {message && (
        <p className="mgr-ok" role="status">
          {message}
        </p>
      )}
      {error && (
        <p className="mgr-error" role="alert">
          {error}
        </p>
      )}
      {!intact && (
        <p className="mgr-error" role="alert">
          {m('report.intactNo')}
        </p>
      )}
      {!report && !error && <p>{m('common.loading')}</p>}
      {report && (
        <div className="mgr-report-grid">
          <ReportView report={report} />
          <ShiftCharts report={report} sales={sales} />
        </div>
      )}
      <p className="mgr-muted">
        {m('report.shift')} {shift.id} · {m('report.generated')} {time(report?.generatedAt ?? null)}
      </p>
    </section>
  );
}

function TenderTable({ caption, rows, count, amountFen }: { caption: string; rows: TenderFigure[]; count: number; amountFen: number }) {
  const { m, text } = useManager();
  return (
    <table className="mgr-table mgr-report-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th>{m('report.tender')}</th>
          <th className="num">{m('report.count')}</th>
          <th className="num">{m('report.amount')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.kind}>
            <td>{text(TENDER_LABELS[r.kind])}</td>
            <td className="num">{r.count}</td>
            <td className="num">{money(r.amountFen)}</td>
          </tr>
        ))}
        <tr className="mgr-total">
          <td>{m('report.total')}</td>
          <td className="num">{count}</td>
          <td className="num">{money(amountFen)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function ByCashier({ caption, rows }: { caption: string; rows: CashierFigure[] }) {
  const { m } = useManager();
  if (rows.length === 0) return null;
  return (
    <table className="mgr-table mgr-report-table">
      <caption>{caption}</caption>
      <tbody>
        {rows.map((r) => (
          <tr key={r.cashierId}>
            <td>{r.cashierName ?? r.cashierId}</td>
            <td className="num">
              {r.count} · {m('report.count')}
            </td>
            <td className="num">{money(r.amountFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReportView({ report }: { report: ShiftReport }) {
  const { m, time, text } = useManager();
  const c = report.cash;
  const differs = c.differenceFen !== null && c.differenceFen !== 0;
  const check = report.wechatCheck;
  return (
    <div className="mgr-report" data-testid="shift-report">
      <p className="mgr-muted">
        {m('report.terminal')} {report.terminalId} · {time(report.openedAt)} – {time(report.closedAt)}
      </p>
      <TenderTable caption={m('report.sales')} rows={report.sales.byTender} count={report.sales.count} amountFen={report.sales.amountFen} />
      <TenderTable caption={m('report.refunds')} rows={report.refunds.byTender} count={report.refunds.count} amountFen={report.refunds.amountFen} />
      <ByCashier caption={m('report.voids')} rows={report.voids} />
      <ByCashier caption={m('report.superseded')} rows={report.superseded} />
      <dl className="mgr-facts">
        <dt>{m('report.noSales')}</dt>
        <dd>{report.noSales}</dd>
        <dt>{m('report.cashIn')}</dt>
        <dd>
          {report.cashIn.count} · {money(report.cashIn.amountFen)}
        </dd>
        <dt>{m('report.cashOut')}</dt>
        <dd>
          {report.cashOut.count} · {money(report.cashOut.amountFen)}
        </dd>
        <dt>{m('report.openingFloat')}</dt>
        <dd>{money(c.openingFloatFen)}</dd>
        <dt>{m('report.cashSales')}</dt>
        <dd>{money(c.cashSalesFen)}</dd>
        <dt>{m('report.cashRefunds')}</dt>
        <dd>{money(c.cashRefundsFen)}</dd>
        <dt>{m('shifts.expected')}</dt>
        <dd>{money(c.expectedFen)}</dd>
        <dt>{m('shifts.counted')}</dt>
        <dd>{money(c.countedFen)}</dd>
        <dt>{m('shifts.difference')}</dt>
        <dd className={differs ? 'mgr-difference' : undefined}>{money(c.differenceFen)}</dd>
        {report.countersignedBy && (
          <>
            <dt>{m('report.countersigned')}</dt>
            <dd>{report.countersignedByName ?? report.countersignedBy}</dd>
          </>
        )}
        <dt>{m('report.wechatCheck')}</dt>
        <dd>
          {check
            ? [
                m('report.matched', { count: check.matchedCount, amount: money(check.matchedFen), refundCount: check.matchedRefundCount, refundAmount: money(check.matchedRefundFen) }),
                check.mismatches.length > 0 ? m('report.checkMismatches', { count: check.mismatches.length }) : '',
                check.unchecked > 0 ? m('report.unchecked', { count: check.unchecked }) : '',
              ]
                .filter(Boolean)
                .join('；')
            : m('report.notChecked')}
        </dd>
      </dl>
      {report.pending.length > 0 && (
        <table className="mgr-table mgr-report-table">
          <caption>{m('report.pending')}</caption>
          <tbody>
            {report.pending.map((p) => (
              <tr key={`${p.kind}-${p.id}`}>
                <td>#{p.originTerminalId ? `${p.originTerminalId}-` : ''}{p.receiptNo}</td>
                <td className="mgr-ref">{p.ref}</td>
                <td className="num">{money(p.amountFen)}</td>
                <td>{text(p.doing)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(report.paymentAlerts ?? []).length > 0 && (
        <table className="mgr-table mgr-report-table">
          <caption>{m('report.paymentAlerts')}</caption>
          <tbody>
            {(report.paymentAlerts ?? []).map((a) => (
              <tr key={a.saleId}>
                <td>#{a.receiptNo}</td>
                <td>{time(a.paidAt)}</td>
                <td className="num">{money(a.amountFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
