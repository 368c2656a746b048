import type { Database } from 'better-sqlite3';
import { beijingParts } from '../../shared/clock';
import { takeNextSequence } from '../db/sequences';

/** Terminal ids go into every out_trade_no, so they are short and plain. */
export const TERMINAL_ID = /^[0-9A-Za-z]{1,8}$/;
/** A random id per installation (app_meta 'install_id'): a reinstall on the same terminal never reuses a number. */
export const INSTALL_ID = /^[0-9a-z]{8}$/;
export const OUT_TRADE_NO = /^[0-9A-Za-z_-]{1,32}$/;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export type OrderNoKind = 'P' | 'R';

export interface OrderNoIdentity {
  terminalId: string;
  installId: string;
}

/**
 * `<terminal ≤8><install 8><yyMMdd Beijing><P|R><sequence ≥6 digits>`, at most 32 characters. The fixed-length
 * install id makes the terminal/install split unambiguous; the sequence never resets (the date is for people),
 * so the number stays unique even if the clock jumps back.
 */
export function formatOrderNo(id: OrderNoIdentity, now: number, kind: OrderNoKind, sequence: number): string {
  if (!TERMINAL_ID.test(id.terminalId)) throw new Error('terminal id must be 1–8 letters or digits');
  if (!INSTALL_ID.test(id.installId)) throw new Error('install id must be 8 lowercase letters or digits');
  const p = beijingParts(now);
  const date = `${pad(p.year % 100, 2)}${pad(p.month, 2)}${pad(p.day, 2)}`;
  const no = `${id.terminalId}${id.installId}${date}${kind}${pad(sequence, 6)}`;
  if (!OUT_TRADE_NO.test(no)) throw new Error('order number sequence exhausted');
  return no;
}

/** Takes the next order number inside the caller's transaction (the sequence is shared by payments and refunds). */
export function nextOrderNo(db: Database, id: OrderNoIdentity, now: number, kind: OrderNoKind): string {
  return formatOrderNo(id, now, kind, takeNextSequence(db, 'wechat-order-no'));
}

/** An out_trade_no that is never used for an order: the connectivity probe queries it. */
export function probeOrderNo(id: OrderNoIdentity): string {
  return `${id.terminalId}${id.installId}000000Z0`;
}

export function randomInstallId(randomInt: (maxExclusive: number) => number): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let id = '';
  for (let i = 0; i < 8; i++) id += alphabet[randomInt(alphabet.length)] ?? '0';
  return id;
}
