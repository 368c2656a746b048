/**
 * Checks a POS database's audit chain: `npx tsx electron/security/verify-audit-cli.ts <pos.sqlite | data-dir>`.
 * Prints `OK <rows> entries, head <seq> <hash>` and exits 0, or prints the first broken entry and exits 1
 * (2 for a usage error or an unreadable file). Opens the database read-only and changes nothing.
 */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { verifyAuditChain } from './audit-log';
import { DATABASE_FILE } from './restore';

export function runVerifyAudit(args: readonly string[], print: (line: string) => void): number {
  const target = args[0];
  if (!target || args.length > 1) {
    print('usage: verify-audit-cli <pos.sqlite | data-dir>');
    return 2;
  }
  const file = existsSync(target) && statSync(target).isDirectory() ? join(target, DATABASE_FILE) : target;
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    print(`cannot open ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    const report = verifyAuditChain(db);
    if (report.ok) {
      print(`OK ${report.rows} entries, head ${report.headSeq} ${report.headHash}`);
      return 0;
    }
    print(`BROKEN at entry ${report.brokenAtSeq} (${report.problem}): ${report.message.en} / ${report.message.zh}`);
    return 1;
  } catch (error) {
    print(`cannot read the audit log in ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = runVerifyAudit(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
}
