import { join } from 'node:path';
import type { AppInfo } from '../shared/api';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/log';
import { openDatabase, type Database } from './db/open';
import { ensurePrivateFolder } from './db/private-files';
import { appMigrations } from './db/migrations/index';
import { getUser, setUserLanguage } from './db/users';
import { SerialScanner } from './devices/scanner/serial-scanner';
import type { OpenSinkDeps } from './devices/printer/open-sink';
import { CustomerDisplay } from './display/customer-display';
import { createDispatcher, type Dispatch } from './host/dispatch';
import { EventHub } from './host/event-hub';
import { ItemService } from './items/item-service';
import { createPaymentService, type PaymentService } from './payments/service';
import type { Sandbox } from './sandbox/server';
import { CipherUnavailableError, type SecretCipher } from './security/cipher';
import { wasSetLive } from './security/live-mode';
import { createSecurity, type Security } from './security/security';
import { checkDatabaseAtStart, markStoreExists } from './security/database-health';
import { DATABASE_FILE } from './security/restore';
import type { PdfRenderer } from './shifts/pdf';
import { fileBillArchive } from './shifts/bill-archive';
import { billProblemWords, ReconciliationService } from './shifts/reconciliation-service';
import { ShiftService } from './shifts/service';
import type { Settings } from './settings/schema';
import { openSettings, type SettingsBackend, type SettingsStore } from './settings/settings-store';
import type { WechatCredentials } from './wechat/types';
import { Counter } from './wiring/counter';
import { followOtherCounterRefunds } from './wiring/other-counter-refund-outcome';
import { createHandlers } from './wiring/handlers';
import { createPrinting, type Printing } from './wiring/printing';
import { connectWechat, createClientFor } from './wiring/wechat-connection';
import { readSharedSandbox, type SharedSandbox } from './wiring/shared-sandbox';
import { hubNotifyUrl } from './hub-link/reference';
import { auditBrokenProblem, DataProblems, diskFullProblem, restoreCliCommand } from './wiring/data-problems';
import { startDatabaseProblemApp, type HostedApp } from './wiring/database-problem-app';
import { setMeta } from './db/app-meta';
import { hasWechatWorkAtHand } from './db/outbox';
import { getHubLink } from './db/hub-link';
import { HubClient } from './hub-link/client';
import { fetchHubHttp } from './hub-link/http';
import { HubLink } from './hub-link/link';
import { hubRefundClearance } from './hub-link/refund-clearance';
import { ReferencePuller } from './hub-link/reference';
import { PushChannel } from './hub-link/push-channel';
import { openWsHubSocket } from './hub-link/push-socket';
import { hubHeartbeatState } from './wiring/hub-heartbeat';
import type { ScannerState } from '../shared/scan';
import type { Language } from '../shared/i18n';
import { WindowLanguageChoice } from './wiring/window-languages';

export const APP_VERSION = '0.1.0';

/** Everything the composition root needs from its host (Electron or the web host). */
export interface AppOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** electron-store in Electron, conf under the web host. */
  createSettingsBackend(dataDir: string): SettingsBackend;
  /** Path of the settings file inside dataDir, read and checked before the backend opens it. */
  settingsFile: string;
  /** Host flags that override settings for this run (--sandbox, --scanner, --printer, --wechat-base-url). */
  overrides?: { sandbox?: boolean; scannerPath?: string | undefined; printerUri?: string | undefined; wechatBaseUrl?: string | undefined; sharedSandbox?: SharedSandbox | undefined };
  /** Benchmarks: the URL the client uses for the embedded sandbox (e.g. a latency-injecting proxy in front of it). */
  routeSandbox?: (sandboxUrl: string) => string;
  /** Electron passes the OS-printer factory; the web host has none. */
  printerSinkDeps?: OpenSinkDeps;
  /** Renders report HTML to PDF: Electron's printToPDF, or headless Chromium under the web host. */
  pdfRenderer: PdfRenderer;
  /** How secrets are encrypted at rest: Electron safeStorage, or the web host's 0600 key file (weaker). */
  createCipher(dataDir: string, logger: Logger): SecretCipher | CipherUnavailableError;
  /** The command that restores a backup on this host (default: the restore CLI; Electron: its --restore-backup). */
  restoreCommand?: (file: string) => string;
  /**
   * Shows the one-time first-run setup code where the app runs, never in a window: the web host prints it on its
   * console, Electron's main process shows it in a dialog of its own (electron/security/setup-code.ts).
   */
  showSetupCode?: (code: string) => void;
  /** `--hub URL --pair CODE` (scripted installs): enrol with the hub at start, before the terminal id is used. */
  hubEnrolment?: { hubUrl: string; pairingCode: string; counterName?: string };
}

/** The database is damaged or missing: `app` is the app that tells the windows so (and does nothing else). */
export class DatabaseProblemError extends Error {
  override readonly name = 'DatabaseProblemError';
  constructor(readonly app: HostedApp) {
    super(app.info().dataProblems[0]?.message.en ?? 'database problem');
  }
}

/** What the hosts call: the app, or while its database is damaged or missing, the app that says so. */
export function startHostedApp(options: AppOptions): Promise<HostedApp> {
  return startApp(options).catch((error: unknown) => {
    if (error instanceof DatabaseProblemError) return error.app;
    throw error;
  });
}

export interface App {
  dispatch: Dispatch;
  events: EventHub;
  settings: SettingsStore;
  db: Database;
  payments: PaymentService;
  printing: Printing;
  security: Security;
  sandbox: Sandbox | null;
  info(): AppInfo;
  /** A window's connection ended: whoever was signed in there is signed out. */
  disconnect(connectionId: string): void;
  /** The one-time first-run setup code while the install has no owner (for the host to show), else null. */
  setupCode(): string | null;
  close(): Promise<void>;
}

/**
 * The composition root: builds every service from settings and wires side effects (clock, database, devices,
 * WeChat) into them. electron/main.ts and the web host (electron/serve.ts) both call this; nothing else builds
 * services, so both hosts run exactly the same app.
 */
export async function startApp(options: AppOptions): Promise<App> {
  const { logger, clock } = options;
  // The data folder holds the database, the settings, the logs and (web host) the key file: this user only (0700).
  if (!ensurePrivateFolder(options.dataDir)) logger.warn('the data folder keeps no file modes: others may read it', { dataDir: options.dataDir });
  const overrides = options.overrides ?? {};
  // A live install never falls back to the sandbox because its settings file broke (issue 17): its database
  // says it went live. Read before anything else (a damaged database reads as not live; the damage check below
  // then stops the start anyway).
  const settings = openSettings(options.settingsFile, () => options.createSettingsBackend(options.dataDir), clock, logger, {
    liveInstall: wasSetLive(join(options.dataDir, DATABASE_FILE)),
  });
  const cipher = openCipher(() => options.createCipher(options.dataDir, logger));
  const initial = settings.get();
  // Known once WeChat is connected; the security services only ask later (demo users are sandbox-only).
  let sandbox = false;
  // Each window's language (issue 18). People's choices live in the database, known once it is open.
  let cashierId: string | null = null;
  let staffLanguages: { get(id: string): Language | null; save(id: string, language: Language): void } | null = null;
  const languages = new WindowLanguageChoice({
    settings: () => settings.get(),
    cashierId: () => cashierId,
    personLanguage: (id) => staffLanguages?.get(id) ?? null,
    savePersonLanguage: (id, language) => staffLanguages?.save(id, language),
    saveManagerLanguage: (language) => settings.update((s) => ({ ...s, managerLanguage: language })),
  });
  const baseInfo = () => {
    const s = settings.get();
    return { version: APP_VERSION, storeName: s.storeName, terminalId: s.terminalId, sandbox, languages: languages.current(), timeZone: s.timeZone, settingsProblem: settings.problem, voiceAnnouncements: s.voice.enabled };
  };
  // A damaged database, or a missing/empty one where a store existed, is never opened (nor silently recreated).
  const damage = checkDatabaseAtStart({
    dataDir: options.dataDir,
    backupFolder: initial.security.backup.folder || join(options.dataDir, 'backups'),
    cipher,
    restoreCommand: options.restoreCommand ?? restoreCliCommand(options.dataDir),
    logger,
  });
  if (damage) throw new DatabaseProblemError(startDatabaseProblemApp({ problem: damage, languages, logger, baseInfo }));
  const db = openDatabase(join(options.dataDir, DATABASE_FILE), appMigrations);
  staffLanguages = { get: (id) => getUser(db, id)?.language ?? null, save: (id, language) => setUserLanguage(db, id, language) };
  markStoreExists(options.dataDir, clock.now());
  const events = new EventHub();
  const problems = new DataProblems(() => events.emit('app.info', info()));
  const info = (): AppInfo => ({ ...baseInfo(), dataProblems: problems.list() });

  const security = createSecurity({
    db,
    dataDir: options.dataDir,
    clock,
    logger,
    settings: () => settings.get().security,
    demoAllowed: () => sandbox,
    cipher,
    onAlert: (alert) => events.emit('risk.alert', alert),
    ...(options.showSetupCode ? { showSetupCode: options.showSetupCode } : {}),
  });
  // Tampering is looked for at every start (and after every Z report), not only when someone asks.
  const chain = security.audit.verify();
  if (!chain.ok) {
    logger.error('audit chain broken (checked at start)', { brokenAtSeq: chain.brokenAtSeq, problem: chain.problem });
    problems.set(auditBrokenProblem(chain, options.dataDir));
  }
  const wechat = await connectWechat({
    settings: initial,
    dataDir: options.dataDir,
    clock,
    logger,
    forceSandbox: overrides.sandbox === true,
    baseUrlOverride: overrides.wechatBaseUrl,
    routeSandbox: options.routeSandbox,
    liveCredentials: liveCredentials(initial, security, logger),
    notifyUrl: () => hubNotifyUrl(db, settings.get().wechat.apiVersion),
    sharedSandbox: overrides.sharedSandbox ?? sharedSandboxOfSettings(initial, logger),
  });
  sandbox = wechat.sandboxMode;
  // Settings say live (even while credentials are missing and the sandbox stands in): demo accounts and sandbox
  // staff are switched off for good, now and the moment a settings change first sets live.
  if (initial.wechat.mode === 'live') security.people.goneLive();
  settings.onChange((s) => {
    if (s.wechat.mode === 'live') security.people.goneLive();
  });
  const stopBackups = security.backups.start();
  // The hub link (issue 13). Built before the payments so that a scripted enrolment gives the terminal id they use;
  // a counter that never enrolled sends nothing and behaves as before.
  let paymentsForHub: PaymentService | null = null;
  let printingForHub: Printing | null = null;
  let scannerForHub: (() => ScannerState) | null = null;
  let referenceForHub: ReferencePuller | null = null;
  let pushChannelForHub: PushChannel | null = null;
  const hub = new HubLink({
    db,
    clock,
    logger,
    audit: security.audit,
    client: new HubClient({ http: fetchHubHttp, now: () => clock.now() }),
    vault: { save: (pem, by) => security.secrets.saveHubPrivateKey(pem, by), load: () => security.secrets.hubPrivateKey() },
    appVersion: APP_VERSION,
    // WeChat calls keep their priority: no push while a WeChat job is in flight or has just fallen due.
    paymentsBusy: () => hasWechatWorkAtHand(db, clock.now(), 5_000),
    heartbeatState: () => hubHeartbeatState(db, settings.get().terminalId, paymentsForHub, printingForHub, scannerForHub),
    factRetentionMs: () => settings.get().hubFactRetentionDays * 86_400_000,
    onEnrolled: (terminalId) => {
      settings.update((s) => ({ ...s, terminalId }));
      referenceForHub?.pullSoon();
      pushChannelForHub?.start();
    },
  });
  if (options.hubEnrolment && !getHubLink(db)) {
    const { hubUrl, pairingCode, counterName } = options.hubEnrolment;
    await hub.enrol({ hubUrl, pairingCode, counterName: counterName ?? settings.get().terminalId }, { id: 'install-script', name: '安装脚本' });
  }
  const terminalId = settings.get().terminalId;
  // A new sandbox install gets the demo staff (cashier 1111, manager 9999) so the whole flow can be tried at once.
  if (sandbox) security.people.seedDemoUsers();
  const items = new ItemService({ db, clock, audit: security.audit, approvals: security.approvals, onChanged: (list) => events.emit('items.updated', list) });
  // ...and the demo items the cashier screen's quick keys pick (once: a live install starts with an empty list).
  if (sandbox) items.seedDemoItems();
  // Items, staff and store settings from the hub (enrolled counters only): pulled at start, every 30 s and after
  // enrolment, applied in one transaction; the last copy's store settings go back into settings.json at start.
  const reference = new ReferencePuller({
    db, clock, logger, audit: security.audit, pins: security.pins, settings,
    client: new HubClient({ http: fetchHubHttp, now: () => clock.now() }),
    vault: { save: (pem, by) => security.secrets.saveHubPrivateKey(pem, by), load: () => security.secrets.hubPrivateKey() },
    paymentsBusy: () => hasWechatWorkAtHand(db, clock.now(), 5_000),
    onApplied: (applied) => {
      if (applied.items !== null) events.emit('items.updated', items.list({ includeInactive: true }));
    },
  });
  referenceForHub = reference;
  reference.reapplyStoredSettings();

  const printing = createPrinting({
    db,
    uri: overrides.printerUri ?? initial.printer.uri,
    paperWidthMm: initial.printer.paperWidthMm,
    clock,
    logger,
    ...(options.printerSinkDeps ? { sinkDeps: options.printerSinkDeps } : {}),
  });
  const payments = createPaymentService({
    db,
    client: wechat.client,
    clock,
    logger,
    terminalId,
    openDrawer: () => printing.openDrawer('sale'),
    // Refunds of a profit-sharing store's orders ask the hub to return the split money first (issue 16).
    refundClearance: hubRefundClearance({
      client: new HubClient({ http: fetchHubHttp, now: () => clock.now() }),
      identity: () => hub.currentIdentity(),
      enrolled: () => getHubLink(db) !== undefined,
      profitSharing: () => settings.get().wechat.profitSharing,
    }),
  });

  const display = new CustomerDisplay(events, () => ({
    storeName: settings.get().storeName,
    sandbox,
    wechatAvailable: payments.syncStatus().wechatAvailable,
  }));
  const shifts = new ShiftService({
    db,
    clock,
    logger,
    terminalId,
    client: wechat.client,
    worker: payments.worker,
    audit: security.audit,
    approvals: security.approvals,
    ...(printing.queue ? { printer: printing.queue } : {}),
    pdf: options.pdfRenderer,
    settings: () => {
      const s = settings.get();
      return { storeName: s.storeName, lang: s.receiptLanguage === 'en' ? 'en' : 'zh', exportLang: s.managerLanguage === 'en' ? 'en' : 'zh', sandbox, paper: s.printer.paperWidthMm, maxCashOutFen: s.security.limits.maxCashOutFen, timeZone: s.timeZone };
    },
    onCheckFinished: (shiftId) => events.emit('shift.updated', shifts.getShift(shiftId)),
    onShiftChanged: (shift) => events.emit('shift.updated', shift),
    auditChain: security.audit,
    onAuditBroken: (report) => problems.set(auditBrokenProblem(report, options.dataDir)),
  });
  const reconciliation = new ReconciliationService({
    db,
    clock,
    logger,
    client: wechat.client,
    worker: payments.worker,
    audit: security.audit,
    onReconciled: (billDate) => events.emit('reconciliation.updated', { billDate }),
    archive: fileBillArchive(join(options.dataDir, 'bills', 'unreadable')),
    onProblem: (problem) => {
      security.risk.raiseBillProblem(problem.billDate, billProblemWords(problem));
      events.emit('reconciliation.updated', { billDate: problem.billDate });
    },
  });
  const counter = new Counter({
    payments,
    events,
    display,
    clock,
    logger,
    sandbox,
    currentShift: () => shifts.currentShift(),
    cashDrawerOverCap: () => {
      const shift = shifts.currentShift();
      if (!shift) return null;
      const decision = security.risk.checkCashInDrawer(shifts.expectedCash(shift.id));
      return decision.kind === 'allow' ? null : { zh: `${decision.reason.zh}，请投库`, en: `${decision.reason.en}: please make a cash drop` };
    },
    findItem: (barcode) => items.findByBarcode(barcode),
    preconnect: () => void wechat.client.warmConnections?.(),
    afterRequestsWritten: (then) => (wechat.client.afterRequestsWritten ? wechat.client.afterRequestsWritten(then) : then()),
    terminalId: () => settings.get().terminalId,
    onCashierChanged: (cashier) => {
      cashierId = cashier?.id ?? null;
      languages.cashierChanged(cashier !== null);
      events.emit('app.info', info());
    },
  });
  // Repeated failed scans raise an alert on the manager's screen (one record per failed attempt). A failed attempt
  // may be pushed again (a later query, a reprint of its sale): only recent ids need remembering, so the set is
  // bounded rather than growing for as long as the counter runs.
  const failedAttempts = new Set<number>();
  payments.on('attempt.updated', (attempt) => {
    if (attempt.mode !== 'micropay' || attempt.state !== 'failed' || failedAttempts.has(attempt.id)) return;
    failedAttempts.add(attempt.id);
    if (failedAttempts.size > 1000) failedAttempts.delete(failedAttempts.values().next().value ?? attempt.id);
    security.risk.recordFailedScan(payments.getSale(attempt.saleId).cashierId);
  });

  const receiptContext = () => {
    const s = settings.get();
    return { lang: s.receiptLanguage === 'en' ? ('en' as const) : ('zh' as const), sandbox, storeName: s.storeName, storeAddress: s.storeAddress, receiptFooter: s.receiptFooter, timeZone: s.timeZone, cashierName: (id: string) => getUser(db, id)?.name ?? id };
  };
  payments.on('sale.updated', (sale) => events.emit('sale.updated', sale));
  payments.on('attempt.updated', (attempt) => events.emit('attempt.updated', attempt));
  payments.on('refund.updated', (refund) => events.emit('refund.updated', refund));
  payments.on('refund.updated', (refund) => printing.printRefundOutcome(payments.getSale(refund.saleId), refund, receiptContext()));
  payments.on('payment.alert', (alert) => events.emit('payment.alert', alert));
  followOtherCounterRefunds({ db, payments, printing, announce: (message) => counter.announce(message), receiptContext, terminalId: () => settings.get().terminalId });
  payments.on('sync.status', (status) => {
    events.emit('sync.status', status);
    display.refresh();
  });
  payments.on('sale.paid', ({ sale }) => {
    const change = sale.tenders.reduce((sum, t) => sum + (t.state === 'paid' ? (t.changeFen ?? 0) : 0), 0);
    display.show({ kind: 'paid', sandbox, amountFen: sale.totalFen, ...(change > 0 ? { changeFen: change } : {}) });
    if (settings.get().printer.autoPrint) printing.printSaleReceipt(sale, receiptContext());
  });
  printing.onStatus((status) => events.emit('printer.state', status));
  events.emit('printer.state', printing.status());

  const scannerSettings = overrides.scannerPath ? { ...initial.scanner, enabled: true, path: overrides.scannerPath } : initial.scanner;
  const scanner = new SerialScanner(scannerSettings, {
    clock,
    logger,
    // Whatever the scanner sends, a failure is logged, never an unhandled rejection that would end the app.
    onScan: (code) =>
      void counter.handleScan(code, 'serial').catch((error: unknown) => logger.error('scan handling failed', { error: error instanceof Error ? error.name : typeof error })),
    onState: (state) => events.emit('scanner.state', state),
  });
  if (scannerSettings.enabled && scannerSettings.path) scanner.start();
  else events.emit('scanner.state', scanner.state);

  settings.onChange(() => {
    events.emit('app.info', info());
    display.refresh();
  });
  events.emit('app.info', info());
  // The counter comes back where it was before the worker hears any answer (issue 21: never paid twice).
  counter.restore();
  payments.start();
  reconciliation.start();
  paymentsForHub = payments;
  printingForHub = printing;
  scannerForHub = () => scanner.state;
  hub.onStatus((status) => events.emit('hub.status', status));
  hub.start();
  reference.start();
  // The hub's push channel (issue 14): paid / refunded hints bring this counter's own WeChat query forward; polling
  // stays the fallback. Opened only while enrolled (at start, or by the enrolment above via onEnrolled).
  const pushChannel = new PushChannel({
    identity: () => hub.currentIdentity(),
    open: openWsHubSocket,
    onHint: (hint) => payments.takeHint(hint),
    logger,
    now: () => clock.now(),
  });
  pushChannelForHub = pushChannel;
  if (getHubLink(db)?.stopped_at === null) pushChannel.start();

  const handlers = createHandlers({
    info,
    chooseLanguage: (window, language) => {
      languages.choose(window, language);
      events.emit('app.info', info());
    },
    settings,
    display,
    counter,
    payments,
    printing,
    security,
    shifts,
    items,
    reconciliation,
    // Test connection checks what the manager entered: the live credentials when they are complete (even while
    // the app still runs on the sandbox), else the client in use.
    connectionUnderTest: () => {
      const s = settings.get();
      const credentials = liveCredentials({ ...s, wechat: { ...s.wechat, mode: 'live' } }, security, logger);
      return credentials ? createClientFor(s, credentials, overrides.wechatBaseUrl ?? s.wechat.baseUrl, clock, logger, { notifyUrl: () => hubNotifyUrl(db, s.wechat.apiVersion) }) : wechat.client;
    },
    scannerState: () => scanner.state,
    receiptContext,
    hub,
  });
  // A full disk is told on both screens until a write goes through again (checked every 15 s while it lasts).
  let diskProbe: NodeJS.Timeout | null = null;
  const onDiskFull = (): void => {
    problems.set(diskFullProblem());
    diskProbe ??= setInterval(() => {
      try {
        setMeta(db, 'disk.probe', String(clock.now()));
        problems.clear('disk-full');
        if (diskProbe) clearInterval(diskProbe);
        diskProbe = null;
      } catch {
        // Still full: keep telling.
      }
    }, 15_000);
    diskProbe.unref();
  };
  logger.info('app started', { dataDir: options.dataDir, sandbox });
  return {
    dispatch: createDispatcher(
      handlers,
      logger,
      {
        signedInRole: (connectionId) => security.auth.current(connectionId)?.role ?? null,
        approvalUsableBy: (token, connectionId) => security.approvals.usableBy(token, connectionId),
      },
      { onDiskFull },
    ),
    events,
    settings,
    db,
    payments,
    printing,
    security,
    sandbox: wechat.sandbox,
    info,
    disconnect: (connectionId) => {
      security.auth.forget(connectionId);
      security.approvals.forgetConnection(connectionId);
      counter.disconnected(connectionId);
    },
    setupCode: () => security.setupCode.current(),
    close: async () => {
      if (diskProbe) clearInterval(diskProbe);
      stopBackups();
      pushChannel.stop();
      await hub.stop();
      await reference.stop();
      reconciliation.stop();
      await scanner.stop();
      await payments.stop();
      await printing.stop();
      await wechat.close();
      db.close();
    },
  };
}

/** A cipher that cannot be had (no OS keyring) is passed on as its reason: the secret store then refuses, in words. */
function openCipher(create: () => SecretCipher | CipherUnavailableError): SecretCipher | CipherUnavailableError {
  try {
    return create();
  } catch (error) {
    if (error instanceof CipherUnavailableError) return error;
    throw error;
  }
}

/**
 * The merchant's credentials from the encrypted store when settings say live and everything the chosen API version
 * needs is there; otherwise null, and the app runs on the embedded sandbox (marked 沙箱 on every screen).
 */
function liveCredentials(settings: Settings, security: Security, logger: Logger): WechatCredentials | null {
  if (settings.wechat.mode !== 'live') return null;
  const { secrets } = security;
  const hasVerifier = (secrets.has('wechatPayPublicKeyPem') && secrets.has('wechatPayPublicKeyId')) || secrets.has('platformCertificates');
  const complete =
    settings.wechat.mchid !== '' &&
    (settings.wechat.merchantMode !== 'partner' || settings.wechat.subMchid !== '') &&
    settings.wechat.appid !== '' &&
    (settings.wechat.apiVersion === 'v2'
      ? secrets.has('apiKeyV2')
      : secrets.has('apiV3Key') && secrets.has('merchantPrivateKeyPem') && secrets.has('merchantCertSerial') && hasVerifier);
  if (!complete) {
    logger.warn('wechat: live mode without complete credentials, using the embedded sandbox', { apiVersion: settings.wechat.apiVersion });
    return null;
  }
  return secrets.credentials({ mchid: settings.wechat.mchid, appid: settings.wechat.appid, v2SignType: settings.wechat.v2SignType });
}

/**
 * The shared sandbox the settings name (sandbox mode only), or undefined for the embedded one. A file that cannot
 * be used is logged and the embedded sandbox plays WeChat instead: it is test money either way, and the counter
 * still starts (the log says why its orders are not the other counters').
 */
function sharedSandboxOfSettings(settings: Settings, logger: Logger): SharedSandbox | undefined {
  const shared = settings.wechat.sharedSandbox;
  if (settings.wechat.mode !== 'sandbox' || shared.credentialsFile === '') return undefined;
  try {
    return readSharedSandbox({ credentialsFile: shared.credentialsFile, caFile: shared.caFile || undefined, baseUrl: shared.url || undefined });
  } catch (error) {
    logger.error('wechat: the shared sandbox in settings cannot be used, using the embedded one', { error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}
