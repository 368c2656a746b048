import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShiftService } from '../../../electron/shifts/service';
import { ManualClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { ReceiptDocument } from '../../../shared/receipt';
import type { AuditChainReport } from '../../../shared/security';
import { FakeWechat } from '../../helpers/fake-wechat-client';
import { openShiftsDb, withSecurity } from '../../unit/shifts/fixture';

const cashier = { id: 'c1', name: '李收银' };

/** A shift service on a real database file, closing one shift; printed documents are kept. */
function closedShift() {
  const file = join(mkdtempSync(join(tmpdir(), 'z-tamper-')), 'pos.sqlite');
  const db = openShiftsDb(file);
  const clock = new ManualClock(Date.UTC(2025, 2, 14, 2, 0, 0));
  const staff = withSecurity(db, clock);
  const printed: ReceiptDocument[] = [];
  const broken: AuditChainReport[] = [];
  const shifts = new ShiftService({
    db, clock, logger: new MemoryLogger(), terminalId: 'T1', client: new FakeWechat(clock).client(),
    worker: { registerHandler: () => {}, wake: () => {} }, audit: staff.security.audit, approvals: staff.security.approvals,
    printer: {
      enqueueDocument: (_kind, doc) => {
        printed.push(doc);
        return { ok: true, value: { jobId: printed.length } };
      },
      openDrawer: () => ({ ok: true, value: { jobId: 0 } }),
    },
    auditChain: staff.security.audit,
    onAuditBroken: (report) => broken.push(report),
  });
  const open = (): string => {
    const shift = shifts.openShift({ cashierId: cashier.id, cashierName: cashier.name, openingFloatFen: 1000 });
    shifts.submitCount({ shiftId: shift.id, actor: cashier, counts: [{ denominationFen: 1000, count: 1 }] });
    return shift.id;
  };
  const shiftId = open();
  shifts.closeShift({ shiftId, actor: cashier });
  return { db, shifts, staff, printed, broken, shiftId, open };
}

describe('Z reports and the audit chain', () => {
  it('a Z report rewritten with a recomputed checksum is not intact: its checksum differs from the one the audit entry recorded', () => {
    const { db, shifts, shiftId } = closedShift();
    expect(shifts.zReport(shiftId).intact).toBe(true);
    const stored = db.prepare('SELECT report_json FROM z_reports WHERE shift_id = ?').get(shiftId) as { report_json: string };
    const forged = stored.report_json.replace('"countedFen":1000', '"countedFen":900');
    expect(forged).not.toBe(stored.report_json);
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'z_reports'").all() as { name: string }[]) {
      db.exec(`DROP TRIGGER "${t.name}"`);
    }
    db.prepare('UPDATE z_reports SET report_json = ?, sha256 = ? WHERE shift_id = ?').run(forged, createHash('sha256').update(forged).digest('hex'), shiftId);
    expect(shifts.zReport(shiftId)).toMatchObject({ intact: false });
  });

  it('the printed Z carries the audit chain head as the shift closed: the shift.closed entry number and hash', () => {
    const { db, shifts, printed, shiftId } = closedShift();
    shifts.printReport(shiftId, 'Z', cashier);
    const entry = db.prepare("SELECT seq, hash FROM audit_log WHERE action = 'shift.closed'").get() as { seq: number; hash: string };
    const text = JSON.stringify(printed[0]);
    expect(text).toContain(`审计链 #${entry.seq}`);
    expect(text).toContain(entry.hash.slice(0, 32));
    expect(shifts.exportCsv(shiftId, 'Z')).toContain(entry.hash.slice(0, 32));
  });

  it('the audit chain is verified on every Z report, and a broken one is told', () => {
    const { db, shifts, broken, open } = closedShift();
    expect(broken).toEqual([]);
    db.exec('DROP TRIGGER audit_log_append_only_update');
    db.prepare("UPDATE audit_log SET actor_name = '别人' WHERE seq = 3").run();
    shifts.closeShift({ shiftId: open(), actor: cashier });
    expect(broken).toEqual([expect.objectContaining({ ok: false, brokenAtSeq: 3, problem: 'edited' })]);
  });
});
