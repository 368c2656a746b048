import { useState, type FormEvent } from 'react';
import { RELATION_TYPES, type ProposeRulesRequest, type RuleSetView } from '../../../shared/hub-settlement-api';
import { LoadState, useAction, useLoaded, yuanToFen } from '../refdata/common';
import { useHubShell } from '../shell/context';
import { chinaDate, money } from '../shell/format';
import type { HubMessageKey } from '../i18n/catalog';
import { settlementApi } from './api';

type RelationType = (typeof RELATION_TYPES)[number];

/**
 * Who receives what (issue 16), as the admin API allows each role: a store's rule sets (the owner approves or rejects
 * pending ones; the owner or the store's manager proposes new ones), the receivers and the daily caps (owner and
 * finance read them, the owner changes them). Shown for the store picked on the page (else the first one).
 */
export function SettlementSetup({ storeId, version, onChanged }: { storeId: string | null; version: number; onChanged: () => void }) {
  const { session } = useHubShell();
  const role = session.user.role;
  return (
    <>
      {storeId && <RuleSets storeId={storeId} version={version} onChanged={onChanged} />}
      {(role === 'owner' || role === 'manager') && storeId && <ProposeRules storeId={storeId} onChanged={onChanged} />}
      {role !== 'manager' && <Receivers version={version} onChanged={onChanged} />}
      {role !== 'manager' && <Caps version={version} onChanged={onChanged} />}
    </>
  );
}

function shareWords(share: RuleSetView['rules'][number]['share'], t: (key: HubMessageKey, p?: Record<string, string | number>) => string): string {
  return share.kind === 'percent' ? t('settlement.percent', { value: (share.basisPoints / 100).toFixed(2) }) : t('settlement.fixed', { value: money(share.fen) });
}

function RuleSets({ storeId, version, onChanged }: { storeId: string; version: number; onChanged: () => void }) {
  const { t, stores, session } = useHubShell();
  const { loaded } = useLoaded(() => settlementApi.rules(storeId), `${storeId}:${version}`);
  const { run, busy, feedback } = useAction();
  const storeName = stores.find((s) => s.storeId === storeId)?.name ?? storeId;
  const decide = (set: RuleSetView, approve: boolean): void => {
    void run(async () => {
      await (approve ? settlementApi.approve(set.ruleSetId) : settlementApi.reject(set.ruleSetId));
      onChanged();
    }, t('settlement.decided'));
  };
  return (
    <section className="hub-card" aria-label={`${t('settlement.rules')} ${storeName}`}>
      <h2>{t('settlement.rules')} · {storeName}</h2>
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && loaded.value.length === 0 && <p className="hub-muted">{t('settlement.noRules')}</p>}
      {loaded.state === 'ready' && loaded.value.map((set) => (
        <div key={set.ruleSetId} className="settlement-ruleset" aria-label={`${t('settlement.effectiveFrom')} ${set.effectiveFrom}`}>
          <p>
            {t('settlement.effectiveFrom')} {set.effectiveFrom} · {t(`settlement.rule.${set.state}` as HubMessageKey)}
            {set.decisionNote ? ` · ${set.decisionNote}` : ''}
          </p>
          <ul className="refdata-list">
            {set.rules.map((r) => <li key={`${r.account}:${r.description}`}>{r.account} ({r.relationType}) · {shareWords(r.share, t)} · {r.description}</li>)}
          </ul>
          {set.state === 'pending-approval' && session.user.role === 'owner' && (
            <div className="settlement-actions">
              <button type="button" className="primary" disabled={busy} onClick={() => decide(set, true)}>{t('settlement.approve')}</button>
              <button type="button" disabled={busy} onClick={() => decide(set, false)}>{t('settlement.reject')}</button>
            </div>
          )}
        </div>
      ))}
      {feedback}
    </section>
  );
}

interface RuleDraft { account: string; relationType: RelationType; kind: 'percent' | 'fixed'; value: string; description: string }
const emptyRule = (): RuleDraft => ({ account: '', relationType: 'STORE_OWNER', kind: 'percent', value: '', description: '' });

function ProposeRules({ storeId, onChanged }: { storeId: string; onChanged: () => void }) {
  const { t } = useHubShell();
  const [effectiveFrom, setEffectiveFrom] = useState(chinaDate(Date.now() + 86_400_000));
  const [rules, setRules] = useState<RuleDraft[]>([emptyRule()]);
  const { run, busy, feedback } = useAction();
  const toRequest = (): ProposeRulesRequest | null => {
    const out: ProposeRulesRequest['rules'] = [];
    for (const r of rules) {
      const percent = Number(r.value);
      const fixedFen = yuanToFen(r.value);
      if (!/^\d{8,16}$/.test(r.account.trim()) || r.description.trim() === '') return null;
      if (r.kind === 'percent' && !(percent > 0 && percent <= 100)) return null;
      if (r.kind === 'fixed' && (fixedFen === null || fixedFen <= 0)) return null;
      out.push({
        account: r.account.trim(), type: 'MERCHANT_ID', relationType: r.relationType, description: r.description.trim(),
        share: r.kind === 'percent' ? { kind: 'percent', basisPoints: Math.round(percent * 100) } : { kind: 'fixed', fen: fixedFen ?? 0 },
      });
    }
    return { storeId, effectiveFrom, rules: out };
  };
  const request = toRequest();
  const set = (i: number, patch: Partial<RuleDraft>): void => setRules(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!request) return;
    void run(async () => {
      await settlementApi.propose(request);
      setRules([emptyRule()]);
      onChanged();
    }, t('settlement.proposed'));
  };
  return (
    <form className="hub-card refdata-form" aria-label={t('settlement.propose')} onSubmit={submit}>
      <h2>{t('settlement.propose')}</h2>
      <p className="hub-muted">{t('settlement.proposeHint')}</p>
      <label>{t('settlement.effectiveFrom')}<input type="date" value={effectiveFrom} required onChange={(e) => setEffectiveFrom(e.target.value)} /></label>
      {rules.map((r, i) => (
        <fieldset key={i} className="refdata-checks settlement-rule">
          <label>{t('settlement.account')}<input value={r.account} inputMode="numeric" maxLength={16} onChange={(e) => set(i, { account: e.target.value })} /></label>
          <label>{t('settlement.relation')}
            <select value={r.relationType} onChange={(e) => set(i, { relationType: e.target.value as RelationType })}>
              {RELATION_TYPES.filter((x) => x !== 'CUSTOM').map((x) => <option key={x} value={x}>{x}</option>)}
            </select>
          </label>
          <label>{t('settlement.kind')}
            <select value={r.kind} onChange={(e) => set(i, { kind: e.target.value as RuleDraft['kind'] })}>
              <option value="percent">{t('settlement.kind.percent')}</option>
              <option value="fixed">{t('settlement.kind.fixed')}</option>
            </select>
          </label>
          <label>{t('settlement.value')}<input value={r.value} inputMode="decimal" onChange={(e) => set(i, { value: e.target.value })} /></label>
          <label>{t('settlement.description')}<input value={r.description} maxLength={80} onChange={(e) => set(i, { description: e.target.value })} /></label>
          {rules.length > 1 && <button type="button" onClick={() => setRules(rules.filter((_, j) => j !== i))}>{t('settlement.removeRule')}</button>}
        </fieldset>
      ))}
      <button type="button" onClick={() => setRules([...rules, emptyRule()])}>{t('settlement.addRule')}</button>
      {!request && <p className="hub-muted">{t('settlement.badRule')}</p>}
      <button type="submit" className="primary" disabled={busy || !request}>{t('settlement.propose')}</button>
      {feedback}
    </form>
  );
}

function Receivers({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { t, session } = useHubShell();
  const { loaded } = useLoaded(() => settlementApi.receivers(), `receivers:${version}`);
  const [draft, setDraft] = useState({ mchid: '', account: '', name: '', relationType: 'STORE_OWNER' as RelationType });
  const { run, busy, feedback } = useAction();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void run(async () => {
      await settlementApi.addReceiver({ mchid: draft.mchid.trim(), type: 'MERCHANT_ID', account: draft.account.trim(), name: draft.name.trim(), relationType: draft.relationType });
      onChanged();
    }, t('settlement.receiver.added'));
  };
  return (
    <section className="hub-card" aria-labelledby="settlement-receivers-title">
      <h2 id="settlement-receivers-title">{t('settlement.receivers')}</h2>
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && loaded.value.length === 0 && <p className="hub-muted">{t('settlement.noReceivers')}</p>}
      {loaded.state === 'ready' && loaded.value.length > 0 && (
        <table className="hub-table refdata-table" aria-label={t('settlement.receivers')}>
          <thead><tr><th>{t('settlement.mchid')}</th><th>{t('settlement.receiver')}</th><th>{t('settlement.receiverName')}</th><th>{t('settlement.relation')}</th><th>{t('settlement.receiverState')}</th></tr></thead>
          <tbody>
            {loaded.value.map((r) => (
              <tr key={`${r.mchid}/${r.account}`}>
                <td>{r.mchid}</td><td>{r.account}</td><td>{r.name ?? '—'}</td><td>{r.relationType}</td>
                <td>{t(`settlement.receiver.${r.state}` as HubMessageKey)}{r.lastError ? `：${r.lastError}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {session.user.role === 'owner' && (
        <form className="refdata-form refdata-inline" aria-label={t('settlement.addReceiver')} onSubmit={submit}>
          <label>{t('settlement.mchid')}<input value={draft.mchid} inputMode="numeric" required onChange={(e) => setDraft({ ...draft, mchid: e.target.value })} /></label>
          <label>{t('settlement.account')}<input value={draft.account} inputMode="numeric" required onChange={(e) => setDraft({ ...draft, account: e.target.value })} /></label>
          <label>{t('settlement.receiverName')}<input value={draft.name} required maxLength={128} onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
          <label>{t('settlement.relation')}
            <select value={draft.relationType} onChange={(e) => setDraft({ ...draft, relationType: e.target.value as RelationType })}>
              {RELATION_TYPES.filter((x) => x !== 'CUSTOM').map((x) => <option key={x} value={x}>{x}</option>)}
            </select>
          </label>
          <button type="submit" disabled={busy}>{t('settlement.addReceiver')}</button>
          {feedback}
        </form>
      )}
    </section>
  );
}

function Caps({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { t, stores, session } = useHubShell();
  const { loaded } = useLoaded(() => settlementApi.caps(), `caps:${version}`);
  const [scope, setScope] = useState('*');
  const [max, setMax] = useState('');
  const { run, busy, feedback } = useAction();
  const scopeName = (s: string): string => (s === '*' ? t('settlement.chain') : (stores.find((x) => x.storeId === s)?.name ?? s));
  const maxFen = max.trim() === '' ? null : yuanToFen(max);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (max.trim() !== '' && (maxFen === null || maxFen <= 0)) return;
    void run(async () => {
      await settlementApi.setCap({ scope, maxDayFen: maxFen });
      onChanged();
    }, t('refdata.saved'));
  };
  return (
    <section className="hub-card" aria-labelledby="settlement-caps-title">
      <h2 id="settlement-caps-title">{t('settlement.caps')}</h2>
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && loaded.value.length === 0 && <p className="hub-muted">{t('settlement.noCaps')}</p>}
      {loaded.state === 'ready' && loaded.value.length > 0 && (
        <ul className="refdata-list">{loaded.value.map((c) => <li key={c.scope}>{scopeName(c.scope)}：{t('settlement.maxDay')} {money(c.maxDayFen)}</li>)}</ul>
      )}
      {session.user.role === 'owner' && (
        <form className="refdata-form refdata-inline" aria-label={t('settlement.setCap')} onSubmit={submit}>
          <label>{t('settlement.scope')}
            <select value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="*">{t('settlement.chain')}</option>
              {stores.map((s) => <option key={s.storeId} value={s.storeId}>{s.name}</option>)}
            </select>
          </label>
          <label>{t('settlement.maxDay')}<input value={max} inputMode="decimal" placeholder={t('settlement.capHint')} onChange={(e) => setMax(e.target.value)} /></label>
          <button type="submit" disabled={busy}>{t('settlement.setCap')}</button>
          {max.trim() !== '' && maxFen === null && <p className="hub-error">{t('refdata.badMoney')}</p>}
          {feedback}
        </form>
      )}
    </section>
  );
}
