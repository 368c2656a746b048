/**
 * A settings change in the audit log, in words (issue 18, item 8): "小票与报表语言 简体中文 → 英文" instead of
 * "receiptLanguage: zh-CN → en". The audit row keeps the setting's path as written (rows are hash-chained); this is
 * only how a manager reads it. Short nouns, not the settings form's instructions ("单笔销售上限（元，0 为不限）"):
 * an audit line names what changed, the form says how to fill it in. A path this table does not know (a setting
 * added later) is still shown, by its path.
 */
import { pick, type Language, type Localized } from '../../shared/i18n';
import { fen, formatYuan } from '../../shared/money';

const w = (zh: string, en: string): Localized => ({ zh, en });

const SETTING_NAMES: Record<string, Localized> = {
  storeName: w('店名', 'store name'),
  storeAddress: w('地址', 'address'),
  receiptFooter: w('小票页脚', 'receipt footer'),
  terminalId: w('终端号', 'terminal no.'),
  language: w('收银窗口默认语言', 'cashier window language'),
  managerLanguage: w('管理窗口语言', 'manager window language'),
  displayLanguage: w('顾客屏语言', 'customer display language'),
  receiptLanguage: w('小票与报表语言', 'receipt and report language'),
  timeZone: w('门店时区', 'store time zone'),
  hubFactRetentionDays: w('已上传记录保留天数', 'days to keep uploaded records'),
  'wechat.mode': w('微信支付模式', 'WeChat Pay mode'),
  'wechat.apiVersion': w('微信支付接口版本', 'WeChat Pay API version'),
  'wechat.baseUrl': w('微信支付接口地址', 'WeChat Pay address'),
  'wechat.mchid': w('商户号', 'merchant id'),
  'wechat.appid': w('appid', 'appid'),
  'wechat.v2SignType': w('v2 签名方式', 'v2 signature type'),
  'wechat.merchantMode': w('商户模式', 'merchant mode'),
  'wechat.subMchid': w('特约商户号', 'sub-merchant id'),
  'wechat.subAppid': w('特约商户 appid', 'sub-merchant appid'),
  'wechat.profitSharing': w('支付时开启分账', 'profit sharing on payments'),
  'wechat.sharedSandbox.credentialsFile': w('共用沙箱凭据文件', 'shared sandbox credentials file'),
  'wechat.sharedSandbox.caFile': w('共用沙箱证书文件', 'shared sandbox CA file'),
  'wechat.sharedSandbox.url': w('共用沙箱地址', 'shared sandbox address'),
  'scanner.enabled': w('串口扫码枪', 'serial scanner'),
  'scanner.path': w('扫码枪串口', 'scanner port'),
  'scanner.baudRate': w('扫码枪波特率', 'scanner baud rate'),
  'scanner.dataBits': w('扫码枪数据位', 'scanner data bits'),
  'scanner.parity': w('扫码枪校验位', 'scanner parity'),
  'scanner.stopBits': w('扫码枪停止位', 'scanner stop bits'),
  'scanner.suffix': w('扫码枪结束符', 'scanner suffix'),
  'printer.uri': w('打印机地址', 'printer address'),
  'printer.paperWidthMm': w('纸宽', 'paper width'),
  'printer.autoPrint': w('付款后自动打印小票', 'print receipt after payment'),
  'voice.enabled': w('收款语音播报', 'voice announcement'),
  'security.lockout.maxAttempts': w('PIN 输错锁定次数', 'wrong PINs before lock'),
  'security.lockout.backoffAfter': w('PIN 输错后开始延时的次数', 'wrong PINs before slowing down'),
  'security.lockout.lockMinutes': w('锁定分钟数', 'lock minutes'),
  'security.limits.maxSaleFen': w('单笔销售上限', 'largest sale'),
  'security.limits.maxRefundFen': w('单笔退款上限', 'largest refund'),
  'security.limits.maxRefundsPerCashierPerDay': w('每位收银员每天退款笔数上限', 'refunds per cashier per day'),
  'security.limits.cashDrawerCapFen': w('钱箱现金上限', 'cash drawer cap'),
  'security.limits.maxCashOutFen': w('单笔取出现金上限', 'largest cash out'),
  'security.alerts.failedScans': w('扫码失败警报次数', 'failed scans before an alert'),
  'security.alerts.failedScansWindowMinutes': w('扫码失败统计分钟数', 'failed scans window (minutes)'),
  'security.alerts.refunds': w('退款警报笔数', 'refunds before an alert'),
  'security.alerts.refundsWindowMinutes': w('退款统计分钟数', 'refunds window (minutes)'),
  'security.backup.folder': w('备份文件夹', 'backup folder'),
  'security.backup.keep': w('保留备份份数', 'backups kept'),
};

const VALUE_WORDS: Record<string, Record<string, Localized>> = {
  'wechat.mode': { sandbox: w('沙箱', 'sandbox'), live: w('正式', 'live') },
  'wechat.merchantMode': { direct: w('直连商户', 'direct merchant'), partner: w('服务商模式', 'service provider') },
  'scanner.parity': { none: w('无', 'none'), even: w('偶校验', 'even'), odd: w('奇校验', 'odd') },
  'scanner.suffix': { auto: w('自动', 'automatic') },
};
const LANGUAGE_NAMES: Record<string, Localized> = { 'zh-CN': w('简体中文', 'Chinese'), en: w('英文', 'English') };
const LANGUAGE_PATHS = new Set(['language', 'managerLanguage', 'displayLanguage', 'receiptLanguage']);
const YES = w('是', 'yes');
const NO = w('否', 'no');
const EMPTY = w('（空）', '(empty)');

export function settingNameWords(path: string, language: Language): string {
  const known = SETTING_NAMES[path];
  return known ? pick(known, language) : path;
}

/** A setting's old or new value as a manager reads it: languages by name, money in yuan, yes/no, (empty). */
export function settingValueWords(path: string, value: unknown, language: Language): string {
  if (value === null || value === undefined || value === '') return pick(EMPTY, language);
  if (typeof value === 'boolean') return pick(value ? YES : NO, language);
  if (typeof value === 'number') {
    if (path.endsWith('Fen')) return formatYuan(fen(value));
    if (path === 'printer.paperWidthMm') return `${value} mm`;
    return String(value);
  }
  if (typeof value === 'string') {
    const languageName = LANGUAGE_PATHS.has(path) ? LANGUAGE_NAMES[value] : undefined;
    if (languageName) return pick(languageName, language);
    const word = VALUE_WORDS[path]?.[value];
    return word ? pick(word, language) : value;
  }
  return JSON.stringify(value);
}

/** One change: "小票与报表语言 简体中文 → 英文". */
export function settingChangeWords(change: Record<string, unknown>, language: Language): string {
  const path = String(change.path);
  return `${settingNameWords(path, language)} ${settingValueWords(path, change.from, language)} → ${settingValueWords(path, change.to, language)}`;
}
