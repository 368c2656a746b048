import type { ComponentType } from 'react';
import type { HubUserRole } from '../../shared/hub-admin-api';
import { DashboardPage } from './dashboard/DashboardPage';
import { AccountsPage } from './refdata/AccountsPage';
import { ItemsPage } from './refdata/ItemsPage';
import { StaffPage } from './refdata/StaffPage';
import { StoresPage } from './refdata/StoresPage';
import { SettlementPage } from './settlement/SettlementPage';
import type { HubMessageKey } from './i18n/catalog';

/** One page of the head office: its hash path (`#/<path>`), its navigation label, who may open it. */
export interface HubRoute {
  path: string;
  navKey: HubMessageKey;
  roles: readonly HubUserRole[];
  Page: ComponentType;
}

const EVERYONE: readonly HubUserRole[] = ['owner', 'manager', 'finance'];

/**
 * The pages in navigation order; the first one the person may open is the start page. A page plugs in with one
 * entry here (see renderer/hub/README.md). The roles here only hide links: the hub checks every call itself.
 */
export const HUB_ROUTES: readonly HubRoute[] = [
  { path: 'dashboard', navKey: 'nav.dashboard', roles: EVERYONE, Page: DashboardPage },
  // Reference data (issue 15): finance reads items and prices; staff and settings are not finance's.
  { path: 'items', navKey: 'nav.items', roles: EVERYONE, Page: ItemsPage },
  { path: 'staff', navKey: 'nav.staff', roles: ['owner', 'manager'], Page: StaffPage },
  { path: 'stores', navKey: 'nav.stores', roles: ['owner', 'manager'], Page: StoresPage },
  { path: 'accounts', navKey: 'nav.accounts', roles: ['owner'], Page: AccountsPage },
  // Profit sharing (issue 16): the owner and finance see every store, a manager its own (the hub checks).
  { path: 'settlement', navKey: 'nav.settlement', roles: EVERYONE, Page: SettlementPage },
];
