/**
 * Every admin API route as a row: how to call it and what each role gets (issue 15's role check). The test
 * (hub-roles.test.ts) calls each row as signed-out, finance, manager of store A and owner, in that order, against
 * one seeded world of two stores, and checks that no answer to store A's manager carries anything of store B.
 * A new admin route adds its row here (renderer/hub/README.md, "How a page plugs in").
 */
import {
  HUB_ADMIN_OPERATIONS_PATHS as O, HUB_ADMIN_PATHS, HUB_ADMIN_RECON_PATHS, HUB_ADMIN_REFDATA_PATHS as D, HUB_ADMIN_REFERENCE_PATHS, historyQueryString,
} from '../../../shared/hub-admin-api';
import { HUB_WECHAT_ADMIN_PATHS } from '../../../shared/hub-wechat-admin-api';
import { EXPORT_KINDS, HUB_REPORT_PATHS, reportQueryString } from '../../../shared/hub-reports-api';
import { HUB_SETTLEMENT_PATHS as ST } from '../../../shared/hub-settlement-api';

export type RouteRole = 'signedOut' | 'finance' | 'managerA' | 'owner';
export const ROUTE_ROLES: readonly RouteRole[] = ['signedOut', 'finance', 'managerA', 'owner'];

/** The seeded world: two stores, a counter in each, a cashier in each, an item; store B is never store A's manager's. */
export interface RoleWorld {
  storeA: string;
  storeB: string;
  terminalA: string;
  terminalB: string;
  staffA: string;
  staffB: string;
  itemId: string;
  /** Hub sign-in accounts: store A's manager, and a finance account the owner manages in the table. */
  managerAId: string;
  financeId: string;
  /** A spare manager account (of store A) the table disables, resets and unlocks. */
  spareId: string;
  /** Pending price changes: one for store A's price, one for store B's (cancelled in the table). */
  scheduleA: string;
  scheduleB: string;
  /** Texts of store B that must never reach store A's manager (its name, counter and cashier names). */
  storeBSecrets: string[];
  /** A day with sales at both stores (YYYY-MM-DD, China time). */
  day: string;
}

export interface RouteCase {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (w: RoleWorld) => string;
  body?: (w: RoleWorld, role: RouteRole) => unknown;
  /** The HTTP status each role gets. */
  expect: Record<RouteRole, number>;
}

const A = HUB_ADMIN_PATHS;
const R = HUB_ADMIN_REFERENCE_PATHS;
const readAll = { signedOut: 401, finance: 200, managerA: 200, owner: 200 };
const ownerOnly = (ok: number) => ({ signedOut: 401, finance: 403, managerA: 403, owner: ok });
const settings = (name: string) => ({
  name, address: '', receiptFooter: '谢谢惠顾', maxCashOutFen: 50_000, maxRefundFen: 50_000, wechat: { mchid: null, subMchid: null, appid: null },
});

const settlementRules = (storeId: string) => ({
  storeId, effectiveFrom: '2026-12-08', rules: [{ account: '1900000002', type: 'MERCHANT_ID', relationType: 'STORE_OWNER', share: { kind: 'percent', basisPoints: 1_000 }, description: '店主分成' }],
});

export const ADMIN_ROUTE_CASES: RouteCase[] = [
  { name: 'state', method: 'GET', path: () => A.state, expect: { signedOut: 200, finance: 200, managerA: 200, owner: 200 } },
  { name: 'who is signed in', method: 'GET', path: () => A.session, expect: readAll },
  { name: 'stores', method: 'GET', path: () => A.stores, expect: readAll },
  { name: 'create a store', method: 'POST', path: () => A.stores, body: () => ({ name: '三号店' }), expect: ownerOnly(201) },
  { name: "pairing code for store A", method: 'POST', path: (w) => A.pairingCodes(w.storeA), body: () => ({}), expect: { signedOut: 401, finance: 403, managerA: 201, owner: 201 } },
  { name: "pairing code for store B", method: 'POST', path: (w) => A.pairingCodes(w.storeB), body: () => ({}), expect: ownerOnly(201) },
  { name: 'terminals', method: 'GET', path: () => A.terminals, expect: readAll },
  { name: 'alerts', method: 'GET', path: () => A.alerts, expect: readAll },
  { name: 'items', method: 'GET', path: () => R.items, expect: readAll },
  { name: 'create an item', method: 'POST', path: () => R.items, body: (_w, role) => ({ name: `新品-${role}`, priceFen: 500 }), expect: ownerOnly(201) },
  { name: 'change the chain item', method: 'PATCH', path: (w) => R.item(w.itemId), body: () => ({ priceFen: 350 }), expect: ownerOnly(200) },
  { name: "store A's price", method: 'PUT', path: (w) => R.itemOverride(w.itemId, w.storeA), body: () => ({ priceFen: 320, available: true }), expect: { signedOut: 401, finance: 403, managerA: 200, owner: 200 } },
  { name: "store B's price", method: 'PUT', path: (w) => R.itemOverride(w.itemId, w.storeB), body: () => ({ priceFen: 330, available: true }), expect: ownerOnly(200) },
  { name: 'staff', method: 'GET', path: () => R.staff, expect: { signedOut: 401, finance: 403, managerA: 200, owner: 200 } },
  { name: 'hire a cashier at store B', method: 'POST', path: () => R.staff, body: (w, role) => ({ name: `收银-${role}`, role: 'cashier', pin: '4826', storeIds: [w.storeB] }), expect: ownerOnly(201) },
  { name: "change store A's cashier", method: 'PATCH', path: (w) => R.staffMember(w.staffA), body: () => ({ active: true }), expect: { signedOut: 401, finance: 403, managerA: 200, owner: 200 } },
  { name: "change store B's cashier", method: 'PATCH', path: (w) => R.staffMember(w.staffB), body: () => ({ active: true }), expect: ownerOnly(200) },
  { name: "store B's cashier's PIN", method: 'POST', path: (w) => R.staffPin(w.staffB), body: () => ({ pin: '5937' }), expect: ownerOnly(200) },
  { name: "store A's settings", method: 'GET', path: (w) => R.storeSettings(w.storeA), expect: { signedOut: 401, finance: 403, managerA: 200, owner: 200 } },
  { name: "store B's settings", method: 'GET', path: (w) => R.storeSettings(w.storeB), expect: ownerOnly(200) },
  { name: "change store B's settings", method: 'PUT', path: (w) => R.storeSettings(w.storeB), body: () => settings('二号店'), expect: ownerOnly(200) },
  { name: 'accounts', method: 'GET', path: () => R.users, expect: ownerOnly(200) },
  { name: 'create an account', method: 'POST', path: () => R.users, body: (w, role) => ({ name: `店长-${role}`, password: 'a long enough password', storeIds: [w.storeA] }), expect: ownerOnly(201) },
  { name: 'audit log', method: 'GET', path: () => R.audit, expect: ownerOnly(200) },
  // Scheduled prices, history, accounts (shared/hub-admin-refdata.ts).
  { name: 'pending price changes', method: 'GET', path: () => D.priceSchedules, expect: readAll },
  { name: "an item's price changes", method: 'GET', path: (w) => `${D.priceSchedules}?item=${w.itemId}`, expect: readAll },
  { name: "schedule store A's price", method: 'POST', path: () => D.priceSchedules, body: (w) => ({ itemId: w.itemId, storeId: w.storeA, priceFen: 310, applyAt: '2027-01-01T09:00' }), expect: { signedOut: 401, finance: 403, managerA: 201, owner: 201 } },
  { name: "schedule store B's price", method: 'POST', path: () => D.priceSchedules, body: (w) => ({ itemId: w.itemId, storeId: w.storeB, priceFen: 310, applyAt: '2027-01-01T09:00' }), expect: ownerOnly(201) },
  { name: 'schedule the chain price', method: 'POST', path: () => D.priceSchedules, body: (w) => ({ itemId: w.itemId, storeId: null, priceFen: 310, applyAt: '2027-01-01T09:00' }), expect: ownerOnly(201) },
  // Another store's schedule is unknown to a manager (404); the owner cancels it, so a second call would be 409.
  { name: "cancel store B's price change", method: 'POST', path: (w) => D.cancelPriceSchedule(w.scheduleB), body: () => ({}), expect: { signedOut: 401, finance: 403, managerA: 404, owner: 200 } },
  { name: "cancel store A's price change", method: 'POST', path: (w) => D.cancelPriceSchedule(w.scheduleA), body: () => ({}), expect: { signedOut: 401, finance: 403, managerA: 200, owner: 409 } },
  { name: "the item's history", method: 'GET', path: (w) => `${D.history}?${historyQueryString({ of: 'item', id: w.itemId })}`, expect: readAll },
  { name: "store A's cashier's history", method: 'GET', path: (w) => `${D.history}?${historyQueryString({ of: 'staff', id: w.staffA })}`, expect: { signedOut: 401, finance: 403, managerA: 200, owner: 200 } },
  { name: "store B's cashier's history", method: 'GET', path: (w) => `${D.history}?${historyQueryString({ of: 'staff', id: w.staffB })}`, expect: { signedOut: 401, finance: 403, managerA: 404, owner: 200 } },
  { name: "store A's history", method: 'GET', path: (w) => `${D.history}?${historyQueryString({ of: 'store', id: w.storeA })}`, expect: { signedOut: 401, finance: 403, managerA: 200, owner: 200 } },
  { name: "store B's history", method: 'GET', path: (w) => `${D.history}?${historyQueryString({ of: 'store', id: w.storeB })}`, expect: ownerOnly(200) },
  { name: "an account's history", method: 'GET', path: (w) => `${D.history}?${historyQueryString({ of: 'account', id: w.financeId })}`, expect: ownerOnly(200) },
  { name: "change a manager account's stores", method: 'PATCH', path: (w) => D.account(w.spareId), body: (w) => ({ storeIds: [w.storeA] }), expect: ownerOnly(200) },
  { name: 'disable an account', method: 'PATCH', path: (w) => D.account(w.spareId), body: () => ({ disabled: true }), expect: ownerOnly(200) },
  { name: "reset an account's password", method: 'POST', path: (w) => D.accountPassword(w.spareId), body: () => ({ password: 'another long password' }), expect: ownerOnly(200) },
  { name: 'unlock an account', method: 'POST', path: (w) => D.accountUnlock(w.spareId), body: () => ({}), expect: ownerOnly(200) },
  // Reconciliation (issue 14): finance reconciles every store; a manager its own.
  { name: "store A's reconciliation", method: 'GET', path: (w) => `${HUB_ADMIN_RECON_PATHS.day}?date=${w.day}&store=${w.storeA}`, expect: readAll },
  { name: "store B's reconciliation", method: 'GET', path: (w) => `${HUB_ADMIN_RECON_PATHS.day}?date=${w.day}&store=${w.storeB}`, expect: { signedOut: 401, finance: 200, managerA: 403, owner: 200 } },
  { name: "the chain's reconciliation", method: 'GET', path: (w) => `${HUB_ADMIN_RECON_PATHS.day}?date=${w.day}`, expect: readAll },
  { name: 'resolve an unknown mismatch', method: 'POST', path: () => HUB_ADMIN_RECON_PATHS.resolve('no-such-mismatch'), body: () => ({ note: '已核实' }), expect: { signedOut: 401, finance: 404, managerA: 404, owner: 404 } },
  // WeChat Pay merchants and the public address: the owner's alone.
  { name: 'WeChat merchants', method: 'GET', path: () => HUB_WECHAT_ADMIN_PATHS.merchants, expect: ownerOnly(200) },
  {
    name: 'set a WeChat merchant', method: 'PUT', path: () => HUB_WECHAT_ADMIN_PATHS.merchant('1900000109'),
    body: () => ({ apiVersion: 'v2', baseUrl: 'https://api.mch.weixin.qq.com', credentials: { appid: 'wxd678efh567hg6787', apiKeyV2: '192006250b4c09247ec02edce69f6a2d' } }),
    expect: ownerOnly(200),
  },
  { name: 'WeChat settings', method: 'GET', path: () => HUB_WECHAT_ADMIN_PATHS.settings, expect: ownerOnly(200) },
  { name: 'change WeChat settings', method: 'PUT', path: () => HUB_WECHAT_ADMIN_PATHS.settings, body: () => ({ publicBaseUrl: 'https://pay.example.cn' }), expect: ownerOnly(200) },
  { name: 'today live', method: 'GET', path: () => O.live, expect: readAll },
  { name: "store A's day close", method: 'GET', path: (w) => O.day(w.storeA, w.day), expect: readAll },
  { name: "store B's day close", method: 'GET', path: (w) => O.day(w.storeB, w.day), expect: { signedOut: 401, finance: 200, managerA: 403, owner: 200 } },
  { name: "store B's day close as PDF", method: 'GET', path: (w) => O.dayPdf(w.storeB, w.day), expect: { signedOut: 401, finance: 200, managerA: 403, owner: 200 } },
  { name: "store B's sale", method: 'GET', path: (w) => O.sale(w.storeB, w.terminalB, 1), expect: { signedOut: 401, finance: 200, managerA: 403, owner: 200 } },
  { name: "store B's counter's sale asked under store A", method: 'GET', path: (w) => O.sale(w.storeA, w.terminalB, 1), expect: { signedOut: 401, finance: 404, managerA: 404, owner: 404 } },
  { name: "store B's shift", method: 'GET', path: (w) => O.shift(w.storeB, w.terminalB, 'SH1'), expect: { signedOut: 401, finance: 404, managerA: 403, owner: 404 } },
  // Chain dashboards and exports (shared/hub-reports-api.ts): without a store, each account's own stores.
  { name: 'dashboard', method: 'GET', path: (w) => `${HUB_REPORT_PATHS.dashboard}?${reportQueryString({ from: w.day, to: w.day })}`, expect: readAll },
  { name: "store B's dashboard", method: 'GET', path: (w) => `${HUB_REPORT_PATHS.dashboard}?${reportQueryString({ from: w.day, to: w.day, stores: [w.storeB] })}`, expect: { signedOut: 401, finance: 200, managerA: 403, owner: 200 } },
  ...EXPORT_KINDS.flatMap((kind): RouteCase[] => [
    { name: `${kind} export (CSV)`, method: 'GET', path: (w) => `${HUB_REPORT_PATHS.export(kind, 'csv')}?${reportQueryString({ from: w.day, to: w.day })}`, expect: readAll },
    { name: `store B's ${kind} export (XLSX)`, method: 'GET', path: (w) => `${HUB_REPORT_PATHS.export(kind, 'xlsx')}?${reportQueryString({ from: w.day, to: w.day, stores: [w.storeB] })}`, expect: { signedOut: 401, finance: 200, managerA: 403, owner: 200 } },
  ]),
  // Settlement (issue 16, shared/hub-settlement-api.ts): a manager proposes rules for its stores; the owner decides.
  { name: 'settlement rules', method: 'GET', path: () => ST.rules, expect: readAll },
  { name: "store B's settlement rules", method: 'GET', path: (w) => `${ST.rules}?store=${w.storeB}`, expect: { signedOut: 401, finance: 200, managerA: 403, owner: 200 } },
  { name: "propose store A's settlement rules", method: 'POST', path: () => ST.rules, body: (w) => settlementRules(w.storeA), expect: { signedOut: 401, finance: 403, managerA: 201, owner: 201 } },
  { name: "propose store B's settlement rules", method: 'POST', path: () => ST.rules, body: (w) => settlementRules(w.storeB), expect: ownerOnly(201) },
  { name: 'approve an unknown rule set', method: 'POST', path: () => ST.approve('no-such-set'), body: () => ({}), expect: ownerOnly(404) },
  { name: 'settlement receivers', method: 'GET', path: () => ST.receivers, expect: { signedOut: 401, finance: 200, managerA: 403, owner: 200 } },
  { name: 'add a receiver for a merchant without credentials', method: 'POST', path: () => ST.receivers, body: () => ({ mchid: '1900000001', type: 'MERCHANT_ID', account: '1900000002', name: '某某有限公司', relationType: 'BRAND' }), expect: ownerOnly(404) },
  { name: 'profit-sharing mode of an unknown merchant', method: 'PUT', path: () => ST.merchant('1900000001'), body: (w) => ({ sinceDay: w.day, maxShareBasisPoints: 3_000 }), expect: ownerOnly(404) },
  { name: 'settlement caps', method: 'GET', path: () => ST.caps, expect: { signedOut: 401, finance: 200, managerA: 403, owner: 200 } },
  { name: "store B's settlement cap", method: 'PUT', path: () => ST.caps, body: (w) => ({ scope: w.storeB, maxDayFen: 100_000 }), expect: ownerOnly(200) },
  { name: 'settlement report', method: 'GET', path: (w) => `${ST.report}?date=${w.day}`, expect: readAll },
  { name: "store B's settlement report", method: 'GET', path: (w) => `${ST.report}?date=${w.day}&store=${w.storeB}`, expect: { signedOut: 401, finance: 200, managerA: 403, owner: 200 } },
  { name: 'retry an unknown split', method: 'POST', path: () => ST.retry('4200000000000000000000000000000001', '1900000002'), body: () => ({ note: '重试一下' }), expect: ownerOnly(404) },
  { name: 'resolve an unknown split', method: 'POST', path: () => ST.resolve('4200000000000000000000000000000001', '1900000002'), body: () => ({ note: '已线下处理' }), expect: ownerOnly(404) },
  { name: 'refund clearance of an order never split', method: 'POST', path: () => ST.refundClearance, body: () => ({ outTradeNo: 'T1ab12cd34261207P000001', outRefundNo: 'T1ab12cd34261207R000001', refundFen: 100 }), expect: { signedOut: 401, finance: 403, managerA: 200, owner: 200 } },
  // Last: the owner's revocation of store B's counter. Another store's counter is answered as unknown (404).
  { name: "revoke store B's counter", method: 'POST', path: (w) => A.revokeTerminal(w.terminalB), body: () => ({}), expect: { signedOut: 401, finance: 403, managerA: 404, owner: 200 } },
];
