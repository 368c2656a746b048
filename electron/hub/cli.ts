import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger, LogFields } from '../../shared/log';
import { startHub, type RunningHub } from './app';

/**
 * `npm run hub -- --port 0 --data-dir DIR [--host 127.0.0.1] [--database postgres://…]`: prints exactly one line
 * `{"url": "...", "admin": "<url>/setup?token=…" | null}` on stdout when ready (admin is null once the owner
 * exists). Logs go to stderr as JSON lines. SIGTERM / SIGINT close the server and the database cleanly.
 */
const USAGE = `usage: npm run hub -- --data-dir <dir> [--port <n>] [--host <addr>] [--database postgres://…]`;

function log(level: string, message: string, fields: LogFields = {}): void {
  process.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`);
}

const stderrLogger: Logger = {
  info: (message, fields) => log('info', message, fields),
  warn: (message, fields) => log('warn', message, fields),
  error: (message, fields) => log('error', message, fields),
};

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${text}`);
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, database: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values['data-dir'] === undefined) throw new Error(`--data-dir is required\n${USAGE}`);
  const hub = await startHub({
    dataDir: resolve(values['data-dir']), port: parsePort(values.port), host: values.host ?? '127.0.0.1',
    databaseUrl: values.database, log: stderrLogger,
  });
  installShutdown(hub);
  process.stdout.write(`${JSON.stringify({ url: hub.url, admin: hub.adminUrl })}\n`);
}

function installShutdown(hub: RunningHub): void {
  let closing = false;
  const stop = (signal: string): void => {
    if (closing) return;
    closing = true;
    log('info', 'hub: stopping', { signal });
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log('error', 'hub: unclean stop', { error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  log('error', 'hub: could not start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
