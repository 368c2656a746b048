import type { IncomingMessage, ServerResponse } from 'node:http';
import { HUB_ADMIN_OPERATIONS_PATHS, dateSchema } from '../../../shared/hub-admin-api';
import { assertMayRead, mayRead, readableStores } from '../access';
import type { UserRow } from '../db/users';
import { dayClose } from '../operations/day-close';
import { writeDayClosePdf } from '../operations/day-close-pdf';
import { saleDetail, shiftDetail } from '../operations/drill-down';
import { liveView } from '../operations/live';
import type { HubContext } from './context';
import { badRequest, sendJson } from './io';

const SEG = '([^/]{1,64})';
const P = '^/api/admin/v1/stores/' + SEG;
const DAY = new RegExp(`${P}/days/${SEG}$`);
const DAY_PDF = new RegExp(`${P}/days/${SEG}/pdf$`);
const SHIFT = new RegExp(`${P}/shifts/${SEG}/${SEG}$`);
const SALE = new RegExp(`${P}/sales/${SEG}/(\\d{1,12})$`);
/** The live stream also speaks every so often, so "online" turns to "offline" on the page when heartbeats stop. */
const LIVE_TICK_MS = 30_000;
/** Several pushes in a burst make one update. */
const LIVE_COALESCE_MS = 300;

/**
 * The operations pages' routes (shared/hub-admin-operations.ts): today live (JSON and an event stream), a store's
 * day close (JSON and PDF), a shift's and a sale's drill-down. Every route reads only stores the person may see.
 */
export async function routeOperations(ctx: HubContext, req: IncomingMessage, res: ServerResponse, path: string, user: UserRow): Promise<boolean> {
  if (req.method !== 'GET') return false;
  const db = ctx.database.db;
  const scope = await readableStores(db, user);
  const arg = (m: RegExpExecArray, i: number): string => decodeURIComponent(m[i] ?? '');
  if (path === HUB_ADMIN_OPERATIONS_PATHS.live) {
    sendJson(res, 200, await liveView(db, scope, ctx.clock.now()));
    return true;
  }
  if (path === HUB_ADMIN_OPERATIONS_PATHS.liveEvents) {
    streamLive(ctx, req, res, scope);
    return true;
  }
  const pdf = DAY_PDF.exec(path);
  const day = pdf ?? DAY.exec(path);
  if (day) {
    const storeId = arg(day, 1);
    const date = arg(day, 2);
    if (!dateSchema.safeParse(date).success) throw badRequest('date must be YYYY-MM-DD');
    assertMayRead(scope, storeId);
    const view = await dayClose(db, storeId, date);
    if (!pdf) {
      sendJson(res, 200, view);
      return true;
    }
    res.writeHead(200, {
      'content-type': 'application/pdf', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
      'content-disposition': `attachment; filename="day-close-${date}.pdf"; filename*=UTF-8''${encodeURIComponent(`日结-${view.storeName}-${date}.pdf`)}`,
    });
    writeDayClosePdf(view, res);
    return true;
  }
  const shift = SHIFT.exec(path);
  if (shift) {
    assertMayRead(scope, arg(shift, 1));
    sendJson(res, 200, await shiftDetail(db, arg(shift, 1), arg(shift, 2), arg(shift, 3)));
    return true;
  }
  const sale = SALE.exec(path);
  if (sale) {
    assertMayRead(scope, arg(sale, 1));
    sendJson(res, 200, await saleDetail(db, arg(sale, 1), arg(sale, 2), Number(arg(sale, 3))));
    return true;
  }
  return false;
}

/**
 * Server-sent events: the live view at once, then again (coalesced) whenever a visible store's counter pushes facts
 * or beats, and every 30 s. The session was checked when the stream opened; it ends when the browser goes away.
 */
function streamLive(ctx: HubContext, req: IncomingMessage, res: ServerResponse, scope: readonly string[] | null): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let pending: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const send = async (): Promise<void> => {
    pending = null;
    if (closed) return;
    try {
      const view = await liveView(ctx.database.db, scope, ctx.clock.now());
      if (!closed) res.write(`event: live\ndata: ${JSON.stringify(view)}\n\n`);
    } catch (error) {
      ctx.log.warn('hub: live view failed', { error: error instanceof Error ? error.message : String(error) });
    }
  };
  const soon = (): void => {
    pending ??= setTimeout(() => void send(), LIVE_COALESCE_MS);
  };
  const unsubscribe = ctx.events.subscribe((storeId) => {
    if (mayRead(scope, storeId)) soon();
  });
  const tick = setInterval(soon, LIVE_TICK_MS);
  tick.unref();
  const forget = ctx.events.addStream(() => res.end());
  req.on('close', () => {
    closed = true;
    unsubscribe();
    forget();
    clearInterval(tick);
    if (pending) clearTimeout(pending);
  });
  void send();
}
