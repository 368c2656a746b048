import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listFacts } from '../../../electron/db/facts';
import { appMigrations } from '../../../electron/db/migrations';
import { openDatabase } from '../../../electron/db/open';
import { parseFactBody, type ParsedFactBody } from '../../../shared/hub-facts';
import { FACT_KINDS } from '../../../shared/hub-protocol';
import { writeRealisticDay } from '../../helpers/fact-day';
import { scanText } from '../../helpers/leak-scan';

function errorOf(result: ParsedFactBody): string {
  return result.ok ? 'accepted' : result.error;
}

describe('fact bodies (shared/hub-facts.ts)', () => {
  it('accepts every fact the counter writes in a realistic day, of every kind', () => {
    const db = openDatabase(':memory:', appMigrations);
    writeRealisticDay(db);
    const facts = listFacts(db, 1, 1_000);
    expect(new Set(facts.map((f) => f.kind))).toEqual(new Set(FACT_KINDS));
    for (const f of facts) expect({ seq: f.seq, result: parseFactBody(f.kind, f.body) }).toMatchObject({ seq: f.seq, result: { ok: true } });
    db.close();
  });

  it('never carries a payment code, a full openid or a QR link', () => {
    const db = openDatabase(':memory:', appMigrations);
    const { secrets } = writeRealisticDay(db);
    const bodies = listFacts(db, 1, 1_000).map((f) => f.body).join('\n');
    expect(bodies).toContain('1345**********6789');
    expect(bodies).toContain('oUpF***eS6o');
    expect(scanText(bodies, 'facts', secrets)).toEqual([]);
    db.close();
  });

  it('keeps the Z report and audit entries verifiable from the fact alone', () => {
    const db = openDatabase(':memory:', appMigrations);
    writeRealisticDay(db);
    const z = listFacts(db, 1, 1_000).find((f) => f.kind === 'z-report')!;
    const body = JSON.parse(z.body) as { reportJson: string; sha256: string };
    expect(createHash('sha256').update(body.reportJson, 'utf8').digest('hex')).toBe(body.sha256);
    const audits = listFacts(db, 1, 1_000).filter((f) => f.kind === 'audit').map((f) => JSON.parse(f.body) as { hash: string; prevHash: string });
    expect(audits[1]!.prevHash).toBe(audits[0]!.hash);
    db.close();
  });

  it('refuses malformed bodies with a reason, and tolerates fields added later', () => {
    const cash = { movementId: 1, shiftId: 'S', kind: 'in', amountFen: 100, reason: '', actorId: 'c', actorName: 'n', approvedBy: null, at: 1 };
    expect(parseFactBody('cash-movement', JSON.stringify({ ...cash, addedLater: true }))).toMatchObject({ ok: true });
    expect(errorOf(parseFactBody('cash-movement', JSON.stringify({ ...cash, amountFen: 1.5 })))).toContain('amountFen');
    expect(parseFactBody('cash-movement', JSON.stringify({ ...cash, amountFen: '100' }))).toMatchObject({ ok: false });
    expect(parseFactBody('cash-movement', '{not json')).toEqual({ ok: false, error: 'body is not JSON' });
    expect(errorOf(parseFactBody('lottery', '{}'))).toContain('unknown fact kind');
    const attempt = {
      attemptId: 1, saleId: 1, tenderId: 1, terminalId: 'T01', receiptNo: 1, mode: 'micropay', outTradeNo: 'X', amountFen: 1, state: 'paid',
      authCodeMasked: '134567890123456789', payerMasked: null, transactionId: null, bankType: null, paidFen: 1, successTime: 1, failureCode: null, createdAt: 1, resolvedAt: 1,
    };
    expect(errorOf(parseFactBody('wechat-attempt', JSON.stringify(attempt)))).toContain('masked');
  });
});
