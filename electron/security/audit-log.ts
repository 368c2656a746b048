import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import type { AuditChainReport, AuditEntryView } from '../../shared/security';
import {
  AUDIT_GENESIS_HASH,
  getAuditHead,
  insertAuditRow,
  iterateAuditRows,
  listAuditRows,
  type AuditRow,
} from '../db/audit-log';
import { canonicalAuditDetails, type AuditDetails } from './audit-details';

/** Who did it: a person (user id and name at the time) or the app itself. */
export interface Actor {
  id: string;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: '系统' };

/**
 * The actions this feature writes. Other features add their own ('refund.requested', 'shift.closed',
 * 'reconciliation.note'...): any lower-case dotted name is accepted.
 */
export const AUDIT_ACTIONS = {
  signIn: 'user.sign-in',
  signInFailed: 'user.sign-in-failed',
  /** A wrong PIN given to approve something or to change a PIN. */
  pinWrong: 'user.pin-wrong',
  locked: 'user.locked',
  unlocked: 'user.unlocked',
  signOut: 'user.sign-out',
  userCreated: 'user.created',
  pinChanged: 'user.pin-changed',
  pinReset: 'user.pin-reset',
  userActivated: 'user.activated',
  userDeactivated: 'user.deactivated',
  ownerCreated: 'setup.owner-created',
  demoSeeded: 'setup.demo-seeded',
  demoDisabled: 'setup.demo-disabled',
  /** Settings said live for the first time (demo and sandbox staff switched off for good). */
  liveModeSet: 'setup.live-mode',
  /** A manager cleared the terminal's PIN lock and count. */
  terminalUnlocked: 'pin.terminal-unlocked',
  setupCodeRefused: 'setup.code-refused',
  approvalGranted: 'approval.granted',
  approvalRefused: 'approval.refused',
  approvalUsed: 'approval.used',
  settingsChanged: 'settings.changed',
  secretReplaced: 'secret.replaced',
  secretCleared: 'secret.cleared',
  limitOverride: 'risk.override',
  alertRaised: 'risk.alert',
  alertAcknowledged: 'risk.alert-acknowledged',
  backupCreated: 'backup.created',
  backupFailed: 'backup.failed',
} as const;

const ACTION_NAME = /^[a-z][a-z0-9]*(\.[a-z0-9-]+)+$/;

/** SHA-256 over the previous hash and the row's canonical form: a change anywhere changes every later link. */
export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([row.seq, row.at, row.actor_id, row.actor_name, row.action, row.details]);
  return createHash('sha256').update(`${row.prev_hash}\n${canonical}`, 'utf8').digest('hex');
}

export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends one entry. Safe inside a caller's transaction (better-sqlite3 nests it as a savepoint), which is how
   * a domain change and its audit row commit together. Returns the entry's seq.
   */
  append(actor: Actor, action: string, details: AuditDetails = {}): number {
    if (!ACTION_NAME.test(action)) throw new Error(`audit action must be a dotted lower-case name: ${action.slice(0, 40)}`);
    return this.db.transaction(() => {
      const head = getAuditHead(this.db);
      const row: Omit<AuditRow, 'hash'> = {
        seq: head.seq + 1,
        at: this.clock.now(),
        actor_id: actor.id,
        actor_name: actor.name,
        action,
        details: canonicalAuditDetails(details),
        prev_hash: head.hash,
      };
      insertAuditRow(this.db, { ...row, hash: hashAuditRow(row) });
      return row.seq;
    })();
  }

  /** Newest first, a page at a time. */
  list(beforeSeq: number | null, limit: number): AuditEntryView[] {
    return listAuditRows(this.db, beforeSeq, limit).map(toView);
  }

  head(): { seq: number; hash: string } {
    return getAuditHead(this.db);
  }

  verify(): AuditChainReport {
    return verifyAuditChain(this.db);
  }
}

function toView(row: AuditRow): AuditEntryView {
  return {
    seq: row.seq,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

/**
 * Walks the whole chain: every row's hash must match its content, link to the row before, and seq must run
 * 1, 2, 3... without gaps; the last row must be the head the insert trigger recorded. Reports the first row that
 * breaks any of these. (Someone who drops the triggers AND rewrites the head AND recomputes every later hash is
 * not caught here: print the head hash on the Z report to anchor the chain outside the database.)
 */
export function verifyAuditChain(db: Database): AuditChainReport {
  let expectedSeq = 1;
  let prevHash = AUDIT_GENESIS_HASH;
  let rows = 0;
  for (const row of iterateAuditRows(db)) {
    if (row.seq !== expectedSeq) {
      return broken(rows, expectedSeq, 'missing-row', `第 ${expectedSeq} 条记录缺失（已被删除）`, `entry ${expectedSeq} is missing (deleted)`);
    }
    if (row.prev_hash !== prevHash) {
      return broken(rows, row.seq, 'broken-link', `第 ${row.seq} 条记录与前一条不相连`, `entry ${row.seq} does not link to the one before it`);
    }
    if (hashAuditRow(row) !== row.hash) {
      return broken(rows, row.seq, 'edited', `第 ${row.seq} 条记录被改动过`, `entry ${row.seq} was altered`);
    }
    prevHash = row.hash;
    expectedSeq += 1;
    rows += 1;
  }
  const lastSeq = expectedSeq - 1;
  const head = getAuditHead(db);
  if (head.seq !== lastSeq || head.hash !== prevHash) {
    const missing = Math.max(head.seq, lastSeq + 1);
    return broken(
      rows,
      lastSeq + 1,
      'truncated',
      `日志末尾的记录被删除（应至少到第 ${missing} 条）`,
      `entries at the end were deleted (the log reached entry ${missing})`,
    );
  }
  return { ok: true, rows, headSeq: lastSeq, headHash: prevHash };
}

function broken(rows: number, seq: number, problem: 'edited' | 'broken-link' | 'missing-row' | 'truncated', zh: string, en: string): AuditChainReport {
  return { ok: false, rows, brokenAtSeq: seq, problem, message: { zh: `审计日志不完整：${zh}`, en: `Audit log broken: ${en}` } };
}
