import { useState } from 'react';
import type { AuditChainReport } from '../../shared/security';
import { auditActionWords, auditDetailWords } from './audit-words';
import { Feedback } from './pin-input';
import { useLoad, useManager } from './use-manager';

const PAGE = 50;

/** The append-only audit log, newest first, a page at a time; and the hash chain's check in words. */
export function AuditTab() {
  const { api, m, time, text, language } = useManager();
  // People are named, not shown by id: the staff list (inactive people included) gives the names.
  const staff = useLoad(api, 'auth.listUsers', {});
  const nameOf = (id: string): string => staff.value?.find((u) => u.id === id)?.name ?? id;
  /** The seqs each page started before: going back pops one. */
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const beforeSeq = cursors[cursors.length - 1];
  const entries = useLoad(api, 'audit.list', { limit: PAGE, ...(beforeSeq ? { beforeSeq } : {}) });
  const [report, setReport] = useState<AuditChainReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const verify = async (): Promise<void> => {
    const r = await api.call('audit.verify', {});
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setReport(r.value);
  };
  const rows = entries.value ?? [];
  const oldest = rows[rows.length - 1]?.seq;

  return (
    <section className="mgr-section" aria-labelledby="mgr-audit-title">
      <div className="mgr-toolbar">
        <h2 id="mgr-audit-title">{m('tabs.audit')}</h2>
        <button type="button" onClick={() => void verify()}>
          {m('audit.verify')}
        </button>
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          ← {m('audit.newer')}
        </button>
        <button type="button" disabled={rows.length < PAGE || oldest === undefined} onClick={() => setCursors([...cursors, oldest])}>
          {m('audit.older')} →
        </button>
      </div>
      {report && (
        <p className={report.ok ? 'mgr-ok' : 'mgr-error'} role="status">
          {report.ok ? m('audit.ok', { rows: report.rows, seq: report.headSeq }) : m('audit.broken', { seq: report.brokenAtSeq, message: text(report.message) })}
        </p>
      )}
      <Feedback error={error ?? entries.error} />
      <table className="mgr-table" aria-label={m('tabs.audit')}>
        <thead>
          <tr>
            <th className="mgr-col-narrow">{m('audit.seq')}</th>
            <th>{m('audit.at')}</th>
            <th>{m('audit.actor')}</th>
            <th>{m('audit.action')}</th>
            <th className="mgr-col-wide">{m('audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{time(e.at)}</td>
              <td>{e.actorId === 'system' ? m('audit.system') : e.actorId === 'hub' ? m('audit.hub') : e.actorName}</td>
              <td>{auditActionWords(e.action, language)}</td>
              <td>{auditDetailWords(e, { language, nameOf, time: (ms) => time(ms) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
