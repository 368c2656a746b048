import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../../shared/hub-reports-api';
import { firstDayOfMonth, lastDayOfMonth, monthOfDay } from '../../../electron/hub/projections/rollups';
import { periodSlices, type DayRange } from '../../../electron/hub/reports/panels';

const d = dayNumber;
const range = (from: string, to: string): DayRange => ({ from: d(from), to: d(to) });
const months = (from: string, to: string): DayRange => ({ from: monthOfDay(d(from)), to: monthOfDay(d(to)) });

describe('how a dashboard period is cut into month rollups and day rollups', () => {
  it('reads a calendar year as its twelve months, nothing else', () => {
    expect(periodSlices(d('2026-01-01'), d('2026-12-31'))).toEqual({ months: months('2026-01-01', '2026-12-01'), days: [], outside: [] });
  });

  it('reads Jan 2 – Dec 30 as the twelve months less Jan 1 and Dec 31, not as 60 edge days', () => {
    expect(periodSlices(d('2026-01-02'), d('2026-12-30'))).toEqual({
      months: months('2026-01-01', '2026-12-01'), days: [], outside: [range('2026-01-01', '2026-01-01'), range('2026-12-31', '2026-12-31')],
    });
  });

  it('reads edges of half a month or less as their days, and longer ones as their month less the days outside', () => {
    expect(periodSlices(d('2026-10-25'), d('2026-12-03'))).toEqual({
      months: months('2026-11-01', '2026-11-01'), days: [range('2026-10-25', '2026-10-31'), range('2026-12-01', '2026-12-03')], outside: [],
    });
    expect(periodSlices(d('2026-09-15'), d('2026-10-24'))).toEqual({
      months: months('2026-09-01', '2026-10-01'), days: [], outside: [range('2026-09-01', '2026-09-14'), range('2026-10-25', '2026-10-31')],
    });
    // Inside one month: exactly half is read as days, one day more as the month less the rest (both sides).
    expect(periodSlices(d('2026-11-01'), d('2026-11-15'))).toEqual({ months: null, days: [range('2026-11-01', '2026-11-15')], outside: [] });
    expect(periodSlices(d('2026-11-01'), d('2026-11-16'))).toEqual({ months: months('2026-11-01', '2026-11-01'), days: [], outside: [range('2026-11-17', '2026-11-30')] });
    expect(periodSlices(d('2026-11-03'), d('2026-11-27'))).toEqual({
      months: months('2026-11-01', '2026-11-01'), days: [], outside: [range('2026-11-01', '2026-11-02'), range('2026-11-28', '2026-11-30')],
    });
    // February's half is 14 days: 14 are read as days, 15 as the month less 13.
    expect(periodSlices(d('2026-02-01'), d('2026-02-14')).months).toBeNull();
    expect(periodSlices(d('2026-02-15'), d('2026-03-31'))).toEqual({ months: months('2026-03-01', '2026-03-01'), days: [range('2026-02-15', '2026-02-28')], outside: [] });
    expect(periodSlices(d('2026-02-14'), d('2026-03-31'))).toEqual({ months: months('2026-02-01', '2026-03-01'), days: [], outside: [range('2026-02-01', '2026-02-13')] });
    expect(periodSlices(d('2026-12-08'), d('2026-12-07'))).toEqual({ months: null, days: [], outside: [] });
  });

  it('covers every day of any period exactly once (months + days − outside) and reads at most 15 edge days a side', () => {
    for (let from = d('2025-12-01'); from <= d('2026-03-31'); from += 1) {
      for (let to = from; to <= from + 430; to += 1) {
        const slices = periodSlices(from, to);
        const times = new Map<number, number>();
        const add = (r: DayRange, by: number): void => {
          for (let day = r.from; day <= r.to; day += 1) times.set(day, (times.get(day) ?? 0) + by);
        };
        if (slices.months) add({ from: firstDayOfMonth(slices.months.from), to: lastDayOfMonth(slices.months.to) }, 1);
        for (const r of slices.days) add(r, 1);
        for (const r of slices.outside) add(r, -1);
        for (const [day, n] of times) {
          if (n !== (day >= from && day <= to ? 1 : 0)) throw new Error(`period ${from}–${to}: day ${day} counted ${n} times`);
        }
        for (let day = from; day <= to; day += 1) if (times.get(day) !== 1) throw new Error(`period ${from}–${to}: day ${day} missing`);
        for (const r of [...slices.days, ...slices.outside]) {
          if (r.to - r.from + 1 > 15) throw new Error(`period ${from}–${to}: an edge of ${r.to - r.from + 1} days`);
        }
        if (slices.days.length > 2 || slices.outside.length > 2) throw new Error(`period ${from}–${to}: more than two ranges`);
      }
    }
  });
});
