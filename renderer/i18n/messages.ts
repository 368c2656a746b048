import type { Language } from '../../shared/i18n';

/** Every text the windows show, in both languages. Keys are checked by TypeScript: a missing one fails typecheck. */
const zh = {
  'app.title': '微信收银台',
  'app.sandbox': '沙箱',
  'app.sandboxHint': '沙箱模式：不会产生真实扣款',
  'app.terminal': '终端',
  'app.language': '语言',
  'app.switchLanguage': 'English',
  'app.connecting': '正在连接收银主程序…',
  'app.settingsProblem': '设置文件有误',
  'cashier.amount': '应收金额',
  'cashier.numpad': '数字键盘',
  'cashier.clear': '清除',
  'cashier.backspace': '退格',
  'cashier.amountInvalid': '金额最多两位小数',
  'display.welcome': '欢迎光临',
  'display.total': '合计',
  'display.scanToPay': '请使用微信扫码支付',
  'display.expiresIn': '剩余 {s} 秒',
  'display.paying': '支付中',
  'display.paid': '支付成功',
  'display.change': '找零',
  'display.failed': '支付未成功',
  'display.cancelled': '已取消',
  'display.cashOnly': '微信支付暂不可用，请使用现金',
  'manager.title': '经理后台',
  'manager.store': '门店',
  'manager.version': '版本',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.title': 'WeChat POS',
  'app.sandbox': 'SANDBOX',
  'app.sandboxHint': 'Sandbox mode: no real money moves',
  'app.terminal': 'Terminal',
  'app.language': 'Language',
  'app.switchLanguage': '中文',
  'app.connecting': 'Connecting to the app…',
  'app.settingsProblem': 'Settings file problem',
  'cashier.amount': 'Amount due',
  'cashier.numpad': 'Numpad',
  'cashier.clear': 'Clear',
  'cashier.backspace': 'Backspace',
  'cashier.amountInvalid': 'At most two decimals',
  'display.welcome': 'Welcome',
  'display.total': 'Total',
  'display.scanToPay': 'Scan with WeChat to pay',
  'display.expiresIn': '{s} s left',
  'display.paying': 'Paying',
  'display.paid': 'Paid',
  'display.change': 'Change',
  'display.failed': 'Payment not completed',
  'display.cancelled': 'Cancelled',
  'display.cashOnly': 'WeChat Pay unavailable, cash only',
  'manager.title': 'Manager',
  'manager.store': 'Store',
  'manager.version': 'Version',
};

const dictionaries: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
