import {
  HUB_ADMIN_PATHS, HUB_ADMIN_REFERENCE_PATHS, type AdminStateAnswer, type AlertView, type AuditView, type ItemOverrideRequest,
  type ItemView, type ManagerView, type PairingCodeAnswer, type SignedInAnswer, type SignInRequest, type StaffView,
  type StoreSettingsView, type StoreView, type TerminalView, type CreateItemRequest, type UpdateItemRequest,
  type CreateStaffRequest, type UpdateStaffRequest, type StoreSettingsRequest, type CreateManagerRequest,
} from '../../../shared/hub-admin-api';
import { splitBilingual, type Localized } from '../../../shared/i18n';

/** A refusal from the hub (HubErrorBody) or a network failure, with the message in both languages. */
export class HubApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Localized,
    /** Seconds from the hub's Retry-After (a sign-in backoff or lock), else null. */
    readonly retryAfterS: number | null,
  ) {
    super(text.en);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Called on every 401 of a signed-in call, so the shell can go back to the sign-in page ("session expired"). */
let onSignedOut: (() => void) | null = null;
export function setSignedOutHandler(handler: (() => void) | null): void {
  onSignedOut = handler;
}

/**
 * The one way the hub's pages call the admin API (shared/hub-admin-api.ts): same origin, the session cookie goes by
 * itself (HttpOnly: no script sees it), writes as JSON (the hub refuses other content types). Each answer is typed
 * by the contract; the hub validates the requests.
 */
export async function hubRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new HubApiError(0, 'NETWORK', { zh: '连接不到总部服务器', en: 'Cannot reach the hub' }, null);
  }
  const text = await response.text();
  if (!response.ok) {
    let code = 'INTERNAL';
    let message = `总部返回错误 ${response.status} / The hub answered ${response.status}`;
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
      code = parsed.error?.code ?? code;
      message = parsed.error?.message ?? message;
    } catch {
      // Not a HubErrorBody (a proxy's page): keep the generic message.
    }
    const retry = Number(response.headers.get('retry-after'));
    const error = new HubApiError(response.status, code, splitBilingual(message) ?? { zh: message, en: message }, Number.isFinite(retry) && retry > 0 ? retry : null);
    if (response.status === 401 && code === 'UNAUTHENTICATED') onSignedOut?.();
    throw error;
  }
  return (text === '' ? null : JSON.parse(text)) as T;
}

/** The admin API by name; pages add their own calls next to their page (see README) or here when shared. */
export const hubApi = {
  state: () => hubRequest<AdminStateAnswer>('GET', HUB_ADMIN_PATHS.state),
  session: () => hubRequest<SignedInAnswer>('GET', HUB_ADMIN_PATHS.session),
  signIn: (request: SignInRequest) => hubRequest<SignedInAnswer>('POST', HUB_ADMIN_PATHS.session, request),
  signOut: () => hubRequest<{ ok: true }>('DELETE', HUB_ADMIN_PATHS.session),
  stores: () => hubRequest<StoreView[]>('GET', HUB_ADMIN_PATHS.stores),
  createStore: (name: string) => hubRequest<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name }),
  pairingCode: (storeId: string) => hubRequest<PairingCodeAnswer>('POST', HUB_ADMIN_PATHS.pairingCodes(storeId)),
  terminals: () => hubRequest<TerminalView[]>('GET', HUB_ADMIN_PATHS.terminals),
  revokeTerminal: (terminalId: string) => hubRequest<TerminalView>('POST', HUB_ADMIN_PATHS.revokeTerminal(terminalId)),
  alerts: () => hubRequest<AlertView[]>('GET', HUB_ADMIN_PATHS.alerts),
  items: () => hubRequest<ItemView[]>('GET', HUB_ADMIN_REFERENCE_PATHS.items),
  createItem: (r: CreateItemRequest) => hubRequest<ItemView>('POST', HUB_ADMIN_REFERENCE_PATHS.items, r),
  updateItem: (itemId: string, r: UpdateItemRequest) => hubRequest<ItemView>('PATCH', HUB_ADMIN_REFERENCE_PATHS.item(itemId), r),
  setItemOverride: (itemId: string, storeId: string, r: ItemOverrideRequest) =>
    hubRequest<ItemView>('PUT', HUB_ADMIN_REFERENCE_PATHS.itemOverride(itemId, storeId), r),
  staff: () => hubRequest<StaffView[]>('GET', HUB_ADMIN_REFERENCE_PATHS.staff),
  createStaff: (r: CreateStaffRequest) => hubRequest<StaffView>('POST', HUB_ADMIN_REFERENCE_PATHS.staff, r),
  updateStaff: (staffId: string, r: UpdateStaffRequest) => hubRequest<StaffView>('PATCH', HUB_ADMIN_REFERENCE_PATHS.staffMember(staffId), r),
  changeStaffPin: (staffId: string, pin: string) => hubRequest<StaffView>('POST', HUB_ADMIN_REFERENCE_PATHS.staffPin(staffId), { pin }),
  storeSettings: (storeId: string) => hubRequest<StoreSettingsView>('GET', HUB_ADMIN_REFERENCE_PATHS.storeSettings(storeId)),
  putStoreSettings: (storeId: string, r: StoreSettingsRequest) =>
    hubRequest<StoreSettingsView>('PUT', HUB_ADMIN_REFERENCE_PATHS.storeSettings(storeId), r),
  users: () => hubRequest<ManagerView[]>('GET', HUB_ADMIN_REFERENCE_PATHS.users),
  createUser: (r: CreateManagerRequest) => hubRequest<ManagerView>('POST', HUB_ADMIN_REFERENCE_PATHS.users, r),
  audit: () => hubRequest<AuditView[]>('GET', HUB_ADMIN_REFERENCE_PATHS.audit),
};
