import { storeZoneOffsetMs } from '../../shared/clock';
import { fen, formatYuan } from '../../shared/money';
import type { SaleView, TenderKind } from '../../shared/payments';
import { TENDER_LABELS, type ShiftReport } from '../../shared/shifts';
import { attemptsOf, refundShare, salesByHour, scanToResult, successRate, tenderMix, type HourBucket, type Slice } from './stats';
import { useManager } from './use-manager';

const TENDER_COLORS: Record<TenderKind, string> = { 'wechat-code': '#07a85a', 'wechat-qr': '#4a90d9', cash: '#e6a23c' };
const percent = (share: number | null): string => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
const seconds = (ms: number | null): string => (ms === null ? '—' : (ms / 1000).toFixed(1));

/** Plain SVG charts of one shift: sales by hour, tender mix, refund share, WeChat success rate and latency. */
export function ShiftCharts({ report, sales }: { report: ShiftReport; sales: SaleView[] | null }) {
  const { m, timeZone } = useManager();
  const offsetMs = storeZoneOffsetMs(report.openedAt, timeZone);
  const hours = salesByHour(sales ?? [], { from: report.openedAt, to: report.closedAt ?? report.generatedAt }, offsetMs);
  const attempts = attemptsOf(sales ?? []);
  const success = successRate(attempts);
  const latency = scanToResult(attempts);
  return (
    <div className="mgr-charts" aria-label={m('charts.title')} role="group">
      <figure className="mgr-chart">
        <figcaption>{m('charts.byHour')}</figcaption>
        <HourBars buckets={hours} offsetMs={offsetMs} />
      </figure>
      <figure className="mgr-chart">
        <figcaption>{m('charts.tenderMix')}</figcaption>
        <MixBar slices={tenderMix(report)} />
      </figure>
      <dl className="mgr-facts mgr-chart-facts">
        <dt>{m('charts.refundShare')}</dt>
        <dd>
          <Gauge share={refundShare(report)} color="#c62828" label={m('charts.refundShare')} />
        </dd>
        <dt>{m('charts.successRate')}</dt>
        <dd>
          <Gauge share={success.rate} color="#07a85a" label={m('charts.successRate')} />
          <span className="mgr-muted"> {m('charts.attempts', { paid: success.paid, total: success.total })}</span>
        </dd>
        <dt>{m('charts.latency')}</dt>
        <dd>
          {m('charts.p50')} {m('charts.seconds', { value: seconds(latency.p50) })} · {m('charts.p95')} {m('charts.seconds', { value: seconds(latency.p95) })}
        </dd>
      </dl>
    </div>
  );
}

function HourBars({ buckets, offsetMs }: { buckets: HourBucket[]; offsetMs: number }) {
  const { m } = useManager();
  const max = Math.max(0, ...buckets.map((b) => b.amountFen));
  if (max === 0) return <p className="mgr-muted">{m('charts.noData')}</p>;
  const width = 420;
  const height = 140;
  // A short shift still reads as a bar chart: bars are at most 48 units wide.
  const barWidth = Math.min(48, width / buckets.length);
  const hourLabel = (start: number): string => String(new Date(start + offsetMs).getUTCHours()).padStart(2, '0');
  const summary = buckets
    .filter((b) => b.amountFen > 0)
    .map((b) => `${hourLabel(b.start)}:00 ${formatYuan(fen(b.amountFen))}`)
    .join('，');
  return (
    <svg viewBox={`0 0 ${width} ${height + 18}`} className="mgr-svg" role="img" aria-label={`${m('charts.byHour')}：${summary}`}>
      {buckets.map((b, i) => {
        const h = Math.round((b.amountFen / max) * height);
        return (
          <g key={b.start}>
            <rect x={i * barWidth + 2} y={height - h} width={Math.max(1, barWidth - 4)} height={h} fill="#07a85a">
              <title>{`${hourLabel(b.start)}:00 ${formatYuan(fen(b.amountFen))} (${b.count})`}</title>
            </rect>
            {(buckets.length <= 12 || i % 2 === 0) && (
              <text x={i * barWidth + barWidth / 2} y={height + 14} fontSize="11" textAnchor="middle" fill="#555">
                {hourLabel(b.start)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function MixBar({ slices }: { slices: Slice[] }) {
  const { m, text } = useManager();
  if (slices.length === 0) return <p className="mgr-muted">{m('charts.noData')}</p>;
  let x = 0;
  const label = slices.map((s) => `${text(TENDER_LABELS[s.kind])} ${percent(s.share)}`).join('，');
  return (
    <>
      <svg viewBox="0 0 420 28" className="mgr-svg" role="img" aria-label={`${m('charts.tenderMix')}：${label}`}>
        {slices.map((s) => {
          const w = s.share * 420;
          const rect = <rect key={s.kind} x={x} y={0} width={w} height={28} fill={TENDER_COLORS[s.kind]} />;
          x += w;
          return rect;
        })}
      </svg>
      <ul className="mgr-legend">
        {slices.map((s) => (
          <li key={s.kind}>
            <span className="mgr-swatch" style={{ background: TENDER_COLORS[s.kind] }} aria-hidden="true" />
            {text(TENDER_LABELS[s.kind])} {formatYuan(fen(s.amountFen))} ({percent(s.share)})
          </li>
        ))}
      </ul>
    </>
  );
}

function Gauge({ share, color, label }: { share: number | null; color: string; label: string }) {
  return (
    <span className="mgr-gauge">
      <svg viewBox="0 0 100 10" width="100" height="10" role="img" aria-label={`${label} ${percent(share)}`}>
        <rect x={0} y={0} width={100} height={10} fill="#e4e6ea" />
        <rect x={0} y={0} width={(share ?? 0) * 100} height={10} fill={color} />
      </svg>
      <span>{percent(share)}</span>
    </span>
  );
}
