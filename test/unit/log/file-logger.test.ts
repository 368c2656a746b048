import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger } from '../../../electron/log/file-logger';
import { ManualClock } from '../../../shared/clock';

const CODE = '134567890123456789';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

function logDir(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pos-pino-'));
  return { dir, file: join(dir, 'logs', 'app.log') };
}

const lines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the file logger (pino, written off the caller’s path)', () => {
  it('writes one JSON line per call with the time of the injected clock, the level, the message and the fields', () => {
    const { dir, file } = logDir();
    const logger = createFileLogger(dir, new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5)));
    logger.info('sale paid', { saleId: 7, amountFen: 1250, sandbox: true });
    logger.warn('printer offline');
    logger.error('wechat: unknown outcome', { code: 'ECONNRESET' });
    logger.flush();
    expect(lines(file)).toEqual([
      { t: '2026-01-02T03:04:05.000Z', level: 'info', message: 'sale paid', saleId: 7, amountFen: 1250, sandbox: true },
      { t: '2026-01-02T03:04:05.000Z', level: 'warn', message: 'printer offline' },
      { t: '2026-01-02T03:04:05.000Z', level: 'error', message: 'wechat: unknown outcome', code: 'ECONNRESET' },
    ]);
  });

  it('never writes a payment code, a PIN, a secret or a full openid in clear, whatever field it comes in', () => {
    const { dir, file } = logDir();
    const logger = createFileLogger(dir, new ManualClock(0));
    logger.warn(`scanned ${CODE}`, {
      barcode: `x${CODE}x`,
      authCode: CODE,
      pin: '604172',
      apiV3Key: 'k'.repeat(32),
      openid: OPENID,
      note: `code ${CODE}`,
    });
    logger.flush();
    const text = readFileSync(file, 'utf8');
    for (const secret of [CODE, '604172', 'k'.repeat(32), OPENID]) expect(text).not.toContain(secret);
    expect(lines(file)[0]).toMatchObject({ message: 'scanned 1345**********6789', barcode: 'x1345**********6789x', authCode: '[redacted]', pin: '[redacted]', openid: '[redacted]' });
  });

  it('keeps the file to this user and rotates it at 5 MB, keeping one previous file, without losing a line', () => {
    const { dir, file } = logDir();
    const logger = createFileLogger(dir, new ManualClock(0));
    const filler = 'x'.repeat(1000);
    for (let i = 0; i < 6000; i += 1) logger.info('filler', { i, filler });
    logger.flush();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(statSync(`${file}.1`).size).toBeLessThanOrEqual(5 * 1024 * 1024 + 2048);
    const numbers = [...lines(`${file}.1`), ...lines(file)].map((l) => l.i);
    expect(numbers).toEqual(Array.from({ length: 6000 }, (_, i) => i));
  });

  it('a logger whose folder is gone loses lines, never throws into the caller', () => {
    const { dir } = logDir();
    const logger = createFileLogger(dir, new ManualClock(0));
    rmSync(dir, { recursive: true, force: true });
    expect(() => {
      logger.info('a', { v: 1 });
      logger.flush();
    }).not.toThrow();
  });
});
