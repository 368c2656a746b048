import { useState, type FormEvent } from 'react';
import type { SettlementOrderView, SettlementReportView, StoreSettlementView } from '../../../shared/hub-settlement-api';
import { LoadState, useAction, useLoaded } from '../refdata/common';
import { useHubShell } from '../shell/context';
import { chinaDate, dateTime, money } from '../shell/format';
import { navigate, useHubLocation } from '../shell/router';
import type { HubMessageKey } from '../i18n/catalog';
import { settlementApi } from './api';
import { SettlementSetup } from './SettlementSetup';
import './settlement.css';

/**
 * The head office's settlement page (#/settlement?date=&store=, issue 16): each day's profit sharing per store —
 * due, split, returned, failed with WeChat's reason — from `GET settlement/report`; the owner retries a failed split
 * or resolves it by hand with a note (both audit-logged, shown below in the settlement audit log). Then the store's
 * rule sets, receivers and caps (SettlementSetup.tsx). The hub checks every call's role and stores: a manager reads
 * its own stores only and changes nothing here but proposing rules.
 */
export function SettlementPage() {
  const { t, stores, session } = useHubShell();
  const { params } = useHubLocation();
  const date = params.get('date') ?? chinaDate(Date.now() - 86_400_000);
  const store = params.get('store');
  const [version, setVersion] = useState(0);
  const { loaded } = useLoaded(() => settlementApi.report(date, store), `${date}:${store ?? ''}:${version}`);
  const [draftDate, setDraftDate] = useState(date);
  // Said at page level: a retried split leaves the failed list (and its card) as soon as the report reloads.
  const [notice, setNotice] = useState<string | null>(null);
  const changed = (done?: string): void => {
    setNotice(done ?? null);
    setVersion((v) => v + 1);
  };
  const owner = session.user.role === 'owner';
  return (
    <section className="hub-page" aria-labelledby="settlement-title">
      <h1 id="settlement-title">{t('settlement.title')}</h1>
      <form className="hub-toolbar" onSubmit={(e: FormEvent) => { e.preventDefault(); navigate('settlement', store ? { date: draftDate, store } : { date: draftDate }); setVersion((v) => v + 1); }}>
        <label>{t('settlement.date')}<input type="date" value={draftDate} required onChange={(e) => setDraftDate(e.target.value)} /></label>
        <label>{t('settlement.store')}
          <select value={store ?? ''} onChange={(e) => navigate('settlement', e.target.value ? { date, store: e.target.value } : { date })}>
            <option value="">{t('settlement.allStores')}</option>
            {stores.map((s) => <option key={s.storeId} value={s.storeId}>{s.name}</option>)}
          </select>
        </label>
        <button type="submit">{t('settlement.show')}</button>
      </form>
      {notice && <p role="status" className="hub-good">{notice}</p>}
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && <DayReport report={loaded.value} onChanged={changed} />}
      <SettlementSetup storeId={store ?? stores[0]?.storeId ?? null} version={version} onChanged={() => changed()} />
      {owner && <SettlementAudit version={version} />}
    </section>
  );
}

function DayReport({ report, onChanged }: { report: SettlementReportView; onChanged: (done: string) => void }) {
  const { t, stores } = useHubShell();
  const storeName = (id: string | null): string => stores.find((s) => s.storeId === id)?.name ?? t('settlement.unknownStore');
  const failed = report.stores.flatMap((s) => s.lines.filter((l) => l.state === 'failed').map((l) => ({ line: l, store: s.storeId })));
  return (
    <>
      {report.days.length === 0 && <p className="hub-muted">{t('settlement.noDay')}</p>}
      {report.days.map((d) => (
        <dl key={d.mchid} className="hub-card settlement-day" aria-label={t('settlement.merchant', { mchid: d.mchid })}>
          <dt>{t('settlement.merchant', { mchid: d.mchid })}</dt><dd />
          <dt>{t('settlement.dayState')}</dt><dd>{t(`settlement.state.${d.state}` as HubMessageKey)}</dd>
          <dt>{t('settlement.billState')}</dt>
          <dd>{t(`settlement.bill.${d.billState}` as HubMessageKey)}{d.billProblems.length > 0 && `：${d.billProblems.join('；')}`}</dd>
        </dl>
      ))}
      {report.stores.length > 0 && (
        <table className="hub-table settlement-table" aria-label={t('settlement.byStore')}>
          <thead>
            <tr>
              <th>{t('settlement.store')}</th><th className="num">{t('settlement.orders')}</th><th className="num">{t('settlement.orderFen')}</th>
              <th className="num">{t('settlement.due')}</th><th className="num">{t('settlement.split')}</th><th className="num">{t('settlement.returned')}</th>
              <th className="num">{t('settlement.failed')}</th><th className="num">{t('settlement.pending')}</th><th className="num">{t('settlement.unfrozen')}</th>
            </tr>
          </thead>
          <tbody>{report.stores.map((s) => <StoreRow key={s.storeId ?? '-'} name={storeName(s.storeId)} view={s} />)}</tbody>
        </table>
      )}
      <h2>{t('settlement.failedLines')}</h2>
      {failed.length === 0 ? <p className="hub-muted">{t('settlement.noFailed')}</p> : (
        <ul className="settlement-failed">
          {failed.map(({ line, store }) => <FailedLine key={`${line.transactionId}/${line.account}`} line={line} store={storeName(store)} onChanged={onChanged} />)}
        </ul>
      )}
    </>
  );
}

function StoreRow({ name, view }: { name: string; view: StoreSettlementView }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td className="num">{view.orders}</td>
      <td className="num">{money(view.orderFen)}</td>
      <td className="num">{money(view.dueFen)}</td>
      <td className="num">{money(view.splitFen)}</td>
      <td className="num">{money(view.returnedFen)}</td>
      <td className={view.failedFen > 0 ? 'num hub-error' : 'num'}>{money(view.failedFen)}</td>
      <td className="num">{money(view.pendingFen)}</td>
      <td className="num">{view.unfrozenOrders}</td>
    </tr>
  );
}

function FailedLine({ line, store, onChanged }: { line: SettlementOrderView; store: string; onChanged: (done: string) => void }) {
  const { t, session, language } = useHubShell();
  const [note, setNote] = useState('');
  const { run, busy, feedback } = useAction();
  const owner = session.user.role === 'owner';
  const act = (action: 'retry' | 'resolve'): void => {
    void run(async () => {
      await (action === 'retry' ? settlementApi.retry(line, note.trim()) : settlementApi.resolve(line, note.trim()));
      onChanged(t(action === 'retry' ? 'settlement.retried' : 'settlement.resolvedDone'));
    });
  };
  const label = `${store} ${line.outTradeNo} ${line.account}`;
  return (
    <li className="hub-card settlement-line" aria-label={label}>
      <div>
        <strong>{store}</strong> · {t('settlement.order')} <span className="hub-ref">{line.outTradeNo}</span> · {t('settlement.receiver')} {line.account} ({line.relationType})
        · {t('settlement.amount')} {money(line.amountFen)}
      </div>
      <div className="hub-error">{t('settlement.reason')}：{[line.failCode, line.failReason].filter(Boolean).join(' ')}</div>
      {line.resolved
        ? <p className="hub-muted">{t('settlement.resolvedBy', { by: line.resolved.by, at: dateTime(line.resolved.at, language), note: line.resolved.note })}</p>
        : owner && (
          <div className="settlement-actions">
            <label>{t('settlement.note')}<input value={note} maxLength={500} placeholder={t('settlement.notePlaceholder')} onChange={(e) => setNote(e.target.value)} /></label>
            <button type="button" disabled={busy || note.trim().length < 2} onClick={() => act('retry')}>{t('settlement.retry')}</button>
            <button type="button" disabled={busy || note.trim().length < 2} onClick={() => act('resolve')}>{t('settlement.resolve')}</button>
          </div>
        )}
      {feedback}
    </li>
  );
}

function SettlementAudit({ version }: { version: number }) {
  const { t, language } = useHubShell();
  const { loaded } = useLoaded(() => settlementApi.audit(), `audit:${version}`);
  return (
    <section className="hub-card" aria-labelledby="settlement-audit-title">
      <h2 id="settlement-audit-title">{t('settlement.audit')}</h2>
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && loaded.value.length === 0 && <p className="hub-muted">{t('settlement.noAudit')}</p>}
      {loaded.state === 'ready' && loaded.value.length > 0 && (
        <table className="hub-table refdata-table" aria-label={t('settlement.audit')}>
          <thead><tr><th>{t('settlement.when')}</th><th>{t('settlement.who')}</th><th>{t('settlement.action')}</th><th>{t('settlement.target')}</th><th>{t('settlement.note')}</th></tr></thead>
          <tbody>
            {loaded.value.slice(0, 100).map((a) => (
              <tr key={a.auditId}>
                <td>{dateTime(a.at, language)}</td>
                <td>{a.userName}</td>
                <td>{actionWords(a.action, t)}</td>
                <td className="hub-ref">{a.target}</td>
                <td>{noteOf(a.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const AUDIT_ACTIONS = new Set([
  'settlement.order.retry', 'settlement.order.resolve', 'settlement.rules.propose', 'settlement.rules.approve', 'settlement.rules.reject',
  'settlement.cap.set', 'settlement.receiver.add', 'settlement.merchant.set', 'settlement.refund-clearance',
]);

/** The action in words; one this page does not know yet is shown as the hub wrote it. */
function actionWords(action: string, t: (key: HubMessageKey) => string): string {
  return AUDIT_ACTIONS.has(action) ? t(`settlement.audit.${action}` as HubMessageKey) : action;
}

function noteOf(detail: unknown): string {
  if (typeof detail !== 'object' || detail === null) return '';
  const note = (detail as { note?: unknown }).note;
  return typeof note === 'string' ? note : '';
}
