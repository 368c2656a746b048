import { useRef, useState } from 'react';
import type { ManagerMessageKey } from './messages';
import { AlertsTab } from './alerts-tab';
import { AuditTab } from './audit-tab';
import { ItemsTab } from './items-tab';
import { ReconciliationTab } from './reconciliation-tab';
import { SettingsTab } from './settings-tab';
import { ShiftsTab } from './shifts-tab';
import { StaffTab } from './staff-tab';
import { SyncTab } from './sync-tab';
import { useManager } from './use-manager';

const TABS = [
  { id: 'shifts', label: 'tabs.shifts', Panel: ShiftsTab },
  { id: 'reconciliation', label: 'tabs.reconciliation', Panel: ReconciliationTab },
  { id: 'sync', label: 'tabs.sync', Panel: SyncTab },
  { id: 'alerts', label: 'tabs.alerts', Panel: AlertsTab },
  { id: 'audit', label: 'tabs.audit', Panel: AuditTab },
  { id: 'staff', label: 'tabs.staff', Panel: StaffTab },
  { id: 'items', label: 'tabs.items', Panel: ItemsTab },
  { id: 'settings', label: 'tabs.settings', Panel: SettingsTab },
] as const satisfies readonly { id: string; label: ManagerMessageKey; Panel: () => React.ReactNode }[];

type TabId = (typeof TABS)[number]['id'];

/** The manager's sections as WAI-ARIA tabs: arrows, Home and End move between them. */
export function ManagerTabs() {
  const { m } = useManager();
  const [current, setCurrent] = useState<TabId>('shifts');
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const index = TABS.findIndex((t) => t.id === current);
  const active = TABS[index] ?? TABS[0];

  const move = (to: number): void => {
    const next = (to + TABS.length) % TABS.length;
    const tab = TABS[next];
    if (!tab) return;
    setCurrent(tab.id);
    buttons.current[next]?.focus();
  };
  const onKeyDown = (event: React.KeyboardEvent): void => {
    const keys: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    const to = keys[event.key];
    if (to === undefined) return;
    event.preventDefault();
    move(to);
  };

  return (
    <div className="mgr-body">
      <div className="mgr-tabs" role="tablist" aria-label={m('tabs.label')} onKeyDown={onKeyDown}>
        {TABS.map((tab, i) => (
          <button
            key={tab.id}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`mgr-tab-${tab.id}`}
            aria-selected={tab.id === current}
            aria-controls={`mgr-panel-${tab.id}`}
            tabIndex={tab.id === current ? 0 : -1}
            onClick={() => setCurrent(tab.id)}
          >
            {m(tab.label)}
          </button>
        ))}
      </div>
      <main className="mgr-panel" role="tabpanel" id={`mgr-panel-${active.id}`} aria-labelledby={`mgr-tab-${active.id}`}>
        <active.Panel key={active.id} />
      </main>
    </div>
  );
}
