import type { DataProblem } from '../../shared/api';
import type { AuditChainReport } from '../../shared/security';
import { DISK_FULL_WORDS } from '../host/dispatch';

/**
 * The data problems the app currently knows of (AppInfo.dataProblems), one per kind. Each change is told at once
 * (the composition root pushes 'app.info', so both windows show it without a reload).
 */
export class DataProblems {
  private readonly byKind = new Map<DataProblem['kind'], DataProblem>();

  constructor(private readonly onChange: () => void) {}

  list(): DataProblem[] {
    return [...this.byKind.values()];
  }

  has(kind: DataProblem['kind']): boolean {
    return this.byKind.has(kind);
  }

  set(problem: DataProblem): void {
    this.byKind.set(problem.kind, problem);
    this.onChange();
  }

  clear(kind: DataProblem['kind']): void {
    if (this.byKind.delete(kind)) this.onChange();
  }
}

export const diskFullProblem = (): DataProblem => ({ kind: 'disk-full', message: DISK_FULL_WORDS, restore: null });

export function auditBrokenProblem(report: AuditChainReport, dataDir: string): DataProblem {
  const zh = report.ok ? '' : `（${report.message.zh}）`;
  const en = report.ok ? '' : ` (${report.message.en})`;
  const command = `npx tsx electron/security/verify-audit-cli.ts "${dataDir}"`;
  return {
    kind: 'audit-broken',
    message: {
      zh: `审计日志的哈希链断了${zh}：记录可能被人改动过。请店长运行 ${command} 查看，并与已打印 Z 报表上的“审计链”编号和哈希核对；收银可以继续。`,
      en: `The audit log's hash chain is broken${en}: records may have been altered. A manager runs ${command} and compares it with the “Audit chain” number and hash printed on the Z reports; the counter keeps working.`,
    },
    restore: null,
  };
}

/** The restore command as run on this host with the app closed. */
export function restoreCliCommand(dataDir: string): (file: string) => string {
  return (file) => `npx tsx electron/security/restore-backup-cli.ts "${file}" "${dataDir}"`;
}
