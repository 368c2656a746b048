/**
 * What a scanned text is, decided in one place for both scanner kinds (serial and keyboard wedge), plus the
 * scanner's settings and state as the windows see them. Pure: no Node, no DOM.
 *
 * A payment code is a bearer credential: nothing here puts a full one into a message. Use `describeScanForLog`
 * for log fields.
 */
import { z } from 'zod';
import type { Localized } from './i18n';
import { maskAuthCode, maskPaymentCodeRuns } from './mask';

/** Longest text taken as a product barcode: Code128 / GS1 labels at the counter stay well under it. */
export const MAX_SCAN_LENGTH = 64;

/** WeChat Pay payment code (付款码): 18 digits starting 10–15. */
export const WECHAT_PAY_CODE = /^1[0-5]\d{16}$/;
/** Alipay payment code: 16–24 digits starting 25–30. */
export const ALIPAY_CODE = /^(?:2[5-9]|30)\d{14,22}$/;

/** The payload of the QR code printed on our receipts, which identifies a sale for refunds and reprints. */
export const RECEIPT_QR_PREFIX = 'POSR';
// Terminal ids are WeChat device_info values (≤ 32 ASCII); receipt numbers are counters. Neither may hold ':' or spaces.
const RECEIPT_ID_PART = /^[!-9;-~]{1,32}$/;
const RECEIPT_QR = /^POSR:([!-9;-~]{1,32}):([!-9;-~]{1,32})$/;

export type GarbageReason = 'empty' | 'too-long' | 'control-bytes' | 'non-ascii';

export type ClassifiedScan =
  | { kind: 'wechat-pay-code'; code: string }
  | { kind: 'alipay-code'; code: string; message: Localized }
  | { kind: 'receipt'; terminalId: string; receiptNo: string }
  | { kind: 'product'; barcode: string }
  | { kind: 'garbage'; reason: GarbageReason; length: number; message: Localized };

export const ALIPAY_NOT_SUPPORTED: Localized = {
  zh: '暂不支持支付宝付款码，请使用微信',
  en: 'Alipay codes are not supported; please use WeChat',
};

const GARBAGE_MESSAGES: Record<GarbageReason, Localized> = {
  empty: { zh: '扫码内容为空，已忽略', en: 'Empty scan ignored' },
  'too-long': { zh: '扫码内容过长，无法识别，已忽略', en: 'Scan too long to be a barcode; ignored' },
  'control-bytes': { zh: '扫码内容含有控制字符，无法识别，已忽略', en: 'Scan contains control bytes; ignored' },
  'non-ascii': { zh: '扫码内容含有无法识别的字符，已忽略', en: 'Scan contains unreadable characters; ignored' },
};

/** The QR payload for a receipt: `POSR:<terminal>:<receiptNo>`. Throws if a part could not be read back. */
export function receiptQrPayload(terminalId: string, receiptNo: string): string {
  if (!RECEIPT_ID_PART.test(terminalId) || !RECEIPT_ID_PART.test(receiptNo)) {
    throw new Error('terminal id and receipt number must be 1–32 printable ASCII characters without spaces or colons');
  }
  return `${RECEIPT_QR_PREFIX}:${terminalId}:${receiptNo}`;
}

function garbage(reason: GarbageReason, length: number): ClassifiedScan {
  return { kind: 'garbage', reason, length, message: GARBAGE_MESSAGES[reason] };
}

/** Why a (trimmed) text cannot be a barcode, or null when every character is printable ASCII. */
function unreadableReason(text: string): GarbageReason | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return 'control-bytes';
    if (c > 0x7e) return 'non-ascii';
  }
  return null;
}

/**
 * Classifies one scanned text (a serial line or a wedge burst). Surrounding whitespace is ignored; anything
 * that is not printable ASCII, or longer than `maxLength`, is garbage.
 */
export function classifyScan(text: string, maxLength: number = MAX_SCAN_LENGTH): ClassifiedScan {
  const code = text.trim();
  if (code.length === 0) return garbage('empty', 0);
  if (code.length > maxLength) return garbage('too-long', code.length);
  const unreadable = unreadableReason(code);
  if (unreadable) return garbage(unreadable, code.length);
  if (WECHAT_PAY_CODE.test(code)) return { kind: 'wechat-pay-code', code };
  if (ALIPAY_CODE.test(code)) return { kind: 'alipay-code', code, message: ALIPAY_NOT_SUPPORTED };
  const receipt = RECEIPT_QR.exec(code);
  if (receipt?.[1] && receipt[2]) return { kind: 'receipt', terminalId: receipt[1], receiptNo: receipt[2] };
  return { kind: 'product', barcode: code };
}

/**
 * Log fields for a scan: payment codes masked, garbage never echoed (it may be a mangled payment code), and any
 * run that looks like a payment code masked inside product barcodes and receipt parts too (a code glued to a stray
 * character is classified as a product, but it is still a live code).
 */
export function describeScanForLog(scan: ClassifiedScan): Record<string, string | number> {
  switch (scan.kind) {
    case 'wechat-pay-code':
    case 'alipay-code':
      return { kind: scan.kind, code: maskAuthCode(scan.code) };
    case 'receipt':
      return { kind: scan.kind, terminalId: maskPaymentCodeRuns(scan.terminalId), receiptNo: maskPaymentCodeRuns(scan.receiptNo) };
    case 'product':
      return { kind: scan.kind, barcode: maskPaymentCodeRuns(scan.barcode) };
    case 'garbage':
      return { kind: scan.kind, reason: scan.reason, length: scan.length };
  }
}

// ---- Serial scanner settings and state (shown and edited in the manager window) ----

/**
 * How a line ends. 'auto' splits on any run of CR/LF (works with every scanner); the exact forms split only
 * on that suffix and trim stray CR/LF at the line's ends.
 */
export const SCANNER_SUFFIXES = ['auto', 'CR', 'LF', 'CRLF'] as const;
export type ScannerSuffix = (typeof SCANNER_SUFFIXES)[number];

export const scannerSettingsSchema = z
  .object({
    enabled: z.boolean(),
    /** `/dev/ttyUSB0`, `/dev/ttyACM0`, `COM3`...: typed or picked from the port list. */
    path: z.string().max(256),
    baudRate: z.number().int().min(50).max(4_000_000),
    dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]),
    /** mark/space are left out: Linux's binding cannot set them, and scanners do not use them. */
    parity: z.enum(['none', 'even', 'odd']),
    stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]),
    suffix: z.enum(SCANNER_SUFFIXES),
  })
  .strict();

export type ScannerSettings = z.infer<typeof scannerSettingsSchema>;

/** 9600 8N1, the common factory default of serial scanners. */
export const DEFAULT_SCANNER_SETTINGS: ScannerSettings = {
  enabled: false,
  path: '',
  baudRate: 9600,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  suffix: 'auto',
};

/** The serial scanner's state, for the status bar. `error` and `reconnecting` keep retrying. */
export type ScannerState =
  | { status: 'disabled' }
  | { status: 'connecting'; path: string }
  | { status: 'connected'; path: string }
  | { status: 'reconnecting'; path: string; attempt: number; retryInMs: number; lastError: Localized | null }
  | { status: 'error'; path: string; message: Localized; retryInMs: number | null };
