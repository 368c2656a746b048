import { channel } from 'node:diagnostics_channel';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../shared/clock';
import { silentLogger, type Logger } from '../../shared/log';
import { openDatabase } from '../db/open';
import type { WechatCredentials } from '../wechat/types';
import { handleAdmin, isAdminPath, type AdminDeps, type SandboxFaults, type SandboxNotifications } from './admin';
import { loadOrCreateIdentity, type SandboxIdentity } from './certs';
import { FaultSwitches, tamperBody, type ActiveFault } from './faults';
import { BodyTooLargeError, jsonResponse, nginxErrorPage, readRequest, writeResponse, type SandboxRequest, type SandboxResponse } from './http';
import { sandboxMigrations } from './ledger/migrations';
import { Listener } from './listener';
import { createMerchantDirectory } from './merchants';
import { DEFAULT_MAX_RATIO_PERCENT, SPLIT_SETTLE_MS, type ProfitSharingSettings } from './profit-sharing';
import { createSandboxProfitSharing, type SandboxProfitSharing } from './profit-sharing-api';
import { createPoster } from './notify/deliver';
import { NotificationService } from './notify/service';
import { changeOrderAmount, plantPayment, plantRefund, plantReversal, removeOrder, type PlantPaymentInput, type PlantRefundInput } from './planting';
import { payCodeUrl } from './trades';
import type { V2Deps } from './v2/payments';
import { handleV2, isV2Path, v2RateLimited, v2SystemError } from './v2/routes';
import { merchantPublicKeyPem, type V3SigningMode } from './v3/protocol';
import { handleV3, isV3Path, v3RateLimited, v3SystemError } from './v3/routes';
import type { V3Deps } from './v3/shape';
import {
  customerPayResult,
  orderView,
  refundView,
  reportViews,
  settledOrderViews,
  settledRefundViews,
  type CustomerPayResult,
  type SandboxOrderView,
  type SandboxRefundView,
  type SandboxReportView,
} from './views';

export type { SandboxFaults, SandboxNotifications } from './admin';
export type { SandboxNotificationView } from './notify/service';
export { RETRY_SCHEDULE_MS } from './notify/service';
export type { FaultSpec, ActiveFault } from './faults';
export type { CustomerPayResult, SandboxOrderView, SandboxRefundView, SandboxReportView } from './views';
export type { V3SigningMode } from './v3/protocol';
export type { ReceiverBalance } from './profit-sharing-views';
export type { SandboxProfitSharing } from './profit-sharing-api';

export interface SandboxOptions {
  /** 0 (default) = any free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Ledger database and generated keys/certificates are kept here; omitted = in memory, new keys every start. */
  dataDir?: string;
  clock?: Clock;
  /** HTTPS with the sandbox's own CA (default). Without TLS no client certificate exists, so secapi paths refuse. */
  tls?: boolean;
  logger?: Logger;
  /**
   * Notifications (notify/service.ts): how often a real-time pump sends what is due (ms; omitted = no pump, the
   * caller drives `notifications.pump()` as tests do), the retry schedule's time factor (default 1), and extra CA
   * certificates to trust when a notify_url is HTTPS with a private CA.
   */
  notifyPumpMs?: number;
  notifyTimeFactor?: number;
  notifyCaPems?: readonly string[];
}

/** The test merchant's credentials, shaped like the app's settings plus where to reach the sandbox. */
export interface SandboxCredentials {
  mchid: string;
  appid: string;
  apiKeyV2: string;
  apiV3Key: string;
  merchantPrivateKeyPem: string;
  merchantCertSerial: string;
  wechatPayPublicKeyPem: string;
  wechatPayPublicKeyId: string;
  clientCertPem: string;
  clientKeyPem: string;
  caCertPem: string;
  baseUrl: string;
  /** Service-provider mode: the test merchant is also the service provider (服务商) with these ids. */
  spMchid: string;
  spAppid: string;
  /** The sub-merchant (特约商户) under the service provider. */
  subMchid: string;
  /** A merchant that can be added as a profit-sharing receiver (name: SANDBOX_RECEIVER_NAME in merchants.ts). */
  receiverMchid: string;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly credentials: SandboxCredentials;
  /**
   * The sandbox's own CA certificate as a PEM file (`<data-dir>/ca.pem`), for a browser or curl to trust its HTTPS
   * page; null for an in-memory sandbox. A public certificate: no key is in it.
   */
  readonly caFile: string | null;
  /** For the older v3 verification mode (see setV3SigningMode). */
  readonly platformCertificate: { serial: string; pem: string };
  readonly faults: SandboxFaults;
  /** Payment and refund notifications to the orders' notify_url, with every delivery attempt recorded. */
  readonly notifications: SandboxNotifications;
  readonly profitSharing: SandboxProfitSharing;
  /** The customer scans a native QR's code_url and pays it delayMs later (sandbox clock). */
  customerPay(codeUrl: string, options?: { delayMs?: number }): CustomerPayResult;
  listOrders(): SandboxOrderView[];
  getOrder(outTradeNo: string): SandboxOrderView | null;
  listRefunds(outTradeNo?: string): SandboxRefundView[];
  listReports(): SandboxReportView[];
  /** A payment the POS never made. */
  plantPayment(input: PlantPaymentInput): SandboxOrderView;
  /** Makes WeChat's record of an order's amount differ from what the POS recorded. */
  changeOrderAmount(outTradeNo: string, totalFen: number): SandboxOrderView;
  /** A refund made outside the app (merchant platform): SUCCESS at once. */
  plantRefund(input: PlantRefundInput): SandboxRefundView;
  /** A paid order reversed at WeChat without the app (the bill then shows it REVOKED). */
  plantReversal(outTradeNo: string): SandboxOrderView;
  /** Removes an order and its refunds from the ledger: the app's record is then "only local". */
  removeOrder(outTradeNo: string): { outTradeNo: string; refunds: number };
  /** Moves the bill service's clock ahead (or back) by `byMs`; returns the total shift. Bills only, see server.ts. */
  shiftBillClock(byMs: number): number;
  billClockShiftMs(): number;
  /** Which key signs v3 answers: WeChat Pay public key (default) or the platform certificate. */
  setV3SigningMode(mode: V3SigningMode): void;
  /** The /sandbox/ page and admin calls answered in-process (the web host serves them under its own origin). */
  handleAdminRequest(req: { method: string; path: string; body: Buffer }): Promise<SandboxResponse>;
  close(): Promise<void>;
}

export function credentialsOf(identity: SandboxIdentity, baseUrl: string): SandboxCredentials {
  const merchants = createMerchantDirectory(identity);
  const credentials = {
    mchid: identity.mchid,
    appid: identity.appid,
    apiKeyV2: identity.apiKeyV2,
    apiV3Key: identity.apiV3Key,
    merchantPrivateKeyPem: identity.merchantKeyPem,
    merchantCertSerial: identity.merchantCertSerial,
    wechatPayPublicKeyPem: identity.wechatPayPublicKeyPem,
    wechatPayPublicKeyId: identity.wechatPayPublicKeyId,
    clientCertPem: identity.merchantCertPem,
    clientKeyPem: identity.merchantKeyPem,
    caCertPem: identity.caCertPem,
    baseUrl,
    spMchid: merchants.spMchid,
    spAppid: merchants.spAppid,
    subMchid: merchants.subMchid,
    receiverMchid: merchants.receiverMchid,
  } satisfies WechatCredentials & Record<string, string>;
  return credentials;
}

/**
 * Benchmarks watch the sandbox's side of each call here (published only while someone subscribes, so the sandbox
 * behaves the same either way): `{ path, status, receivedNs, answeredNs }`, hrtime nanoseconds from the request
 * reaching the handler to the answer's last byte handed to the socket.
 */
export const SANDBOX_ANSWER_CHANNEL = 'pos.sandbox.answer';
export interface SandboxAnswerTiming {
  path: string;
  status: number;
  receivedNs: number;
  answeredNs: number;
}
const answerChannel = channel(SANDBOX_ANSWER_CHANNEL);
const hrNs = (): number => Number(process.hrtime.bigint());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The answer a fault gives instead of (or after) the real one. */
function faultAnswer(fault: ActiveFault, api: 'v2' | 'v3', v2: V2Deps, v3: V3Deps, req: SandboxRequest): SandboxResponse {
  switch (fault.kind) {
    case 'http-5xx': {
      const status = fault.status ?? 502;
      return nginxErrorPage(status, status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Temporarily Unavailable' : 'Internal Server Error');
    }
    case 'system-error':
      return api === 'v2' ? v2SystemError(v2, req) : v3SystemError(v3);
    case 'rate-limit':
      return api === 'v2' ? v2RateLimited(v2, req, fault.v2Code ?? 'FREQUENCY_LIMITED') : v3RateLimited(v3);
    default:
      throw new Error(`fault ${fault.kind} has no answer of its own`);
  }
}

/** Faults that answer without touching the ledger (unless `processed`: then the ledger moves first). */
const answersBeforeProcessing = (f: ActiveFault): boolean =>
  f.kind === 'rate-limit' || ((f.kind === 'http-5xx' || f.kind === 'system-error') && f.processed !== true);

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const tls = options.tls ?? true;
  const identity = await loadOrCreateIdentity(options.dataDir);
  const db = openDatabase(options.dataDir === undefined ? ':memory:' : join(options.dataDir, 'ledger.sqlite'), sandboxMigrations);
  const switches = new FaultSwitches();
  let signingMode: V3SigningMode = 'public-key';
  let baseUrl = '';
  let closed = false;
  // Testing aid: how far the bill service's clock runs ahead, so today's bill can be fetched today. Only the
  // bills see it: signatures keep the real time (both sides refuse v3 timestamps more than 5 minutes off).
  let billClockShiftMs = 0;
  const billNow = (): number => clock.now() + billClockShiftMs;
  const merchants = createMerchantDirectory(identity);
  const psSettings: ProfitSharingSettings = { maxRatioPercent: DEFAULT_MAX_RATIO_PERCENT, settleMs: SPLIT_SETTLE_MS };
  const v2: V2Deps = { identity, clock, db, billNow, merchants, profitSharing: psSettings };
  const v3: V3Deps = {
    identity,
    clock,
    db,
    billNow,
    signingMode: () => signingMode,
    merchantPublicKeyPem: merchantPublicKeyPem(identity),
    baseUrl: () => baseUrl,
    billFiles: new Map(),
    merchants,
    profitSharing: psSettings,
  };

  const outageTimers = new Map<string, NodeJS.Timeout>();
  const faults: SandboxFaults = {
    async add(spec) {
      const fault = switches.add(spec);
      if (fault.kind === 'outage') {
        await listener.stop();
        if (fault.durationMs !== undefined) {
          const timer = setTimeout(() => {
            faults.clear(fault.id).catch((error: unknown) => logger.error('sandbox: ending the outage failed', { error: String(error) }));
          }, fault.durationMs);
          outageTimers.set(fault.id, timer);
        }
      }
      return fault.id;
    },
    async clear(id) {
      const removed = switches.remove(id);
      for (const fault of removed) {
        clearTimeout(outageTimers.get(fault.id));
        outageTimers.delete(fault.id);
      }
      if (!closed && removed.some((f) => f.kind === 'outage') && !switches.hasOutage()) await listener.resume();
    },
    list: () => switches.list(),
  };

  const sandboxApi = {
    customerPay: (codeUrl: string, opts?: { delayMs?: number }): CustomerPayResult =>
      customerPayResult(payCodeUrl(db, clock.now(), codeUrl, opts?.delayMs ?? 0), clock.now()),
    listOrders: (): SandboxOrderView[] => settledOrderViews(db, clock.now()),
    listRefunds: (outTradeNo?: string): SandboxRefundView[] =>
      settledRefundViews(db, clock.now()).filter((r) => outTradeNo === undefined || r.outTradeNo === outTradeNo),
    listReports: (): SandboxReportView[] => reportViews(db),
  };
  const aids = {
    plantPayment: (input: PlantPaymentInput): SandboxOrderView => orderView(plantPayment(db, clock.now(), input), []),
    changeOrderAmount: (outTradeNo: string, totalFen: number): SandboxOrderView => {
      const changed = changeOrderAmount(db, clock.now(), outTradeNo, totalFen);
      return sandboxApi.listOrders().find((o) => o.outTradeNo === changed.outTradeNo) ?? orderView(changed, []);
    },
    plantRefund: (input: PlantRefundInput): SandboxRefundView => refundView(plantRefund(db, clock.now(), input)),
    plantReversal: (outTradeNo: string): SandboxOrderView => orderView(plantReversal(db, clock.now(), outTradeNo), []),
    removeOrder: (outTradeNo: string): { outTradeNo: string; refunds: number } => removeOrder(db, outTradeNo),
    shiftBillClock: (byMs: number): number => {
      billClockShiftMs += byMs;
      logger.info('sandbox: bill clock shifted', { byMs, shiftMs: billClockShiftMs });
      return billClockShiftMs;
    },
    billClockShiftMs: (): number => billClockShiftMs,
  };
  const notifier = new NotificationService({
    db,
    clock,
    identity,
    signingMode: () => signingMode,
    switches,
    post: createPoster(options.notifyCaPems),
    logger,
    timeFactor: options.notifyTimeFactor,
  });
  const notifications: SandboxNotifications = {
    list: () => notifier.list(),
    pump: () => notifier.pump(),
    setTimeFactor: (factor) => notifier.setTimeFactor(factor),
    getTimeFactor: () => notifier.getTimeFactor(),
  };
  const profitSharing = createSandboxProfitSharing(db, clock, merchants, psSettings);
  const admin: AdminDeps = { mchid: identity.mchid, faults, ...sandboxApi, aids, notifications, profitSharing };

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let request: SandboxRequest;
    try {
      request = await readRequest(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) writeResponse(res, nginxErrorPage(413, 'Request Entity Too Large'));
      else res.destroy();
      return;
    }
    if (isAdminPath(request.path)) {
      const answer = await handleAdmin(admin, request);
      writeResponse(res, answer.response);
      if (answer.afterResponse) res.once('finish', () => void answer.afterResponse?.().catch(() => undefined));
      return;
    }
    const api = isV2Path(request.path) ? 'v2' : isV3Path(request.path) ? 'v3' : null;
    if (api === null) return writeResponse(res, nginxErrorPage(404, 'Not Found'));
    const plan = switches.planFor(request.path);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    const fault = plan.action;
    if (fault && answersBeforeProcessing(fault)) {
      logger.info('sandbox request', { method: request.method, path: request.path, fault: fault.kind });
      return writeResponse(res, faultAnswer(fault, api, v2, v3, request));
    }
    const response = api === 'v2' ? handleV2(v2, request) : handleV3(v3, request);
    logger.info('sandbox request', { method: request.method, path: request.path, status: response.status, fault: fault?.kind });
    if (fault?.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'tamper') return writeResponse(res, { ...response, body: tamperBody(response.body) });
    if (fault) return writeResponse(res, faultAnswer(fault, api, v2, v3, request));
    writeResponse(res, response);
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (answerChannel.hasSubscribers) {
      const receivedNs = hrNs();
      res.once('finish', () => {
        const timing: SandboxAnswerTiming = { path: req.url?.split('?')[0] ?? '', status: res.statusCode, receivedNs, answeredNs: hrNs() };
        answerChannel.publish(timing);
      });
    }
    dispatch(req, res).catch((error: unknown) => {
      logger.error('sandbox: request failed', { path: req.url?.split('?')[0], error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) writeResponse(res, nginxErrorPage(500, 'Internal Server Error'));
      else res.destroy();
    });
  };
  const server = tls
    ? createHttpsServer(
        { key: identity.serverKeyPem, cert: identity.serverCertPem, ca: [identity.caCertPem], requestCert: true, rejectUnauthorized: false },
        handler,
      )
    : createHttpServer(handler);
  const listener = new Listener(server, host);
  let port: number;
  try {
    port = await listener.listen(options.port ?? 0);
  } catch (error) {
    db.close();
    throw error;
  }
  baseUrl = `${tls ? 'https' : 'http'}://${host}:${port}`;
  if (options.notifyPumpMs !== undefined) notifier.startAutoPump(options.notifyPumpMs);
  const credentials = credentialsOf(identity, baseUrl);
  const caFile = options.dataDir === undefined ? null : join(options.dataDir, 'ca.pem');
  if (caFile) writeFileSync(caFile, identity.caCertPem);
  logger.info('sandbox listening', { url: baseUrl, mchid: identity.mchid, caFile });

  const getOrder = (outTradeNo: string): SandboxOrderView | null =>
    sandboxApi.listOrders().find((o) => o.outTradeNo === outTradeNo) ?? null;
  return {
    url: baseUrl,
    port,
    credentials,
    caFile,
    platformCertificate: { serial: identity.platformCertSerial, pem: identity.platformCertPem },
    faults,
    notifications,
    profitSharing,
    ...sandboxApi,
    getOrder,
    ...aids,
    setV3SigningMode: (mode) => {
      signingMode = mode;
    },
    handleAdminRequest: async ({ method, path, body }) => {
      if (!isAdminPath(path)) return jsonResponse(404, { error: 'NOT_FOUND', message: `no sandbox endpoint ${path}` });
      const request: SandboxRequest = { method, rawUrl: path, path, query: new URLSearchParams(), headers: {}, body, clientCert: { kind: 'no-tls' } };
      const answer = await handleAdmin(admin, request);
      if (answer.afterResponse) setImmediate(() => void answer.afterResponse?.().catch(() => undefined));
      return answer.response;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of outageTimers.values()) clearTimeout(timer);
      outageTimers.clear();
      await notifier.close();
      await listener.stop();
      db.close();
    },
  };
}
