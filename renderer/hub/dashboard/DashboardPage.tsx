import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  EXPORT_FORMATS, EXPORT_KINDS, HUB_REPORT_PATHS, reportQueryString, type DashboardAnswer, type HeadlineMeasures, type ReportQuery,
} from '../../../shared/hub-reports-api';
import { HubApiError, hubRequest } from '../client/hub-client';
import { useHubShell } from '../shell/context';
import { chinaDate, money } from '../shell/format';
import { navigate, useHubLocation } from '../shell/router';
import { EChart } from './EChart';
import { funnelChart, hourChart, latencyChart, tenderChart, ticketChart, weekdayChart } from './charts';
import { addDays, change, percent, seconds } from './format';

type Answer = { state: 'loading' } | { state: 'ready'; answer: DashboardAnswer } | { state: 'failed'; message: string };

/**
 * The chain dashboard (#/dashboard?from=&to=&store=): headline measures against the previous period, charts of
 * sales by hour and weekday, tender mix, ticket sizes, the WeChat funnel and scan-to-result times, failure and
 * refund reasons, a per-store table, and the period's exports. The period and store live in the address, so a
 * reload or a shared link shows the same view. The store list is the shell's (only the stores the person may see);
 * the hub checks it again.
 */
export function DashboardPage() {
  const { t, stores, pick } = useHubShell();
  const { params } = useHubLocation();
  const today = chinaDate(Date.now());
  const from = params.get('from') ?? addDays(today, -6);
  const to = params.get('to') ?? today;
  const store = params.get('store') ?? '';
  const [draft, setDraft] = useState({ from, to, store });
  const [answer, setAnswer] = useState<Answer>({ state: 'loading' });
  useEffect(() => setDraft({ from, to, store }), [from, to, store]);

  const query: ReportQuery = useMemo(() => ({ from, to, ...(store ? { stores: [store] } : {}) }), [from, to, store]);
  useEffect(() => {
    let live = true;
    setAnswer({ state: 'loading' });
    hubRequest<DashboardAnswer>('GET', `${HUB_REPORT_PATHS.dashboard}?${reportQueryString(query)}`)
      .then((a) => live && setAnswer({ state: 'ready', answer: a }))
      .catch((e: unknown) => live && setAnswer({ state: 'failed', message: e instanceof HubApiError ? pick(e.text) : String(e) }));
    return () => {
      live = false;
    };
  }, [query, pick]);

  const show = (next: { from: string; to: string; store: string }): void => navigate('dashboard', { from: next.from, to: next.to, ...(next.store ? { store: next.store } : {}) });
  const badPeriod = draft.from > draft.to;
  return (
    <section className="hub-page" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t('dashboard.title')}</h1>
      <form className="hub-toolbar" onSubmit={(e) => { e.preventDefault(); if (!badPeriod) show(draft); }}>
        <label>{t('dashboard.from')} <input type="date" value={draft.from} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value })} /></label>
        <label>{t('dashboard.to')} <input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} /></label>
        <label>{t('dashboard.store')}{' '}
          <select value={draft.store} onChange={(e) => setDraft({ ...draft, store: e.target.value })}>
            <option value="">{t('dashboard.allStores')}</option>
            {stores.map((s) => <option key={s.storeId} value={s.storeId}>{s.name}</option>)}
          </select>
        </label>
        <button type="submit" disabled={badPeriod}>{t('dashboard.show')}</button>
        <button type="button" onClick={() => show({ from: addDays(today, -6), to: today, store: draft.store })}>{t('dashboard.last7')}</button>
        <button type="button" onClick={() => show({ from: addDays(today, -29), to: today, store: draft.store })}>{t('dashboard.last30')}</button>
        {badPeriod ? <p className="hub-error" role="alert">{t('dashboard.badPeriod')}</p> : null}
      </form>
      {answer.state === 'loading' ? <p className="hub-muted" role="status">{t('dashboard.loading')}</p> : null}
      {answer.state === 'failed' ? <p className="hub-error" role="alert">{t('dashboard.error', { message: answer.message })}</p> : null}
      {answer.state === 'ready' ? <Dashboard answer={answer.answer} query={query} /> : null}
    </section>
  );
}

function Dashboard({ answer, query }: { answer: DashboardAnswer; query: ReportQuery }) {
  const { t, language } = useHubShell();
  const now = answer.current;
  const before = answer.previous;
  const ms = (value: number | null, samples: number): string => (value === null ? (samples > 0 ? t('dashboard.overLast') : t('dashboard.none')) : seconds(value));
  const names = { current: t('dashboard.current'), previous: t('dashboard.previousShort') };
  const weekdays = t('dashboard.weekdays').split(',');
  const edges = now.ticketDistribution.map((b) => b.upToFen);
  const bucketName = (upTo: number | null, i: number): string =>
    upTo === null ? t('dashboard.over', { yuan: (edges[i - 1] ?? 0) / 100 }) : t('dashboard.under', { yuan: upTo / 100 });
  const kindName = (kind: string): string => (kind === 'cash' || kind === 'wechat-code' || kind === 'wechat-qr' ? t(`dashboard.${kind}`) : kind);
  const l = now.latency;
  const options = useMemo(() => ({
    hour: hourChart(now, before, names), weekday: weekdayChart(now, weekdays), tender: tenderChart(now, kindName), ticket: ticketChart(now, bucketName),
    funnel: funnelChart(now, { scanned: t('dashboard.scanned'), sent: t('dashboard.sent'), paid: t('dashboard.paid') }), latency: latencyChart(now, t('dashboard.overLast')),
  // The options depend on the answer and the language only (the helpers above are remade each render).
  }), [answer, language]);
  return (
    <>
      <p className="hub-muted">{t('dashboard.previous', { from: answer.previousPeriod.from, to: answer.previousPeriod.to })}</p>
      <Headline now={now.headline} before={before.headline} />
      <div className="hub-grid">
        <Panel title={t('dashboard.byHour')}><EChart option={options.hour} label={t('dashboard.byHour')} /></Panel>
        <Panel title={t('dashboard.byWeekday')}><EChart option={options.weekday} label={t('dashboard.byWeekday')} /></Panel>
        <Panel title={t('dashboard.tenders')}>
          <EChart option={options.tender} label={t('dashboard.tenders')} />
          <Table head={[t('dashboard.tenders'), t('dashboard.count'), t('dashboard.amount')]} rows={now.tenders.map((x) => [kindName(x.kind), x.count, money(x.amountFen)])} />
        </Panel>
        <Panel title={t('dashboard.tickets')}><EChart option={options.ticket} label={t('dashboard.tickets')} /></Panel>
        <Panel title={t('dashboard.funnel')}>
          <EChart option={options.funnel} label={t('dashboard.funnel')} height={200} />
          <Table head={[t('dashboard.scanned'), t('dashboard.sent'), t('dashboard.paid'), t('dashboard.failed'), t('dashboard.abandoned'), t('dashboard.needsAttention')]}
            rows={[[now.funnel.scanned, now.funnel.sent, now.funnel.paid, now.funnel.failed, now.funnel.abandoned, now.funnel.needsAttention]]} />
          <Table caption={t('dashboard.failures')} head={[t('dashboard.code'), t('dashboard.count')]} rows={now.funnel.failures.map((f) => [f.code, f.count])} />
        </Panel>
        <Panel title={t('dashboard.latency')}>
          <EChart option={options.latency} label={t('dashboard.latency')} />
          <p>{t('dashboard.p50')}: {ms(l.p50Ms, l.samples)}</p>
          <p>{l.peakSlowShare === null ? t('dashboard.noPeak') : `${t('dashboard.peak', { hours: l.peakHours.map((h) => `${h}:00`).join('、'), seconds: l.slowThresholdMs / 1000 })}: ${percent(l.peakSlowShare) ?? ''}`}</p>
        </Panel>
        <Panel title={t('dashboard.refunds')}>
          <Table head={[t('dashboard.reason'), t('dashboard.count'), t('dashboard.amount')]}
            rows={now.refunds.byReason.map((r) => [r.reason || t('dashboard.noReason'), r.count, money(r.amountFen)])} />
        </Panel>
        <Panel title={t('dashboard.exports')}>
          <ul>
            {EXPORT_KINDS.map((kind) => (
              <li key={kind}>{t(`dashboard.export.${kind}`)}:{' '}
                {EXPORT_FORMATS.map((format) => (
                  <a key={format} href={`${HUB_REPORT_PATHS.export(kind, format)}?${reportQueryString({ ...query, lang: language === 'en' ? 'en' : 'zh' })}`} download
                    style={{ marginRight: 8 }}>{`${t(`dashboard.export.${kind}`)} ${format.toUpperCase()}`}</a>
                ))}
              </li>
            ))}
          </ul>
        </Panel>
      </div>
      <h2>{t('dashboard.byStore')}</h2>
      <Table caption={t('dashboard.byStore')}
        head={[t('dashboard.storeName'), t('dashboard.sales'), t('dashboard.salesCount'), t('dashboard.averageTicket'), t('dashboard.successRate'), t('dashboard.refundShare'), t('dashboard.p95')]}
        rows={answer.byStore.map((s) => [s.name, money(s.current.salesFen), s.current.salesCount, nullable(s.current.averageTicketFen, money), percent(s.current.successRate) ?? '—',
          percent(s.current.refundShare, 2) ?? '—', s.current.latencyP95Ms === null ? '—' : seconds(s.current.latencyP95Ms)])} />
    </>
  );
}

const nullable = <T,>(value: T | null, show: (v: T) => string): string => (value === null ? '—' : show(value));

/** The headline cards: each a labelled group (name, value, change against the previous period). */
function Headline({ now, before }: { now: HeadlineMeasures; before: HeadlineMeasures }) {
  const { t } = useHubShell();
  const cards: [string, string, string | null][] = [
    [t('dashboard.sales'), money(now.salesFen), change(now.salesFen, before.salesFen)],
    [t('dashboard.salesCount'), String(now.salesCount), change(now.salesCount, before.salesCount)],
    [t('dashboard.averageTicket'), nullable(now.averageTicketFen, money), change(now.averageTicketFen, before.averageTicketFen)],
    [t('dashboard.successRate'), percent(now.successRate) ?? '—', change(now.successRate, before.successRate)],
    [t('dashboard.refundShare'), percent(now.refundShare, 2) ?? '—', change(now.refundShare, before.refundShare)],
    [t('dashboard.p95'), now.latencyP95Ms === null ? '—' : seconds(now.latencyP95Ms), change(now.latencyP95Ms, before.latencyP95Ms)],
  ];
  return (
    <div className="hub-grid" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))' }}>
      {cards.map(([name, value, delta]) => (
        <div key={name} className="hub-card" role="group" aria-label={name} style={{ padding: 12 }}>
          <div className="hub-muted">{name}</div>
          <div data-testid="measure" style={{ fontSize: 22, fontWeight: 'bold' }}>{value}</div>
          <div className="hub-muted">{delta === null ? t('dashboard.noPrevious') : t('dashboard.vsPrevious', { change: delta })}</div>
        </div>
      ))}
    </div>
  );
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="hub-card" aria-label={title} style={{ padding: 12 }}>
      <h2 style={{ fontSize: 16, margin: '0 0 8px' }}>{title}</h2>
      {children}
    </section>
  );
}

function Table({ head, rows, caption }: { head: string[]; rows: (string | number)[][]; caption?: string }) {
  return (
    <table className="hub-table" aria-label={caption}>
      {caption ? <caption style={{ textAlign: 'left' }}>{caption}</caption> : null}
      <thead><tr>{head.map((h) => <th key={h}>{h}</th>)}</tr></thead>
      <tbody>{rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
    </table>
  );
}
