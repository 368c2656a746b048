/**
 * The settings screen's form: read from the settings object the main side returns, checked here with the same
 * rules as the main side's schema (so every mistake is named before the manager's approval is spent), and
 * written back over the object it came from (fields this form does not show are kept as they were).
 */
import { DEFAULT_STORE_TIME_ZONE, isTimeZone } from '../../shared/clock';
import { parseYuan } from '../../shared/money';
import type { ManagerMessageKey } from './messages';

export interface SettingsForm {
  storeName: string;
  storeAddress: string;
  terminalId: string;
  language: 'zh-CN' | 'en';
  displayLanguage: 'zh-CN' | 'en';
  receiptLanguage: 'zh-CN' | 'en';
  timeZone: string;
  mode: 'sandbox' | 'live';
  apiVersion: 'v2' | 'v3';
  mchid: string;
  appid: string;
  baseUrl: string;
  merchantMode: 'direct' | 'partner';
  subMchid: string;
  subAppid: string;
  profitSharing: boolean;
  /** Sandbox mode: a sandbox shared by the store's counters (settings wechat.sharedSandbox); empty = each its own. */
  sharedSandboxFile: string;
  sharedSandboxCa: string;
  sharedSandboxUrl: string;
  printerUri: string;
  paperWidthMm: '58' | '80';
  autoPrint: boolean;
  scannerEnabled: boolean;
  scannerPath: string;
  baudRate: string;
  parity: 'none' | 'even' | 'odd';
  suffix: 'auto' | 'CR' | 'LF' | 'CRLF';
  voice: boolean;
  maxSaleYuan: string;
  maxRefundYuan: string;
  refundsPerDay: string;
  drawerCapYuan: string;
  cashOutYuan: string;
  lockAttempts: string;
  lockMinutes: string;
}

export interface FormProblem {
  field: keyof SettingsForm;
  key: ManagerMessageKey;
  params?: Record<string, string | number>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);
const yuan = (v: unknown): string => (typeof v === 'number' ? (v / 100).toFixed(2) : '');
function oneOf<T extends string>(v: unknown, options: readonly T[], fallback: T): T {
  return options.find((o) => o === v) ?? fallback;
}

export function formFromSettings(s: Obj): SettingsForm {
  const wechat = obj(s.wechat);
  const sharedSandbox = obj(wechat.sharedSandbox);
  const printer = obj(s.printer);
  const scanner = obj(s.scanner);
  const security = obj(s.security);
  const limits = obj(security.limits);
  const lockout = obj(security.lockout);
  return {
    storeName: str(s.storeName),
    storeAddress: str(s.storeAddress),
    terminalId: str(s.terminalId),
    language: oneOf(s.language, ['zh-CN', 'en'] as const, 'zh-CN'),
    displayLanguage: oneOf(s.displayLanguage, ['zh-CN', 'en'] as const, 'zh-CN'),
    receiptLanguage: oneOf(s.receiptLanguage, ['zh-CN', 'en'] as const, 'zh-CN'),
    timeZone: str(s.timeZone, DEFAULT_STORE_TIME_ZONE),
    mode: oneOf(wechat.mode, ['sandbox', 'live'] as const, 'sandbox'),
    apiVersion: oneOf(wechat.apiVersion, ['v2', 'v3'] as const, 'v3'),
    mchid: str(wechat.mchid),
    appid: str(wechat.appid),
    baseUrl: str(wechat.baseUrl),
    merchantMode: oneOf(wechat.merchantMode, ['direct', 'partner'] as const, 'direct'),
    subMchid: str(wechat.subMchid),
    subAppid: str(wechat.subAppid),
    profitSharing: wechat.profitSharing === true,
    sharedSandboxFile: str(sharedSandbox.credentialsFile),
    sharedSandboxCa: str(sharedSandbox.caFile),
    sharedSandboxUrl: str(sharedSandbox.url),
    printerUri: str(printer.uri),
    paperWidthMm: printer.paperWidthMm === 58 ? '58' : '80',
    autoPrint: printer.autoPrint !== false,
    scannerEnabled: scanner.enabled === true,
    scannerPath: str(scanner.path),
    baudRate: str(scanner.baudRate, '9600'),
    parity: oneOf(scanner.parity, ['none', 'even', 'odd'] as const, 'none'),
    suffix: oneOf(scanner.suffix, ['auto', 'CR', 'LF', 'CRLF'] as const, 'auto'),
    voice: obj(s.voice).enabled !== false,
    maxSaleYuan: yuan(limits.maxSaleFen),
    maxRefundYuan: yuan(limits.maxRefundFen),
    refundsPerDay: str(limits.maxRefundsPerCashierPerDay),
    drawerCapYuan: yuan(limits.cashDrawerCapFen),
    cashOutYuan: yuan(limits.maxCashOutFen),
    lockAttempts: str(lockout.maxAttempts),
    lockMinutes: str(lockout.lockMinutes),
  };
}

const MONEY_FIELDS = [
  ['maxSaleYuan', 'settings.maxSale'],
  ['maxRefundYuan', 'settings.maxRefund'],
  ['drawerCapYuan', 'settings.drawerCap'],
  ['cashOutYuan', 'settings.cashOutLimit'],
] as const;
const INT_FIELDS = [
  ['refundsPerDay', 'settings.refundsPerDay', 0, 1000],
  ['lockAttempts', 'settings.lockAttempts', 3, 20],
  ['lockMinutes', 'settings.lockMinutes', 1, 1440],
  ['baudRate', 'settings.baud', 50, 4_000_000],
] as const;

function isWholeIn(text: string, min: number, max: number): boolean {
  if (!/^\d+$/.test(text.trim())) return false;
  const n = Number(text);
  return n >= min && n <= max;
}

function isUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Every problem of the form, each naming its field; `label` turns a field's key into the words shown. */
export function validateForm(form: SettingsForm, label: (key: ManagerMessageKey) => string): FormProblem[] {
  const problems: FormProblem[] = [];
  const name = form.storeName.trim();
  if (name.length === 0 || name.length > 40) problems.push({ field: 'storeName', key: 'valid.storeName' });
  if (!/^[A-Za-z0-9]{1,6}$/.test(form.terminalId)) problems.push({ field: 'terminalId', key: 'valid.terminalId' });
  if (!/^\d{0,16}$/.test(form.mchid)) problems.push({ field: 'mchid', key: 'valid.mchid' });
  if (!/^(wx[0-9a-f]{16})?$/.test(form.appid)) problems.push({ field: 'appid', key: 'valid.appid' });
  if (!isTimeZone(form.timeZone.trim())) problems.push({ field: 'timeZone', key: 'valid.timeZone' });
  if (!isUrl(form.baseUrl)) problems.push({ field: 'baseUrl', key: 'valid.baseUrl' });
  // A service provider's store must name its sub-merchant; a direct merchant may leave an old one (it is unused).
  if (!/^(\d{8,16})?$/.test(form.subMchid) || (form.merchantMode === 'partner' && form.subMchid === '')) {
    problems.push({ field: 'subMchid', key: 'valid.subMchid' });
  }
  if (!/^(wx[0-9a-f]{16})?$/.test(form.subAppid)) problems.push({ field: 'subAppid', key: 'valid.appid' });
  // The shared sandbox is found through its credentials file: a CA or an address without it would be ignored.
  const sharedFile = form.sharedSandboxFile.trim();
  if (sharedFile.length > 500 || form.sharedSandboxCa.trim().length > 500) problems.push({ field: 'sharedSandboxFile', key: 'valid.sharedSandboxPath' });
  else if (sharedFile === '' && (form.sharedSandboxCa.trim() !== '' || form.sharedSandboxUrl.trim() !== '')) {
    problems.push({ field: 'sharedSandboxFile', key: 'valid.sharedSandboxFile' });
  }
  if (form.sharedSandboxUrl.trim() !== '' && !isUrl(form.sharedSandboxUrl.trim())) problems.push({ field: 'sharedSandboxUrl', key: 'valid.baseUrl' });
  for (const [field, key] of MONEY_FIELDS) {
    const value = parseYuan(form[field]);
    if (value === null || value > 100_000_000) problems.push({ field, key: 'valid.money', params: { field: label(key) } });
  }
  for (const [field, key, min, max] of INT_FIELDS) {
    if (!isWholeIn(form[field], min, max)) problems.push({ field, key: 'valid.int', params: { field: label(key), min, max } });
  }
  return problems;
}

/** The settings object to send: the one read, with this form's fields written over it. Call after validateForm. */
export function settingsFromForm(base: Obj, form: SettingsForm): Obj {
  const security = obj(base.security);
  return {
    ...base,
    storeName: form.storeName.trim(),
    storeAddress: form.storeAddress.trim(),
    terminalId: form.terminalId,
    language: form.language,
    displayLanguage: form.displayLanguage,
    receiptLanguage: form.receiptLanguage,
    timeZone: form.timeZone.trim(),
    wechat: { ...obj(base.wechat), mode: form.mode, apiVersion: form.apiVersion, mchid: form.mchid, appid: form.appid, baseUrl: form.baseUrl,
      merchantMode: form.merchantMode, subMchid: form.subMchid, subAppid: form.subAppid, profitSharing: form.profitSharing,
      sharedSandbox: { credentialsFile: form.sharedSandboxFile.trim(), caFile: form.sharedSandboxCa.trim(), url: form.sharedSandboxUrl.trim() } },
    printer: { ...obj(base.printer), uri: form.printerUri.trim(), paperWidthMm: Number(form.paperWidthMm), autoPrint: form.autoPrint },
    scanner: {
      ...obj(base.scanner),
      enabled: form.scannerEnabled,
      path: form.scannerPath.trim(),
      baudRate: Number(form.baudRate),
      parity: form.parity,
      suffix: form.suffix,
    },
    voice: { ...obj(base.voice), enabled: form.voice },
    security: {
      ...security,
      lockout: { ...obj(security.lockout), maxAttempts: Number(form.lockAttempts), lockMinutes: Number(form.lockMinutes) },
      limits: {
        ...obj(security.limits),
        maxSaleFen: parseYuan(form.maxSaleYuan) ?? 0,
        maxRefundFen: parseYuan(form.maxRefundYuan) ?? 0,
        maxRefundsPerCashierPerDay: Number(form.refundsPerDay),
        cashDrawerCapFen: parseYuan(form.drawerCapYuan) ?? 0,
        maxCashOutFen: parseYuan(form.cashOutYuan) ?? 0,
      },
    },
  };
}
