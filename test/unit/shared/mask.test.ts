import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger } from '../../../electron/log/file-logger';
import { canonicalAuditDetails } from '../../../electron/security/audit-details';
import { ManualClock } from '../../../shared/clock';
import { containsPaymentCodeRun, maskPaymentCodeRuns } from '../../../shared/mask';
import { classifyScan, describeScanForLog } from '../../../shared/scan';

const CODE = '130100000000000777';

describe('masking runs that look like a payment code', () => {
  it('masks a code wherever it sits, glued to letters or digits, and leaves hex digests and short numbers whole', () => {
    expect(maskPaymentCodeRuns(`${CODE}X`)).toBe('1301**********0777X');
    expect(maskPaymentCodeRuns(`X${CODE}`)).toBe('X1301**********0777');
    expect(maskPaymentCodeRuns(`barcode ${CODE}9 here`)).toBe('barcode 1301***********7779 here');
    expect(maskPaymentCodeRuns('6901234567892 T01-42')).toBe('6901234567892 T01-42');
    const sha256 = `${'1'.repeat(20)}${'a'.repeat(44)}`;
    expect(maskPaymentCodeRuns(`sha ${sha256}`)).toBe(`sha ${sha256}`);
    expect(containsPaymentCodeRun(`${CODE}X`)).toBe(true);
    expect(containsPaymentCodeRun('6901234567892')).toBe(false);
    expect(containsPaymentCodeRun(sha256)).toBe(false);
  });

  it('logs a product barcode and a receipt number holding a code masked', () => {
    expect(describeScanForLog(classifyScan(`${CODE}X`))).toEqual({ kind: 'product', barcode: '1301**********0777X' });
    expect(JSON.stringify(describeScanForLog(classifyScan(`POSR:T01:${CODE}`)))).not.toContain(CODE);
  });

  it('masks a glued code in the log file, in the message as in the fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-log-'));
    const logger = createFileLogger(dir, new ManualClock(0));
    logger.warn(`scan ${CODE}X`, { barcode: `${CODE}X`, error: `no item ${CODE}` });
    logger.flush();
    const text = readFileSync(join(dir, 'logs', 'app.log'), 'utf8');
    expect(text).not.toContain(CODE);
    expect(text).toContain('1301**********0777X');
  });

  it('masks a glued code in audit details, and keeps a Z report hash exactly', () => {
    const sha256 = `${'9'.repeat(18)}${'f'.repeat(46)}`;
    const text = canonicalAuditDetails({ note: `customer showed ${CODE}X`, sha256 });
    expect(text).not.toContain(CODE);
    expect(text).toContain(sha256);
  });
});
