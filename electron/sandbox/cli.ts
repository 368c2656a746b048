import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger, LogFields } from '../../shared/log';
import { startSandbox, type Sandbox } from './server';

/**
 * Standalone sandbox: `npm run sandbox -- --port 8443 --data-dir .sandbox --credentials-out creds.json`.
 * Writes the test merchant's credentials, then prints exactly one line `{"url": "..."}` on stdout when ready.
 * Logs go to stderr. SIGTERM / SIGINT close it cleanly.
 */

const USAGE = `usage: npm run sandbox -- [--port <n>] [--data-dir <dir>] [--credentials-out <file.json>] [--http]
  --port             port on 127.0.0.1 (default 0: any free port)
  --data-dir         keep the ledger and the generated keys here (default: in memory, new keys every start)
  --credentials-out  write the test merchant's credentials JSON here
  --http             plain HTTP instead of HTTPS (secapi paths then always refuse: no client certificate)
  --notify-time-factor  divide the notification retry schedule's waits by this (default 1 = 15 s, 15 s, 30 s, 3 min...)`;

const stderrLogger: Logger = {
  info: (message: string, fields?: LogFields) => log('info', message, fields),
  warn: (message: string, fields?: LogFields) => log('warn', message, fields),
  error: (message: string, fields?: LogFields) => log('error', message, fields),
};

function log(level: string, message: string, fields: LogFields = {}): void {
  process.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`);
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${text}`);
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'credentials-out': { type: 'string' },
      http: { type: 'boolean', default: false },
      'notify-time-factor': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const dataDir = values['data-dir'] === undefined ? undefined : resolve(values['data-dir']);
  const factorText = values['notify-time-factor'];
  const notifyTimeFactor = factorText === undefined ? 1 : Number(factorText);
  if (!Number.isFinite(notifyTimeFactor) || notifyTimeFactor < 1) throw new Error(`invalid --notify-time-factor ${factorText ?? ''}`);
  // Notifications are sent by a real-time pump here: every 250 ms it sends what the clock says is due.
  const sandbox = await startSandbox({
    port: parsePort(values.port),
    dataDir,
    tls: !values.http,
    logger: stderrLogger,
    notifyPumpMs: 250,
    notifyTimeFactor,
  });
  const out = values['credentials-out'];
  if (out !== undefined) {
    const file = resolve(out);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(sandbox.credentials, null, 2)}\n`, { mode: 0o600 });
  }
  installShutdown(sandbox);
  process.stdout.write(`{"url": ${JSON.stringify(sandbox.url)}}\n`);
}

function installShutdown(sandbox: Sandbox): void {
  // During an outage fault nothing else keeps the process alive: the listening socket is closed.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    stderrLogger.info('sandbox stopping', { signal });
    sandbox
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        stderrLogger.error('sandbox: close failed', { error: String(error) });
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(1);
});
