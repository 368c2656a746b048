import type { ReceiptLang } from '../../../shared/receipt';
import type { StatusKind } from './commands';

/** What the printer said about itself (DLE EOT 2 and 4). */
export interface PrinterStatus {
  /** False when the printer did not answer (many USB/serial printers never do): print and hope. */
  known: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  /** Cutter jam, head overheating, mechanical error. */
  error: boolean;
}

export const UNKNOWN_STATUS: PrinterStatus = {
  known: false, coverOpen: false, paperOut: false, paperNearEnd: false, error: false,
};

/** A real status byte has bit 0 and bit 7 clear and bits 1 and 4 set; anything else is line noise. */
export function isStatusByte(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

/** DLE EOT 2 (offline cause): 0x04 cover open, 0x20 stopped at paper end, 0x40 error. */
export function decodeOfflineCause(byte: number): Pick<PrinterStatus, 'coverOpen' | 'paperOut' | 'error'> {
  return { coverOpen: (byte & 0x04) !== 0, paperOut: (byte & 0x20) !== 0, error: (byte & 0x40) !== 0 };
}

/** DLE EOT 4 (roll sensor): 0x0C paper near end, 0x60 paper end. */
export function decodePaperSensor(byte: number): Pick<PrinterStatus, 'paperOut' | 'paperNearEnd'> {
  return { paperNearEnd: (byte & 0x0c) !== 0, paperOut: (byte & 0x60) !== 0 };
}

/** Asks one status kind and returns the answer byte, or null when none came in time. */
export type StatusAsker = (kind: StatusKind) => Promise<number | null>;

/**
 * Asks the offline cause and the paper sensor. A missing or malformed answer gives UNKNOWN_STATUS (printing
 * goes ahead); an answer is trusted only when both bytes look like status bytes.
 */
export async function queryPrinterStatus(ask: StatusAsker): Promise<PrinterStatus> {
  const offline = await ask(2);
  if (offline === null || !isStatusByte(offline)) return UNKNOWN_STATUS;
  const paper = await ask(4);
  if (paper === null || !isStatusByte(paper)) return UNKNOWN_STATUS;
  const cause = decodeOfflineCause(offline);
  const sensor = decodePaperSensor(paper);
  return {
    known: true,
    coverOpen: cause.coverOpen,
    paperOut: cause.paperOut || sensor.paperOut,
    paperNearEnd: sensor.paperNearEnd,
    error: cause.error,
  };
}

/** Why the printer cannot print right now, in the order a cashier should fix things. */
export type PrinterProblem = 'offline' | 'cover-open' | 'paper-out' | 'error';
export type PrinterWarning = 'paper-near-end';

export function printerProblem(status: PrinterStatus): PrinterProblem | null {
  if (status.coverOpen) return 'cover-open';
  if (status.paperOut) return 'paper-out';
  if (status.error) return 'error';
  return null;
}

const WORDS: Record<PrinterProblem | PrinterWarning | 'ready', Record<ReceiptLang, string>> = {
  ready: { zh: '打印机就绪', en: 'Printer ready' },
  offline: { zh: '打印机未连接或已关机', en: 'Printer is offline or unreachable' },
  'cover-open': { zh: '打印机盖未关好', en: 'Printer cover is open' },
  'paper-out': { zh: '打印机缺纸', en: 'Printer is out of paper' },
  error: { zh: '打印机故障（切刀卡纸或过热）', en: 'Printer error (cutter jam or overheating)' },
  'paper-near-end': { zh: '打印纸即将用完', en: 'Paper is running low' },
};

/** The words a cashier sees for a printer state, e.g. "打印机缺纸". */
export function describePrinterState(state: PrinterProblem | PrinterWarning | 'ready', lang: ReceiptLang): string {
  return WORDS[state][lang];
}
