import {
  HUB_ADMIN_REFDATA_PATHS, SCHEDULED_CHANGE_ADDRESS, historyQueryString, type HistoryChange, type HistoryEntryView, type HistoryQuery,
  type HistoryValue,
} from '../../../shared/hub-admin-api';
import { hubRequest } from '../client/hub-client';
import { useHubShell, type HubShell } from '../shell/context';
import { dateTime, money } from '../shell/format';
import { LoadState, isRefdataKey, useLoaded } from './common';

/**
 * The history of one item, person, store or account (GET history), newest first, in words: who, when, from where,
 * what, and each field old → new (money as ￥12.50, stores by name, yes / no), never raw JSON. `version` changes
 * after each save on the page, so the list shows the change just made.
 */
export function HistoryList({ query, version }: { query: HistoryQuery; version: number }) {
  const shell = useHubShell();
  const { t } = shell;
  const { loaded } = useLoaded(
    () => hubRequest<HistoryEntryView[]>('GET', `${HUB_ADMIN_REFDATA_PATHS.history}?${historyQueryString(query)}`),
    `${query.of}:${query.id}:${version}`,
  );
  return (
    <section className="refdata-history" aria-label={t('refdata.history')}>
      <h3>{t('refdata.history')}</h3>
      <LoadState loaded={loaded} />
      {loaded.state === 'ready' && loaded.value.length === 0 && <p className="hub-muted">{t('refdata.noHistory')}</p>}
      {loaded.state === 'ready' && loaded.value.length > 0 && (
        <ol>
          {loaded.value.map((entry) => (
            <li key={entry.auditId}>
              <div className="refdata-history-head">
                <strong>{actionText(shell, entry)}</strong>{' '}
                <span>{t('history.entry', { when: dateTime(entry.at, shell.language), who: entry.userName })}</span>{' '}
                <span className="hub-muted">
                  {entry.address === SCHEDULED_CHANGE_ADDRESS ? t('history.bySchedule') : t('history.from', { address: entry.address })}
                </span>
              </div>
              {entry.changes.length > 0 && (
                <ul>
                  {entry.changes.map((change) => <li key={change.field}>{changeText(shell, change)}</li>)}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function actionText({ t, stores }: HubShell, entry: HistoryEntryView): string {
  const key = `history.action.${entry.action}`;
  const action = isRefdataKey(key) ? t(key) : entry.action;
  if (entry.storeId === null) return action;
  const store = stores.find((s) => s.storeId === entry.storeId)?.name ?? t('refdata.otherStore');
  return `${action}（${store}）`;
}

export function changeText(shell: HubShell, change: HistoryChange): string {
  const { t } = shell;
  const fieldKey = `history.field.${change.field}`;
  const field = isRefdataKey(fieldKey) ? t(fieldKey) : change.field;
  if (change.field === 'pin' || change.field === 'password') return t('history.secretSet', { field });
  if (change.before === null && change.after !== null) return t('history.set', { field, after: valueText(shell, change.after) });
  return t('history.changed', { field, before: valueText(shell, change.before), after: valueText(shell, change.after) });
}

export function valueText({ t, stores, language }: HubShell, value: HistoryValue | null): string {
  if (value === null) return t('history.value.none');
  switch (value.type) {
    case 'fen': return money(value.fen);
    case 'chain-price': return t('history.value.chainPrice');
    case 'flag': return value.on ? t('history.value.on') : t('history.value.off');
    case 'time': return dateTime(value.at, language);
    case 'stores': return value.storeIds.map((id) => stores.find((s) => s.storeId === id)?.name ?? t('refdata.otherStore')).join('、') || t('history.value.none');
    case 'role': {
      const key = `staff.role.${value.role}`;
      return isRefdataKey(key) ? t(key) : value.role;
    }
    case 'text': return value.text === '' ? t('history.value.none') : value.text;
  }
}
