/**
 * The audit log in words (issue 18, item 8): what happened, to what, and who approved it, in the manager window's
 * language, with people by name and money in yuan. The stored rows stay as written (they are hash-chained): only
 * their reading changes. An action or detail this table does not know yet is still shown, by its own name.
 */
import { GATED_ACTION_LABELS, ROLE_LABELS, type AuditEntryView, type GatedAction, type Role } from '../../shared/security';
import { pick, type Language, type Localized } from '../../shared/i18n';
import { fen, formatYuan } from '../../shared/money';
import { settingChangeWords } from './setting-words';

const w = (zh: string, en: string): Localized => ({ zh, en });

const ACTIONS: Record<string, Localized> = {
  'user.sign-in': w('登录', 'Signed in'),
  'user.sign-in-failed': w('登录失败（PIN 错误）', 'Sign-in failed (wrong PIN)'),
  'user.pin-wrong': w('PIN 错误', 'Wrong PIN'),
  'user.locked': w('员工被锁定', 'Staff locked'),
  'user.unlocked': w('员工已解锁', 'Staff unlocked'),
  'user.sign-out': w('退出登录', 'Signed out'),
  'user.created': w('新增员工', 'Staff added'),
  'user.pin-changed': w('修改了自己的 PIN', 'Changed own PIN'),
  'user.pin-reset': w('重设 PIN', 'PIN reset'),
  'user.activated': w('启用员工', 'Staff activated'),
  'user.deactivated': w('停用员工', 'Staff deactivated'),
  'setup.owner-created': w('创建店主', 'Owner created'),
  'setup.demo-seeded': w('建立演示员工', 'Demo staff created'),
  'setup.demo-disabled': w('停用演示员工', 'Demo staff switched off'),
  'setup.live-mode': w('首次切换到正式模式', 'Set live for the first time'),
  'setup.code-refused': w('设置码错误', 'Wrong setup code'),
  'pin.terminal-unlocked': w('解除本终端的 PIN 锁定', "Cleared this terminal's PIN lock"),
  'approval.granted': w('店长授权', 'Manager approved'),
  'approval.refused': w('授权被拒绝', 'Approval refused'),
  'approval.used': w('使用授权', 'Approval used'),
  'settings.changed': w('修改设置', 'Settings changed'),
  'secret.replaced': w('更换密钥', 'Key replaced'),
  'secret.cleared': w('清除密钥', 'Key cleared'),
  'risk.override': w('超限放行', 'Limit overridden'),
  'risk.alert': w('警报', 'Alert raised'),
  'risk.alert-acknowledged': w('警报已处理', 'Alert acknowledged'),
  'backup.created': w('数据已备份', 'Backup made'),
  'backup.failed': w('备份失败', 'Backup failed'),
  'shift.opened': w('开班', 'Shift opened'),
  'shift.cash-in': w('存入现金', 'Cash in'),
  'shift.cash-out': w('取出现金', 'Cash out'),
  'shift.cash-out-refused': w('取出现金被拒绝（需店长）', 'Cash out refused (needs a manager)'),
  'shift.no-sale': w('无销售开钱箱', 'No-sale drawer opening'),
  'shift.counted': w('清点现金', 'Cash counted'),
  'shift.closed': w('交班（Z 报表）', 'Shift closed (Z report)'),
  'shift.z-printed': w('打印 Z 报表', 'Z report printed'),
  'drawer.no-sale': w('无销售开钱箱', 'No-sale drawer opening'),
  'item.created': w('新增商品', 'Item added'),
  'item.changed': w('修改商品', 'Item changed'),
  'item.demo-seeded': w('建立演示商品', 'Demo items created'),
  'payment.alert-kept': w('重复收款：保留', 'Double payment: kept'),
  'payment.alert-refunded': w('重复收款：退款', 'Double payment: refunded'),
  'refund.other-counter': w('退其他收银台的单', "Refund of another counter's sale"),
  'reconciliation.redownload': w('重新下载账单', 'Bill downloaded again'),
  'reconciliation.resolved': w('对账差异已处理', 'Reconciliation difference resolved'),
  'hub.enrolled': w('已接入总部', 'Enrolled with the hub'),
  'hub.reference-applied': w('已应用总部资料', "Hub's reference data applied"),
};

const LABELS: Record<string, Localized> = {
  shiftId: w('班次', 'shift'), shift: w('班次', 'shift'), terminalId: w('终端', 'terminal'), terminal: w('终端', 'terminal'),
  float: w('备用金', 'float'), amount: w('金额', 'amount'), reason: w('原因', 'reason'), approvedBy: w('授权店长', 'approved by'),
  counted: w('实点', 'counted'), expected: w('应有', 'expected'), difference: w('差额', 'difference'),
  countersignedBy: w('店长签核', 'countersigned by'), pending: w('未决交易', 'pending payments'), zNo: w('Z 序号', 'Z no.'),
  copy: w('重打', 'copy'), jobId: w('打印任务', 'print job'), sha256: w('校验码', 'checksum'), userId: w('员工', 'staff'),
  userName: w('员工', 'staff'), name: w('姓名', 'name'), role: w('角色', 'role'), action: w('事项', 'for'), subject: w('对象', 'about'),
  requestedBy: w('申请人', 'asked by'), failures: w('错误次数', 'wrong tries'), until: w('锁定至', 'locked until'),
  lockedUntil: w('锁定至', 'locked until'), purpose: w('用途', 'for'), scope: w('范围', 'scope'), tries: w('次数', 'tries'),
  field: w('项目', 'field'), summary: w('摘要', 'summary'), changes: w('改动', 'changes'), code: w('限额', 'limit'),
  limit: w('上限', 'limit'), actual: w('实际', 'actual'), alertId: w('警报', 'alert'), alert: w('警报', 'alert'), sale: w('销售', 'sale'),
  kind: w('类型', 'kind'), count: w('数量', 'count'), file: w('文件', 'file'), bytes: w('大小', 'size'), removed: w('删除旧备份', 'old backups removed'),
  encrypted: w('加密', 'encrypted'), error: w('错误', 'error'), receipt: w('小票号', 'receipt'), outRefundNo: w('退款单号', 'refund no.'),
  outTradeNo: w('商户订单号', 'order no.'), billDate: w('账单日', 'bill day'), class: w('差异类型', 'difference'), note: w('备注', 'note'),
  id: w('编号', 'no.'), itemId: w('商品', 'item'), before: w('改前', 'before'), after: w('改后', 'after'), displaced: w('让出快捷键', 'key moved'),
  barcode: w('条码', 'barcode'), price: w('价格', 'price'), quickKey: w('快捷键', 'quick key'), active: w('在售', 'active'),
  fromKey: w('原键', 'from key'), toKey: w('新键', 'to key'), users: w('员工', 'staff'), pinsReset: w('需重设 PIN', 'PINs to set again'),
  hubUrl: w('总部地址', 'hub'), storeName: w('门店', 'store'), storeId: w('门店编号', 'store id'), revision: w('版本', 'revision'),
  items: w('商品', 'items'), staff: w('员工', 'staff'), store: w('门店设置', 'store settings'), problem: w('问题', 'problem'),
  since: w('自', 'since'), window: w('窗口', 'window'), path: w('项目', 'setting'), from: w('原值', 'from'), to: w('新值', 'to'),
  hubId: w('总部编号', 'hub id'), continuesAfter: w('接续', 'continues after'), quick: w('快捷商品', 'quick item'), position: w('位置', 'position'),
};

/** Words a detail's value may be (sign-in purposes, lock scopes, alert kinds, reconciliation classes). */
const VALUES: Record<string, Localized> = {
  'sign-in': w('登录', 'sign-in'), 'pin-only': w('仅 PIN', 'PIN only'), terminal: w('本终端', 'this terminal'),
  'failed-scans': w('扫码失败过多', 'failed scans'), 'refund-burst': w('退款过多', 'many refunds'),
  'bill-unreadable': w('账单无法对账', 'unreadable bill'), 'pin-guessing': w('PIN 猜测', 'PIN guessing'),
  'pin-change': w('修改 PIN', 'PIN change'), approval: w('授权', 'approval'),
};

/** Details that name a person by id: shown by name. */
const PERSON_KEYS = new Set(['approvedBy', 'countersignedBy', 'userId', 'requestedBy', 'managerId', 'actorId', 'by']);
/** Internal numbers a manager does not need (the checksum is kept, shortened). */
const HIDDEN_KEYS = new Set(['hubId', 'continuesAfter', 'window']);
const YES = w('是', 'yes');
const NO = w('否', 'no');

export interface AuditReading {
  language: Language;
  /** A staff id to the person's name (the id itself when the person is unknown here). */
  nameOf: (id: string) => string;
  /** A time in the store's zone. */
  time: (ms: number) => string;
}

export function auditActionWords(action: string, language: Language): string {
  const known = ACTIONS[action];
  return known ? pick(known, language) : action;
}

/** The entry's details as one line of words: "班次 T01-…，金额 ￥100.00，原因 投库，授权店长 演示店长". */
export function auditDetailWords(entry: Pick<AuditEntryView, 'action' | 'details'>, reading: AuditReading): string {
  return describeObject(entry.details, reading, entry.action);
}

function describeObject(details: Record<string, unknown>, reading: AuditReading, action: string): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (value === null || value === undefined || value === '' || HIDDEN_KEYS.has(key)) continue;
    const shown = describeValue(key, value, reading, action, details);
    if (shown === '') continue;
    parts.push(`${labelOf(key, reading.language)} ${shown}`);
  }
  return parts.join(reading.language === 'en' ? ', ' : '，');
}

function labelOf(key: string, language: Language): string {
  const bare = key.endsWith('Fen') ? key.slice(0, -3) : key;
  const known = LABELS[bare] ?? LABELS[key];
  return known ? pick(known, language) : bare;
}

function describeValue(key: string, value: unknown, reading: AuditReading, action: string, all: Record<string, unknown>): string {
  const { language } = reading;
  if (typeof value === 'boolean') return pick(value ? YES : NO, language);
  if (typeof value === 'number') {
    if (key.endsWith('Fen') || (action === 'risk.override' && (key === 'limit' || key === 'actual') && all.code !== 'REFUNDS_PER_DAY')) return formatYuan(fen(value));
    if (key === 'until' || key === 'lockedUntil' || key === 'since') return reading.time(value);
    if (key === 'bytes') return `${Math.max(1, Math.round(value / 1024))} KB`;
    return String(value);
  }
  if (typeof value === 'string') {
    if (PERSON_KEYS.has(key)) return reading.nameOf(value);
    if (key === 'sha256' || key === 'hash') return value.slice(0, 12);
    if (key === 'role' && value in ROLE_LABELS) return pick(ROLE_LABELS[value as Role], language);
    if ((key === 'action' || key === 'purpose') && value in GATED_ACTION_LABELS) return pick(GATED_ACTION_LABELS[value as GatedAction], language);
    if (key === 'subject') return subjectWords(value, language);
    const word = VALUES[value];
    return word ? pick(word, language) : value;
  }
  if (Array.isArray(value)) {
    if (key === 'changes') return value.map((c) => (isObject(c) ? settingChangeWords(c, language) : plain(c, language))).join(language === 'en' ? '; ' : '；');
    if (key === 'users') return value.map((id) => (typeof id === 'string' ? reading.nameOf(id) : plain(id, language))).join(language === 'en' ? ', ' : '、');
    return value.map((v) => plain(v, language)).join(', ');
  }
  if (isObject(value)) return `(${describeObject(value, reading, action)})`;
  return '';
}

/** "sale:12" → 销售 #12; "cash-out:<shift>:10000" → 取出现金 ￥100.00; anything else as it is. */
function subjectWords(subject: string, language: Language): string {
  const [kind, ...rest] = subject.split(':');
  if (kind === 'sale' && rest.length === 1) return `${pick(w('销售', 'sale'), language)} #${rest[0]}`;
  if (kind === 'shift' && rest.length >= 1) return `${pick(w('班次', 'shift'), language)} ${rest.join(':')}`;
  if (kind === 'alert' && rest.length === 1) return `${pick(w('警报', 'alert'), language)} #${rest[0]}`;
  if (kind === 'cash-out' && rest.length >= 2) {
    const amount = Number(rest[rest.length - 1]);
    if (Number.isInteger(amount)) return `${pick(w('取出现金', 'cash out'), language)} ${formatYuan(fen(amount))}`;
  }
  return subject;
}

function plain(value: unknown, language: Language): string {
  if (typeof value === 'boolean') return pick(value ? YES : NO, language);
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
