import { useLoad, useManager } from './use-manager';

/**
 * On a counter enrolled with a hub, the items, staff and the store's settings are the hub's: this says so and where
 * (the main side refuses local edits anyway; this spares the manager a refused PIN). Returns null otherwise.
 */
export function useHubManaged(): string | null {
  const { api } = useManager();
  const status = useLoad(api, 'hub.status', {}, 'hub.status');
  return status.value?.enrolled ? (status.value.hubUrl ?? '') : null;
}

export function HubManagedNote({ hubUrl, what }: { hubUrl: string | null; what: 'items' | 'staff' | 'settings' | 'reconciliation' }) {
  const { m } = useManager();
  if (hubUrl === null) return null;
  const key = what === 'items' ? 'hub.managedItems' : what === 'staff' ? 'hub.managedStaff' : what === 'reconciliation' ? 'hub.managedReconciliation' : 'hub.managedSettings';
  return (
    <p className="mgr-card mgr-muted" role="note">
      {m(key, { url: hubUrl })}
    </p>
  );
}
