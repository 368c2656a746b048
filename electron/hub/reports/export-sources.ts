import { sql } from 'kysely';
import { dayNumber, type ExportKind, type ReportQuery } from '../../../shared/hub-reports-api';
import type { HubDb } from '../db/database';
import { COUNTED_REFUND_STATES_SQL, STORE_UTC_OFFSET_MS, dayStartMs } from '../projections/rollups';
import type { PanelScope } from './panels';

/**
 * What each export holds, read from the database in keyset pages (PAGE rows, ordered by the store and an indexed
 * time, then the row's key): a year of a chain is never in memory, only one page at a time. Money columns are
 * integer fen here and written as yuan numbers by the writers; times are ms, written as local time text.
 */
export const PAGE = 1000;

export type ColumnType = 'text' | 'integer' | 'money' | 'time';
export interface ExportColumn {
  zh: string;
  en: string;
  type: ColumnType;
}
export type Cell = string | number | null;

export interface ExportSource {
  title: { zh: string; en: string };
  columns: ExportColumn[];
  pages(): AsyncGenerator<Cell[][]>;
}

const col = (zh: string, en: string, type: ColumnType): ExportColumn => ({ zh, en, type });

function storeIn(scope: PanelScope, column: string) {
  if (scope.stores === 'all') return sql<boolean>`1 = 1`;
  if (scope.stores.length === 0) return sql<boolean>`1 = 0`;
  return sql<boolean>`${sql.ref(column)} in (${sql.join(scope.stores.map((s) => sql`${s}`))})`;
}

export function exportSource(db: HubDb, kind: ExportKind, query: ReportQuery, stores: PanelScope['stores'], storeNames: ReadonlyMap<string, string>): ExportSource {
  const scope: PanelScope = { stores, fromDay: dayNumber(query.from), toDay: dayNumber(query.to) };
  const fromMs = dayStartMs(scope.fromDay);
  const toMs = dayStartMs(scope.toDay + 1);
  const name = (storeId: string): string => storeNames.get(storeId) ?? storeId;
  switch (kind) {
    case 'sales':
      return {
        title: { zh: '销售', en: 'Sales' },
        columns: [
          col('门店', 'Store', 'text'), col('终端', 'Terminal', 'text'), col('小票号', 'Receipt no.', 'integer'), col('状态', 'State', 'text'),
          col('开单时间', 'Rung up', 'time'), col('收款时间', 'Paid at', 'time'), col('金额(元)', 'Total (¥)', 'money'),
          col('现金(元)', 'Cash (¥)', 'money'), col('微信(元)', 'WeChat (¥)', 'money'), col('收银员', 'Cashier', 'text'), col('班次', 'Shift', 'text'),
        ],
        async *pages() {
          let after: [string, number, string, number] | null = null;
          for (;;) {
            const paidTender = (kinds: string[]) => sql<number>`(select cast(coalesce(sum(t.amount_fen), 0) as bigint) from hub_tenders t
              where t.terminal_id = hub_sales.terminal_id and t.sale_id = hub_sales.sale_id and t.state = 'paid'
              and t.kind in (${sql.join(kinds.map((k) => sql`${k}`))}))`;
            let q = db.selectFrom('hub_sales')
              .select(['store_id', 'terminal_id', 'sale_id', 'receipt_terminal', 'receipt_no', 'state', 'created_at', 'paid_at', 'total_fen', 'cashier_id', 'shift_id'])
              .select([paidTender(['cash']).as('cash_fen'), paidTender(['wechat-code', 'wechat-qr']).as('wechat_fen')])
              .where(storeIn(scope, 'store_id')).where('created_at', '>=', fromMs).where('created_at', '<', toMs);
            if (after) {
              const a = after;
              q = q.where((eb) => eb(eb.refTuple('store_id', 'created_at', 'terminal_id', 'sale_id'), '>', eb.tuple(a[0], a[1], a[2], a[3])));
            }
            const rows = await q.orderBy('store_id').orderBy('created_at').orderBy('terminal_id').orderBy('sale_id').limit(PAGE).execute();
            if (rows.length > 0) {
              yield rows.map((r) => [name(r.store_id), r.receipt_terminal, r.receipt_no, r.state, r.created_at, r.paid_at, r.total_fen, r.cash_fen, r.wechat_fen, r.cashier_id, r.shift_id]);
            }
            const last = rows.at(-1);
            if (!last || rows.length < PAGE) return;
            after = [last.store_id, last.created_at, last.terminal_id, last.sale_id];
          }
        },
      };
    case 'refunds':
      return {
        title: { zh: '退款', en: 'Refunds' },
        columns: [
          col('门店', 'Store', 'text'), col('终端', 'Terminal', 'text'), col('退款号', 'Refund no.', 'integer'), col('原小票终端', 'Sale terminal', 'text'),
          col('原小票号', 'Sale receipt no.', 'integer'), col('方式', 'Kind', 'text'), col('状态', 'State', 'text'), col('金额(元)', 'Amount (¥)', 'money'),
          col('计入', 'Counted', 'integer'), col('原因', 'Reason', 'text'), col('申请时间', 'Requested at', 'time'), col('完成时间', 'Finished at', 'time'),
          col('批准人', 'Approved by', 'text'),
        ],
        async *pages() {
          let after: [string, number, string, number] | null = null;
          for (;;) {
            let q = db.selectFrom('hub_refunds')
              .select(['store_id', 'terminal_id', 'refund_id', 'sale_receipt_terminal', 'sale_receipt_no', 'kind', 'state', 'amount_fen', 'reason', 'requested_at', 'finished_at', 'approved_by'])
              .select(sql<number>`case when state in ${sql.raw(COUNTED_REFUND_STATES_SQL)} then 1 else 0 end`.as('counted'))
              .where(storeIn(scope, 'store_id')).where('requested_at', '>=', fromMs).where('requested_at', '<', toMs);
            if (after) {
              const a = after;
              q = q.where((eb) => eb(eb.refTuple('store_id', 'requested_at', 'terminal_id', 'refund_id'), '>', eb.tuple(a[0], a[1], a[2], a[3])));
            }
            const rows = await q.orderBy('store_id').orderBy('requested_at').orderBy('terminal_id').orderBy('refund_id').limit(PAGE).execute();
            if (rows.length > 0) {
              yield rows.map((r) => [name(r.store_id), r.terminal_id, r.refund_id, r.sale_receipt_terminal, r.sale_receipt_no, r.kind, r.state, r.amount_fen, r.counted, r.reason, r.requested_at, r.finished_at, r.approved_by]);
            }
            const last = rows.at(-1);
            if (!last || rows.length < PAGE) return;
            after = [last.store_id, last.requested_at, last.terminal_id, last.refund_id];
          }
        },
      };
    case 'shifts':
      return {
        title: { zh: '班次', en: 'Shifts' },
        columns: [
          col('门店', 'Store', 'text'), col('终端', 'Terminal', 'text'), col('班次', 'Shift', 'text'), col('收银员', 'Cashier', 'text'), col('状态', 'State', 'text'),
          col('开班时间', 'Opened at', 'time'), col('交班时间', 'Closed at', 'time'), col('备用金(元)', 'Opening float (¥)', 'money'),
          col('应有现金(元)', 'Cash expected (¥)', 'money'), col('实点现金(元)', 'Cash counted (¥)', 'money'), col('差额(元)', 'Difference (¥)', 'money'),
          col('Z 报表号', 'Z no.', 'integer'),
        ],
        async *pages() {
          let after: [string, number, string, string] | null = null;
          for (;;) {
            let q = db.selectFrom('hub_shifts')
              .select(['store_id', 'terminal_id', 'shift_id', 'cashier_name', 'state', 'opened_at', 'closed_at', 'opening_float_fen', 'expected_cash_fen', 'counted_fen', 'difference_fen', 'z_no'])
              .where(storeIn(scope, 'store_id')).where('opened_at', '>=', fromMs).where('opened_at', '<', toMs);
            if (after) {
              const a = after;
              q = q.where((eb) => eb(eb.refTuple('store_id', 'opened_at', 'terminal_id', 'shift_id'), '>', eb.tuple(a[0], a[1], a[2], a[3])));
            }
            const rows = await q.orderBy('store_id').orderBy('opened_at').orderBy('terminal_id').orderBy('shift_id').limit(PAGE).execute();
            if (rows.length > 0) {
              yield rows.map((r) => [name(r.store_id), r.terminal_id, r.shift_id, r.cashier_name, r.state, r.opened_at, r.closed_at, r.opening_float_fen, r.expected_cash_fen, r.counted_fen, r.difference_fen, r.z_no]);
            }
            const last = rows.at(-1);
            if (!last || rows.length < PAGE) return;
            after = [last.store_id, last.opened_at, last.terminal_id, last.shift_id];
          }
        },
      };
    case 'day-closes':
      return dayClosesSource(db, scope, fromMs, toMs, storeNames);
  }
}

/**
 * One row per store and local day: paid sales and counted refunds (from the rollups, the same numbers as the
 * dashboard) and the cash of the shifts closed that day (expected, counted, difference). One store at a time.
 */
function dayClosesSource(db: HubDb, scope: PanelScope, fromMs: number, toMs: number, storeNames: ReadonlyMap<string, string>): ExportSource {
  return {
    title: { zh: '日结', en: 'Day closes' },
    columns: [
      col('门店', 'Store', 'text'), col('日期', 'Date', 'text'), col('销售笔数', 'Sales', 'integer'), col('销售额(元)', 'Sales (¥)', 'money'),
      col('退款笔数', 'Refunds', 'integer'), col('退款额(元)', 'Refunded (¥)', 'money'), col('已交班次', 'Shifts closed', 'integer'),
      col('应有现金(元)', 'Cash expected (¥)', 'money'), col('实点现金(元)', 'Cash counted (¥)', 'money'), col('差额(元)', 'Difference (¥)', 'money'),
    ],
    async *pages() {
      const storeIds = scope.stores === 'all' ? [...storeNames.keys()].sort() : [...scope.stores].sort();
      for (const storeId of storeIds) {
        const [sales, refunds, shifts] = await Promise.all([
          db.selectFrom('hub_rollup_hours').select(['day', sql<number>`cast(sum(sales_count) as bigint)`.as('count'), sql<number>`cast(sum(sales_fen) as bigint)`.as('fen')])
            .where('store_id', '=', storeId).where('day', '>=', scope.fromDay).where('day', '<=', scope.toDay).groupBy('day').execute(),
          db.selectFrom('hub_rollup_days').select(['day', sql<number>`cast(sum(count) as bigint)`.as('count'), sql<number>`cast(sum(amount_fen) as bigint)`.as('fen')])
            .where('store_id', '=', storeId).where('metric', '=', 'refund').where('day', '>=', scope.fromDay).where('day', '<=', scope.toDay).groupBy('day').execute(),
          db.selectFrom('hub_shifts')
            .select([
              sql<number>`((closed_at + ${sql.lit(STORE_UTC_OFFSET_MS)}) / 86400000)`.as('day'), sql<number>`count(*)`.as('count'),
              sql<number>`cast(coalesce(sum(expected_cash_fen), 0) as bigint)`.as('expected'), sql<number>`cast(coalesce(sum(counted_fen), 0) as bigint)`.as('counted'),
              sql<number>`cast(coalesce(sum(difference_fen), 0) as bigint)`.as('difference'),
            ])
            .where('store_id', '=', storeId).where('state', '=', 'closed').where('closed_at', '>=', fromMs).where('closed_at', '<', toMs)
            .groupBy(sql`((closed_at + ${sql.lit(STORE_UTC_OFFSET_MS)}) / 86400000)`).execute(),
        ]);
        const days = [...new Set([...sales, ...refunds, ...shifts].map((r) => Number(r.day)))].sort((a, b) => a - b);
        if (days.length === 0) continue;
        yield days.map((day) => {
          const s = sales.find((r) => Number(r.day) === day);
          const r = refunds.find((x) => Number(x.day) === day);
          const sh = shifts.find((x) => Number(x.day) === day);
          return [
            storeNames.get(storeId) ?? storeId, new Date(day * 86_400_000).toISOString().slice(0, 10), s?.count ?? 0, s?.fen ?? 0, r?.count ?? 0, r?.fen ?? 0,
            Number(sh?.count ?? 0), sh?.expected ?? 0, sh?.counted ?? 0, sh?.difference ?? 0,
          ];
        });
      }
    },
  };
}
