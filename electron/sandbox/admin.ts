import { z } from 'zod';
import type { ActiveFault, FaultSpec } from './faults';
import { faultSpecSchema } from './faults';
import { jsonResponse, textResponse, type SandboxRequest, type SandboxResponse } from './http';
import { sandboxPage } from './page';
import { PlantingError, type PlantPaymentInput, type PlantRefundInput } from './planting';
import type { SandboxNotificationView } from './notify/service';
import type { SandboxProfitSharing } from './profit-sharing-api';
import type { CustomerPayResult, SandboxOrderView, SandboxRefundView, SandboxReportView } from './views';

/**
 * The sandbox's own endpoints under /sandbox/: the page, the QR customer, the fault switches and read-only ledger
 * views. Never faulted, never signed: they are not part of the WeChat Pay protocol.
 */

export interface SandboxFaults {
  /** Switches a fault on; resolves once it is in force (for an outage: once the port refuses connections). */
  add(spec: FaultSpec): Promise<string>;
  /** Switches one fault off, or every fault without an id; an outage ends once the port listens again. */
  clear(id?: string): Promise<void>;
  list(): ActiveFault[];
}

export interface AdminDeps {
  mchid: string;
  faults: SandboxFaults;
  customerPay(codeUrl: string, options?: { delayMs?: number }): CustomerPayResult;
  listOrders(): SandboxOrderView[];
  listRefunds(): SandboxRefundView[];
  listReports(): SandboxReportView[];
  aids: SandboxAids;
  notifications: SandboxNotifications;
  profitSharing: SandboxProfitSharing;
}

/** The notifications the sandbox sends as WeChat does (notify/service.ts). */
export interface SandboxNotifications {
  /** Every notification with every delivery attempt: what was sent (headers, body), when, and the answer. */
  list(): SandboxNotificationView[];
  /** Sends everything due at the sandbox clock's now (payments and refunds become notifications here). */
  pump(): Promise<number>;
  /** Divides the retry schedule's waits (1 = real time). */
  setTimeFactor(factor: number): void;
  getTimeFactor(): number;
}

/**
 * Testing aids for someone evaluating reconciliation on day one: what happens on the merchant's account without
 * the POS, and the bill service's clock moved ahead so today's bill can be fetched today.
 */
export interface SandboxAids {
  plantPayment(input: PlantPaymentInput): SandboxOrderView;
  changeOrderAmount(outTradeNo: string, totalFen: number): SandboxOrderView;
  plantRefund(input: PlantRefundInput): SandboxRefundView;
  plantReversal(outTradeNo: string): SandboxOrderView;
  removeOrder(outTradeNo: string): { outTradeNo: string; refunds: number };
  shiftBillClock(byMs: number): number;
  billClockShiftMs(): number;
}

export interface AdminAnswer {
  response: SandboxResponse;
  /** Work to do once the answer is written (switching an outage on would otherwise cut this very answer). */
  afterResponse?: () => Promise<void>;
}

const customerPaySchema = z.object({
  code_url: z.string().min(1),
  delay_ms: z.number().int().nonnegative().max(86_400_000).optional(),
});

const outTradeNo = z.string().regex(/^[0-9A-Za-z_\-|*]{1,32}$/);
const fenAmount = z.number().int().positive().max(100_000_000_00);
const aidSchemas = {
  payment: z.strictObject({ total_fen: fenAmount, out_trade_no: outTradeNo.optional(), paid_at: z.number().int().nonnegative().optional() }),
  refund: z.strictObject({ out_trade_no: outTradeNo, refund_fen: fenAmount, out_refund_no: outTradeNo.optional() }),
  amount: z.strictObject({ out_trade_no: outTradeNo, total_fen: fenAmount }),
  reversal: z.strictObject({ out_trade_no: outTradeNo }),
  removal: z.strictObject({ out_trade_no: outTradeNo }),
  // At most 30 days either way: enough to fetch any recent day's bill.
  clock: z.strictObject({ shift_ms: z.number().int().min(-30 * 86_400_000).max(30 * 86_400_000) }),
};
type AidKind = keyof typeof aidSchemas;

/** Runs one testing aid; a refusal of the ledger (no such order, already refunded...) is a 409 with its reason. */
function runAid(deps: AdminDeps, kind: AidKind, req: SandboxRequest): AdminAnswer {
  const parsed = aidSchemas[kind].safeParse(readJson(req));
  if (!parsed.success) return badRequest(`invalid ${kind}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim());
  try {
    return { response: jsonResponse(200, applyAid(deps.aids, kind, parsed.data)) };
  } catch (error) {
    if (!(error instanceof PlantingError)) throw error;
    return { response: jsonResponse(409, { error: 'REFUSED', message: error.message }) };
  }
}

function applyAid(aids: SandboxAids, kind: AidKind, body: Record<string, unknown>): unknown {
  const no = typeof body.out_trade_no === 'string' ? body.out_trade_no : '';
  switch (kind) {
    case 'payment':
      return { order: aids.plantPayment({ totalFen: Number(body.total_fen), outTradeNo: body.out_trade_no as string | undefined, paidAt: body.paid_at as number | undefined }) };
    case 'refund':
      return { refund: aids.plantRefund({ outTradeNo: no, refundFen: Number(body.refund_fen), outRefundNo: body.out_refund_no as string | undefined }) };
    case 'amount':
      return { order: aids.changeOrderAmount(no, Number(body.total_fen)) };
    case 'reversal':
      return { order: aids.plantReversal(no) };
    case 'removal':
      return { removed: aids.removeOrder(no) };
    case 'clock':
      return { bill_clock_shift_ms: aids.shiftBillClock(Number(body.shift_ms)) };
  }
}

const timeFactorSchema = z.strictObject({ factor: z.number().min(1).max(100_000) });

function setTimeFactor(deps: AdminDeps, req: SandboxRequest): AdminAnswer {
  const parsed = timeFactorSchema.safeParse(readJson(req));
  if (!parsed.success) return badRequest('invalid time factor: {"factor": 1..100000}');
  deps.notifications.setTimeFactor(parsed.data.factor);
  return { response: jsonResponse(200, { time_factor: deps.notifications.getTimeFactor() }) };
}

const faultsBodySchema = z.union([
  z.strictObject({ clear: z.union([z.literal(true), z.string().min(1)]) }),
  faultSpecSchema,
]);

function readJson(req: SandboxRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const badRequest = (message: string): AdminAnswer => ({ response: jsonResponse(400, { error: 'BAD_REQUEST', message }) });

function customerPay(deps: AdminDeps, req: SandboxRequest): AdminAnswer {
  const parsed = customerPaySchema.safeParse(readJson(req));
  if (!parsed.success) return badRequest('expected JSON {"code_url": "...", "delay_ms": 0}');
  const result = deps.customerPay(parsed.data.code_url, { delayMs: parsed.data.delay_ms ?? 0 });
  const status = result.ok ? 200 : result.code === 'ORDERNOTEXIST' ? 404 : 409;
  return { response: jsonResponse(status, result) };
}

async function changeFaults(deps: AdminDeps, req: SandboxRequest): Promise<AdminAnswer> {
  const parsed = faultsBodySchema.safeParse(readJson(req));
  if (!parsed.success) return badRequest(`invalid fault: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  const body = parsed.data;
  if ('clear' in body) {
    await deps.faults.clear(body.clear === true ? undefined : body.clear);
    return { response: jsonResponse(200, { faults: deps.faults.list() }) };
  }
  if (body.kind === 'outage') {
    // Answer first, then stop listening: the caller learns the switch worked before the port goes away.
    const listed = [...deps.faults.list(), { ...body, id: 'pending', remaining: null }];
    return { response: jsonResponse(200, { faults: listed }), afterResponse: async () => void (await deps.faults.add(body)) };
  }
  await deps.faults.add(body);
  return { response: jsonResponse(200, { faults: deps.faults.list() }) };
}

function profitSharingView(deps: AdminDeps): Record<string, unknown> {
  const ps = deps.profitSharing;
  return { max_ratio_percent: ps.maxRatioPercent(), balances: ps.balances(), merchants: ps.merchants.list() };
}

const maxRatioSchema = z.strictObject({ percent: z.number().int().min(0).max(100) });

function setMaxRatio(deps: AdminDeps, req: SandboxRequest): AdminAnswer {
  let parsed;
  try {
    parsed = maxRatioSchema.safeParse(JSON.parse(req.body.toString('utf8')));
  } catch {
    return { response: jsonResponse(400, { error: 'BAD_REQUEST', message: 'body must be JSON {"percent": 0–100}' }) };
  }
  if (!parsed.success) return { response: jsonResponse(400, { error: 'BAD_REQUEST', message: 'body must be {"percent": 0–100}' }) };
  deps.profitSharing.setMaxRatioPercent(parsed.data.percent);
  return { response: jsonResponse(200, profitSharingView(deps)) };
}

export function isAdminPath(path: string): boolean {
  return path === '/sandbox' || path.startsWith('/sandbox/');
}

export async function handleAdmin(deps: AdminDeps, req: SandboxRequest): Promise<AdminAnswer> {
  const route = `${req.method} ${req.path.replace(/\/+$/, '') || '/'}`;
  switch (route) {
    case 'GET /sandbox':
      return {
        response: textResponse(
          200,
          'text/html; charset=utf-8',
          sandboxPage(deps.listOrders(), deps.mchid, deps.aids.billClockShiftMs(), deps.notifications.list()),
        ),
      };
    case 'POST /sandbox/customer/pay':
      return customerPay(deps, req);
    case 'GET /sandbox/admin/faults':
      return { response: jsonResponse(200, { faults: deps.faults.list() }) };
    case 'POST /sandbox/admin/faults':
      return changeFaults(deps, req);
    case 'DELETE /sandbox/admin/faults':
      await deps.faults.clear();
      return { response: jsonResponse(200, { faults: [] }) };
    case 'GET /sandbox/admin/orders':
      return { response: jsonResponse(200, { orders: deps.listOrders() }) };
    case 'GET /sandbox/admin/refunds':
      return { response: jsonResponse(200, { refunds: deps.listRefunds() }) };
    case 'GET /sandbox/admin/reports':
      return { response: jsonResponse(200, { reports: deps.listReports() }) };
    case 'POST /sandbox/admin/plant/payment':
      return runAid(deps, 'payment', req);
    case 'POST /sandbox/admin/plant/refund':
      return runAid(deps, 'refund', req);
    case 'POST /sandbox/admin/plant/amount':
      return runAid(deps, 'amount', req);
    case 'POST /sandbox/admin/plant/reversal':
      return runAid(deps, 'reversal', req);
    case 'POST /sandbox/admin/orders/remove':
      return runAid(deps, 'removal', req);
    case 'GET /sandbox/admin/clock':
      return { response: jsonResponse(200, { bill_clock_shift_ms: deps.aids.billClockShiftMs() }) };
    case 'POST /sandbox/admin/clock':
      return runAid(deps, 'clock', req);
    case 'GET /sandbox/admin/notifications':
      return { response: jsonResponse(200, { time_factor: deps.notifications.getTimeFactor(), notifications: deps.notifications.list() }) };
    case 'POST /sandbox/admin/notifications/pump':
      return { response: jsonResponse(200, { sent: await deps.notifications.pump() }) };
    case 'POST /sandbox/admin/notifications/time-factor':
      return setTimeFactor(deps, req);
    case 'GET /sandbox/admin/profit-sharing':
      return { response: jsonResponse(200, profitSharingView(deps)) };
    case 'POST /sandbox/admin/profit-sharing/max-ratio':
      return setMaxRatio(deps, req);
    default:
      return { response: jsonResponse(404, { error: 'NOT_FOUND', message: `no sandbox endpoint ${route}` }) };
  }
}
