import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../shared/clock';
import type { LogFields, Logger } from '../../shared/log';
import { maskPaymentCodeRuns } from '../../shared/mask';

const MAX_BYTES = 5 * 1024 * 1024;

/**
 * JSON-lines log in <data-dir>/logs/app.log, rotated at 5 MB (one previous file kept). Callers pass masked
 * fields only; as a last line of defence, values that look like a payment code are masked here too.
 */
export function createFileLogger(dataDir: string, clock: Clock, echo?: (line: string) => void): Logger {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'app.log');
  const write = (level: string, message: string, fields: LogFields = {}): void => {
    const line = JSON.stringify({ t: new Date(clock.now()).toISOString(), level, message: maskPaymentCodeRuns(message), ...scrub(fields) });
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(file, `${file}.1`);
      appendFileSync(file, `${line}\n`);
    } catch {
      // Logging must never take the counter down; the line is lost, the sale is not.
    }
    echo?.(line);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** Payment codes are bearer credentials: mask any run that looks like one, even glued to other characters. */
function scrub(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = typeof value === 'string' ? maskPaymentCodeRuns(value) : value;
  }
  return out;
}
