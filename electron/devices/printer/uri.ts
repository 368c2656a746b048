import type { ReceiptLang } from '../../../shared/receipt';
import { fail, ok, type Result } from '../../../shared/result';

/** Where the receipt printer is, as parsed from its settings address. */
export type PrinterTarget =
  | { kind: 'serial'; path: string; baudRate: number; rtscts: boolean }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'file'; path: string }
  | { kind: 'os'; deviceName: string };

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

const EXAMPLES = 'serial:/dev/ttyUSB0?baud=9600, tcp://192.168.1.50:9100, file:/dev/usb/lp0, os:<打印机名称/printer name>';

const REASONS = {
  empty: { zh: '打印机地址为空', en: 'the printer address is empty' },
  scheme: { zh: '不支持的打印机地址类型', en: 'unsupported kind of printer address' },
  serialPath: { zh: '串口路径为空', en: 'the serial port path is empty' },
  baud: { zh: `波特率无效（可用：${BAUD_RATES.join('/')}）`, en: `invalid baud rate (one of ${BAUD_RATES.join('/')})` },
  flow: { zh: '流控只能是 none 或 rtscts', en: 'flow must be none or rtscts' },
  param: { zh: '未知参数', en: 'unknown parameter' },
  host: { zh: '网络打印机地址缺少主机名或 IP', en: 'the network printer address has no host' },
  port: { zh: '端口号无效（1–65535）', en: 'invalid port (1–65535)' },
  tcpPath: { zh: '网络打印机地址不能带路径', en: 'a network printer address takes no path' },
  filePath: { zh: '文件路径必须是绝对路径', en: 'the file path must be absolute' },
  osName: { zh: '缺少系统打印机名称', en: 'the OS printer name is missing' },
} as const satisfies Record<string, Record<ReceiptLang, string>>;

type Reason = keyof typeof REASONS;

function invalid(uri: string, reason: Reason, lang: ReceiptLang, detail = ''): Result<never> {
  const prefix = lang === 'zh' ? `打印机地址无效 "${uri}"：` : `Invalid printer address "${uri}": `;
  const hint = lang === 'zh' ? `。示例：${EXAMPLES}` : `. Examples: ${EXAMPLES}`;
  return fail('BAD_PRINTER_URI', `${prefix}${REASONS[reason][lang]}${detail ? ` (${detail})` : ''}${hint}`);
}

/**
 * Parses `serial:/dev/ttyUSB0?baud=9600[&flow=rtscts]`, `tcp://host[:9100]`, `file:/path` and `os:<device name>`.
 * Errors say what is wrong and show the accepted forms, in the cashier's language.
 */
export function parsePrinterUri(text: string, lang: ReceiptLang = 'zh'): Result<PrinterTarget> {
  const uri = text.trim();
  if (uri === '') return invalid(text, 'empty', lang);
  const scheme = /^([a-z]+):/i.exec(uri)?.[1]?.toLowerCase();
  const rest = uri.slice((scheme?.length ?? 0) + 1);
  switch (scheme) {
    case 'serial':
      return parseSerial(uri, rest, lang);
    case 'tcp':
      return parseTcp(uri, lang);
    case 'file':
      return parseFile(uri, rest, lang);
    case 'os':
      return rest.trim() === '' ? invalid(uri, 'osName', lang) : ok({ kind: 'os', deviceName: rest.trim() });
    default:
      return invalid(uri, 'scheme', lang, scheme ?? '');
  }
}

function parseSerial(uri: string, rest: string, lang: ReceiptLang): Result<PrinterTarget> {
  const [rawPath = '', query = ''] = rest.split('?', 2);
  const path = rawPath.startsWith('//') ? rawPath.slice(2) : rawPath;
  if (path.trim() === '') return invalid(uri, 'serialPath', lang);
  let baudRate = 9600;
  let rtscts = false;
  for (const [key, value] of new URLSearchParams(query)) {
    if (key === 'baud') {
      baudRate = Number(value);
      if (!BAUD_RATES.includes(baudRate)) return invalid(uri, 'baud', lang, value);
    } else if (key === 'flow') {
      if (value !== 'none' && value !== 'rtscts') return invalid(uri, 'flow', lang, value);
      rtscts = value === 'rtscts';
    } else {
      return invalid(uri, 'param', lang, key);
    }
  }
  return ok({ kind: 'serial', path, baudRate, rtscts });
}

function parseTcp(uri: string, lang: ReceiptLang): Result<PrinterTarget> {
  const match = /^tcp:\/\/(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?(.*)$/i.exec(uri);
  const host = (match?.[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  if (!match || host === '') return invalid(uri, 'host', lang);
  const rest = match[3] ?? '';
  if (rest !== '' && rest !== '/') return invalid(uri, 'tcpPath', lang);
  const portText = match[2];
  const port = portText === undefined ? 9100 : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return invalid(uri, 'port', lang, portText);
  return ok({ kind: 'tcp', host, port });
}

function parseFile(uri: string, rest: string, lang: ReceiptLang): Result<PrinterTarget> {
  const path = rest.startsWith('///') ? rest.slice(2) : rest;
  const absolute = path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
  if (!absolute) return invalid(uri, 'filePath', lang);
  return ok({ kind: 'file', path });
}

/** Back to the settings form: the canonical address of a target. */
export function formatPrinterUri(target: PrinterTarget): string {
  switch (target.kind) {
    case 'serial':
      return `serial:${target.path}?baud=${target.baudRate}${target.rtscts ? '&flow=rtscts' : ''}`;
    case 'tcp':
      return `tcp://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    case 'file':
      return `file:${target.path}`;
    case 'os':
      return `os:${target.deviceName}`;
  }
}
