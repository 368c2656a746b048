import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { WindowRole } from '../shared/api';
import { AppContext, useAppInfo } from './app-context';
import { CashierScreen } from './cashier/cashier-screen';
import { createPosClient } from './client/api-client';
import { CustomerDisplayScreen } from './display/customer-display-screen';
import { ManagerScreen } from './manager/manager-screen';

/** The window's role: ?window= in Electron (loadFile), the path under the web host (/cashier, /display, /manager). */
function windowRole(): WindowRole {
  const fromQuery = new URLSearchParams(location.search).get('window');
  const fromPath = location.pathname.split('/').filter(Boolean).at(-1);
  const role = fromQuery ?? fromPath;
  return role === 'display' || role === 'manager' ? role : 'cashier';
}

const role = windowRole();
const api = createPosClient();

function Root() {
  const context = useAppInfo(api, role);
  return (
    <AppContext.Provider value={context}>
      {role === 'display' ? <CustomerDisplayScreen /> : role === 'manager' ? <ManagerScreen /> : <CashierScreen />}
    </AppContext.Provider>
  );
}

const container = document.getElementById('root');
if (container) {
  document.body.dataset.window = role;
  createRoot(container).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
}
