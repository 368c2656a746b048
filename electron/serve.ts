/**
 * The web host's entry point (`npm run serve`): the same app as Electron, under plain Node, serving the built
 * renderer and the API over a WebSocket. Prints one JSON line when ready: the three window URLs (each with its own
 * window's credential) and, while the install has no owner yet, the one-time `setupCode` that first-run owner
 * creation asks for. That code is shown only here, on the console of the machine running the host (never in a
 * window, a URL or the log file); when it is shown again or replaced, a line `{"setupCode": "..."}` follows.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../shared/clock';
import { startHostedApp } from './app';
import { ArgsError, parseHostArgs } from './host/cli-args';
import { hostClock } from './host/host-clock';
import { startWebHost } from './host/web-host';
import { createFileLogger } from './log/file-logger';
import { openKeyFileCipher } from './security/key-file-cipher';
import { chromiumPdfRenderer } from './shifts/pdf';
import { createConfBackend, settingsPath } from './settings/conf-backend';
import { readSharedSandbox, SharedSandboxError, type SharedSandbox } from './wiring/shared-sandbox';

function findRendererDir(explicit: string | undefined): string {
  if (explicit) return resolve(explicit);
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'renderer'), join(here, '..', 'dist', 'renderer'), resolve('dist', 'renderer')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new ArgsError('built renderer not found: run `npm run build` first (or pass --renderer-dir)');
  return found;
}

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  const rendererDir = findRendererDir(args.rendererDir);
  const sharedSandbox = args.wechatCredentials ? readSharedSandboxArgs(args.wechatCredentials, args.wechatCa, args.wechatBaseUrl) : undefined;
  const logger = createFileLogger(args.dataDir, systemClock);
  // A failure nobody awaited is logged, not allowed to end the counter (every call is answered on its own path).
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection', { error: reason instanceof Error ? reason.name : typeof reason });
  });
  let ready = false;
  const printSetupCode = (code: string): void => {
    if (ready) process.stdout.write(`${JSON.stringify({ setupCode: code })}\n`);
    logger.info('setup code shown on the console of the web host');
  };
  const app = await startHostedApp({
    dataDir: args.dataDir,
    clock: hostClock(),
    logger,
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(args.dataDir),
    overrides: { sandbox: args.sandbox, scannerPath: args.scanner, printerUri: args.printer, wechatBaseUrl: args.wechatBaseUrl, sharedSandbox },
    // The web host has no OS keyring: a key file readable only by this user (weaker; see README "Secrets").
    pdfRenderer: chromiumPdfRenderer(),
    createCipher: (dataDir, log) => openKeyFileCipher(join(dataDir, 'secret.key'), { logger: log }),
    showSetupCode: printSetupCode,
    ...(args.hub ? { hubEnrolment: args.hub } : {}),
  });
  const embedded = app.sandbox ?? null;
  const host = await startWebHost({
    dispatch: app.dispatch,
    events: app.events,
    logger,
    rendererDir,
    host: args.host,
    port: args.port,
    allowLan: args.allowLan,
    onDisconnect: (connectionId) => app.disconnect(connectionId),
    // Testing aids only with the embedded sandbox; in live mode /sandbox/ answers 403.
    sandboxAdmin: embedded ? (request) => embedded.handleAdminRequest(request) : undefined,
  });
  const shutdown = (): void => {
    void host
      .close()
      .then(() => app.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  const setupCode = app.setupCode();
  // The embedded sandbox's page (pay a QR, testing aids) is HTTPS with the sandbox's own CA: both on the ready line.
  const sandboxInfo = embedded ? { sandbox: `${embedded.url}/sandbox/`, ...(embedded.caFile ? { sandboxCa: embedded.caFile } : {}) } : {};
  process.stdout.write(`${JSON.stringify({ cashier: host.urls.cashier, display: host.urls.display, manager: host.urls.manager, ...sandboxInfo, ...(setupCode ? { setupCode } : {}) })}\n`);
  ready = true;
}

/** The shared sandbox named on the command line; a file that cannot be used stops the start (exit 2) with the reason. */
function readSharedSandboxArgs(credentialsFile: string, caFile: string | undefined, baseUrl: string | undefined): SharedSandbox {
  try {
    return readSharedSandbox({ credentialsFile, caFile, baseUrl });
  } catch (error) {
    throw error instanceof SharedSandboxError ? new ArgsError(error.message) : error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`web host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ArgsError ? 2 : 1);
});
