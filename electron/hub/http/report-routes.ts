import type { IncomingMessage, ServerResponse } from 'node:http';
import { EXPORT_FORMATS, EXPORT_KINDS, HUB_REPORT_PATHS, reportQuerySchema, type ExportFormat, type ExportKind } from '../../../shared/hub-reports-api';
import { HUB_ADMIN_PREFIX } from '../../../shared/hub-admin-api';
import { listStores } from '../db/stores';
import { narrowStores, reportableStores } from '../reports/access';
import { dashboard } from '../reports/dashboard';
import { exportSource } from '../reports/export-sources';
import { writeCsv, writeXlsx } from '../reports/export-writers';
import type { UserRow } from '../db/users';
import type { HubContext } from './context';
import { badRequest, describeIssues, sendJson } from './io';

const EXPORT_PATH = new RegExp(`^${HUB_ADMIN_PREFIX}/exports/(${EXPORT_KINDS.join('|')})\\.(${EXPORT_FORMATS.join('|')})$`);

/**
 * The chain dashboards and exports (shared/hub-reports-api.ts), for a signed-in account. Every request is narrowed
 * to the stores the account may see (reports/access.ts) before anything is read. Returns false for other paths.
 */
export async function routeReports(ctx: HubContext, req: IncomingMessage, res: ServerResponse, url: URL, user: Pick<UserRow, 'user_id' | 'role'>): Promise<boolean> {
  const exportMatch = EXPORT_PATH.exec(url.pathname);
  if (!(url.pathname === HUB_REPORT_PATHS.dashboard || exportMatch) || req.method !== 'GET') return false;
  const db = ctx.database.db;
  const parsed = reportQuerySchema.safeParse({
    from: url.searchParams.get('from') ?? undefined,
    to: url.searchParams.get('to') ?? undefined,
    stores: url.searchParams.has('store') ? url.searchParams.getAll('store') : undefined,
    lang: url.searchParams.get('lang') ?? undefined,
  });
  if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
  const query = parsed.data;
  const all = await listStores(db);
  const stores = narrowStores(await reportableStores(db, user), query.stores, new Set(all.map((s) => s.store_id)));
  const visible = all.filter((s) => stores === 'all' || stores.includes(s.store_id));
  const names = new Map(visible.map((s) => [s.store_id, s.name]));
  // The rollups include every push acknowledged before this request (the rollup job rebuilds what they marked).
  await ctx.rollups.settle();

  if (!exportMatch) {
    sendJson(res, 200, await dashboard(db, query, stores, names));
    return true;
  }
  const kind = exportMatch[1] as ExportKind;
  const format = exportMatch[2] as ExportFormat;
  const source = exportSource(db, kind, query, stores, names);
  const file = `${kind}-${query.from}-${query.to}.${format}`;
  ctx.log.info('hub: export', { user: user.user_id, kind, format, from: query.from, to: query.to, stores: stores === 'all' ? 'all' : stores.length });
  res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="${file}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  const language = query.lang ?? 'zh';
  if (format === 'csv') await writeCsv(res, source, language);
  else await writeXlsx(res, source, language);
  return true;
}
