import type { PeriodMeasures } from '../../../shared/hub-reports-api';
import type { ChartOption } from './EChart';

/** ECharts options of the dashboard's charts, from the hub's measures (money in yuan on the axes). */
const yuan = (fen: number): number => Math.round(fen) / 100;
const grid = { left: 56, right: 16, top: 36, bottom: 28 };

export function hourChart(current: PeriodMeasures, previous: PeriodMeasures, names: { current: string; previous: string }): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category', data: current.byHour.map((h) => `${h.hour}`) },
    yAxis: { type: 'value' },
    series: [
      { name: names.current, type: 'bar', data: current.byHour.map((h) => h.count) },
      { name: names.previous, type: 'bar', data: previous.byHour.map((h) => h.count), itemStyle: { opacity: 0.45 } },
    ],
  };
}

export function weekdayChart(current: PeriodMeasures, weekdays: readonly string[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid,
    xAxis: { type: 'category', data: [...weekdays] },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: current.byWeekday.map((w) => yuan(w.amountFen)) }],
  };
}

export function tenderChart(current: PeriodMeasures, kindName: (kind: string) => string): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: ￥{c} ({d}%)' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['35%', '65%'], data: current.tenders.map((t) => ({ name: kindName(t.kind), value: yuan(t.amountFen) })) }],
  };
}

export function ticketChart(current: PeriodMeasures, bucketName: (upToFen: number | null, index: number) => string): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid,
    xAxis: { type: 'category', data: current.ticketDistribution.map((b, i) => bucketName(b.upToFen, i)) },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: current.ticketDistribution.map((b) => b.count) }],
  };
}

export function funnelChart(current: PeriodMeasures, steps: { scanned: string; sent: string; paid: string }): ChartOption {
  const f = current.funnel;
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [{
      type: 'funnel', sort: 'descending', left: 20, right: 20, top: 10, bottom: 10, label: { formatter: '{b}: {c}' },
      data: [{ name: steps.scanned, value: f.scanned }, { name: steps.sent, value: f.sent }, { name: steps.paid, value: f.paid }],
    }],
  };
}

export function latencyChart(current: PeriodMeasures, over: string): ChartOption {
  const l = current.latency;
  return {
    tooltip: { trigger: 'axis' },
    grid,
    xAxis: { type: 'category', data: [...l.edgesMs.map((e) => `≤${e / 1000}s`), over] },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: l.counts }],
  };
}
