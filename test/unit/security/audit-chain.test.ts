import { describe, expect, it } from 'vitest';
import { AuditLog, hashAuditRow, verifyAuditChain } from '../../../electron/security/audit-log';
import { canonicalAuditDetails } from '../../../electron/security/audit-details';
import { ManualClock } from '../../../shared/clock';
import { openSecurityDb } from './fixture';

const cashier = { id: 'u-1', name: '李收银' };

function logWith(entries: number): { log: AuditLog; db: ReturnType<typeof openSecurityDb>; clock: ManualClock } {
  const db = openSecurityDb();
  const clock = new ManualClock(Date.UTC(2026, 4, 1));
  const log = new AuditLog(db, clock);
  for (let i = 1; i <= entries; i += 1) {
    clock.advance(1000);
    log.append(cashier, 'refund.requested', { saleId: i, amountFen: i * 100 });
  }
  return { log, db, clock };
}

function dropGuards(db: ReturnType<typeof openSecurityDb>): void {
  for (const name of ['audit_log_append_only_update', 'audit_log_append_only_delete']) db.exec(`DROP TRIGGER ${name}`);
}

describe('the audit log', () => {
  it('chains every entry to the one before with SHA-256 and verifies clean', () => {
    const { log, db } = logWith(5);
    const report = verifyAuditChain(db);
    expect(report).toEqual({ ok: true, rows: 5, headSeq: 5, headHash: log.head().hash });
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as { prev_hash: string; hash: string }[];
    expect(rows[0]?.prev_hash).toBe('0'.repeat(64));
    rows.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(rows[i]?.hash));
  });

  it('verifies an empty log', () => {
    expect(verifyAuditChain(openSecurityDb())).toEqual({ ok: true, rows: 0, headSeq: 0, headHash: '0'.repeat(64) });
  });

  it('refuses UPDATE and DELETE at the SQL level', () => {
    const { db } = logWith(3);
    expect(() => db.prepare("UPDATE audit_log SET details = '{}' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE audit_head SET seq = 1').run()).toThrow(/only follows/);
    expect(() => db.prepare('DELETE FROM audit_head').run()).toThrow(/cannot be deleted/);
  });

  it('refuses a raw insert that does not extend the chain', () => {
    const { db } = logWith(2);
    const row = { seq: 3, at: 1, actor_id: 'x', actor_name: 'x', action: 'a.b', details: '{}', prev_hash: 'f'.repeat(64) };
    expect(() =>
      db.prepare('INSERT INTO audit_log (seq, at, actor_id, actor_name, action, details, prev_hash, hash) VALUES (@seq, @at, @actor_id, @actor_name, @action, @details, @prev_hash, @hash)').run({ ...row, hash: hashAuditRow(row) }),
    ).toThrow(/does not extend/);
  });

  it('detects an edited row even after the triggers were dropped', () => {
    const { db } = logWith(5);
    dropGuards(db);
    db.prepare(`UPDATE audit_log SET details = '{"amountFen":1,"saleId":3}' WHERE seq = 3`).run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAtSeq: 3, problem: 'edited' });
  });

  it('detects an edited row whose own hash was recomputed: the next link breaks', () => {
    const { db } = logWith(5);
    dropGuards(db);
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as Parameters<typeof hashAuditRow>[0];
    const forged = { ...row, actor_name: '别人' };
    db.prepare('UPDATE audit_log SET actor_name = ?, hash = ? WHERE seq = 3').run(forged.actor_name, hashAuditRow(forged));
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAtSeq: 4, problem: 'broken-link' });
  });

  it('detects a deleted row in the middle', () => {
    const { db } = logWith(5);
    dropGuards(db);
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAtSeq: 2, problem: 'missing-row' });
  });

  it('detects the first row deleted', () => {
    const { db } = logWith(3);
    dropGuards(db);
    db.prepare('DELETE FROM audit_log WHERE seq = 1').run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAtSeq: 1, problem: 'missing-row' });
  });

  it('detects the newest rows deleted (a shortened chain still links up)', () => {
    const { db } = logWith(5);
    dropGuards(db);
    db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    const report = verifyAuditChain(db);
    expect(report).toMatchObject({ ok: false, brokenAtSeq: 4, problem: 'truncated' });
    expect(report.ok ? '' : report.message.zh).toMatch(/末尾/);
  });

  it('keeps appending after a verification and stays valid', () => {
    const { log, db } = logWith(2);
    expect(verifyAuditChain(db).ok).toBe(true);
    log.append(cashier, 'user.sign-out');
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 3 });
  });

  it('commits or rolls back together with the caller’s transaction', () => {
    const { log, db } = logWith(1);
    expect(() =>
      db.transaction(() => {
        log.append(cashier, 'refund.requested', { saleId: 9 });
        throw new Error('the refund failed');
      })(),
    ).toThrow('the refund failed');
    expect(log.head().seq).toBe(1);
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it('refuses action names that are not dotted lower-case', () => {
    const { log } = logWith(0);
    expect(() => log.append(cashier, 'Refund Requested')).toThrow(/dotted/);
  });
});

describe('audit details', () => {
  it('are canonical (sorted keys) and masked: no PIN, key, PEM, openid or full payment code', () => {
    const text = canonicalAuditDetails({
      z: 1,
      authCode: '134567890123456789',
      note: 'scanned 134567890123456789 twice',
      pin: '4826',
      apiV3Key: 'k'.repeat(32),
      openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      merchantPrivateKeyPem: '-----BEGIN PRIVATE KEY-----',
      pinChanged: true,
      a: { nested: { token: 'abc' } },
    });
    expect(text).toBe(
      '{"a":{"nested":{"token":"[redacted]"}},"apiV3Key":"[redacted]","authCode":"[redacted]","merchantPrivateKeyPem":"[redacted]",' +
        '"note":"scanned 1345**********6789 twice","openid":"[redacted]","pin":"[redacted]","pinChanged":true,"z":1}',
    );
  });

  it('keep a hash whose hex happens to hold a long run of digits intact, while still masking a payment code', () => {
    const sha256 = '1bcec4d0e5b71598418b6e73f0f089dff3f8c121739571bb9330380827478172';
    const text = canonicalAuditDetails({ sha256, note: 'code 134567890123456789,' });
    expect(JSON.parse(text)).toEqual({ sha256, note: 'code 1345**********6789,' });
  });
});
