/**
 * The web host's entry point (`npm run serve`): the same app as Electron, under plain Node, serving the built
 * renderer and the API over a WebSocket. Prints one JSON line with the three window URLs when ready.
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
  const logger = createFileLogger(args.dataDir, systemClock);
  const app = await startHostedApp({
    dataDir: args.dataDir,
    clock: hostClock(),
    logger,
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(args.dataDir),
    overrides: { sandbox: args.sandbox, scannerPath: args.scanner, printerUri: args.printer, wechatBaseUrl: args.wechatBaseUrl },
    // The web host has no OS keyring: a key file readable only by this user (weaker; see README "Secrets").
    pdfRenderer: chromiumPdfRenderer(),
    createCipher: (dataDir, log) => openKeyFileCipher(join(dataDir, 'secret.key'), { logger: log }),
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
  process.stdout.write(`${JSON.stringify({ cashier: host.urls.cashier, display: host.urls.display, manager: host.urls.manager })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`web host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ArgsError ? 2 : 1);
});
