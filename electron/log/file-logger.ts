import { mkdirSync, openSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';

type SonicBoom = ReturnType<typeof pino.destination>;
import type { Clock } from '../../shared/clock';
import type { LogFields, Logger } from '../../shared/log';
import { maskPaymentCodeRuns } from '../../shared/mask';

const MAX_BYTES = 5 * 1024 * 1024;

/**
 * Field names that only ever carry a secret, a PIN, a payment code or a full openid. Callers never log them (they
 * pass masked fields, see shared/mask.ts); should one slip through, pino's redaction writes "[redacted]" instead.
 */
const NEVER_IN_CLEAR = [
  'authCode',
  'auth_code',
  'code_clear',
  'pin',
  'newPin',
  'password',
  'setupCode',
  'apiKeyV2',
  'apiV3Key',
  'apiKey',
  'merchantPrivateKeyPem',
  'clientKeyPem',
  'privateKey',
  'secret',
  'openid',
  'sub_openid',
  'payer_openid',
];

export interface FileLogger extends Logger {
  /** Writes what is still buffered, synchronously (before the process exits, or before a test reads the file). */
  flush(): void;
}

/** Every file logger of this process: their last lines are written synchronously when it exits. */
const live = new Set<FileLogger>();
let exitHookInstalled = false;

/**
 * JSON-lines log in <data-dir>/logs/app.log, rotated at 5 MB (one previous file kept), written by pino through an
 * asynchronous file stream: a line costs the caller a JSON serialisation and a buffer append, never a file-system
 * call (the old logger did a statSync and an appendFileSync per line, on the scan path among others). The size for
 * rotation is counted in memory, from the file's size at start. Callers pass masked fields only; as a last line of
 * defence, values that look like a payment code are masked here too, and secret-only field names are redacted.
 */
export function createFileLogger(dataDir: string, clock: Clock, echo?: (line: string) => void): FileLogger {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'app.log');
  let size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  // The file is opened here, synchronously (once, and once per rotation), so flush() works from the first line on.
  const openStream = (): SonicBoom => {
    const stream = pino.destination({ dest: openSync(file, 'a', 0o600), sync: false, minLength: 0 });
    // A write error (disk full, folder gone) must never take the counter down: the line is lost, the sale is not.
    stream.on('error', () => undefined);
    return stream;
  };
  let current = openStream();
  /** Streams of rotated files still writing their last lines (flush() must wait for those too). */
  const retiring = new Set<SonicBoom>();

  /** Every 5 MB: lines in flight finish in the renamed file, new ones go to a new app.log. */
  const rotate = (): void => {
    try {
      renameSync(file, `${file}.1`);
      const previous = current;
      current = openStream();
      retiring.add(previous);
      previous.once('close', () => retiring.delete(previous));
      previous.end();
      size = 0;
    } catch {
      // Not rotated this time: tried again after the next line.
    }
  };
  const sink = {
    write(line: string): void {
      size += Buffer.byteLength(line);
      echo?.(line.trimEnd());
      current.write(line);
      if (size > MAX_BYTES) rotate();
    },
  };

  const log = pino(
    {
      level: 'info',
      base: undefined,
      messageKey: 'message',
      timestamp: () => `,"t":"${new Date(clock.now()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: NEVER_IN_CLEAR, censor: '[redacted]' },
    },
    sink,
  );

  const write = (level: 'info' | 'warn' | 'error', message: string, fields: LogFields = {}): void => {
    try {
      log[level](scrub(fields), maskPaymentCodeRuns(message));
    } catch {
      // As above: logging never throws into the caller.
    }
  };
  const logger: FileLogger = {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    flush: () => {
      for (const stream of [...retiring, current]) {
        try {
          stream.flushSync();
        } catch {
          // Already closed: nothing left to write.
        }
      }
    },
  };
  live.add(logger);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const each of live) each.flush();
    });
  }
  return logger;
}

/** Payment codes are bearer credentials: mask any run that looks like one, even glued to other characters. */
function scrub(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = typeof value === 'string' ? maskPaymentCodeRuns(value) : value;
  }
  return out;
}
