/**
 * A hand-written check of a `sale` fact body: the hot kind of the hub's intake (a backlog is mostly sales; zod's
 * walk over each sale, its lines and tenders was the largest part of checking a push in the intake bench's
 * profile). It is a shortcut only: it says yes for a body that saleFactSchema (hub-facts.ts) accepts and that it
 * recognizes, and otherwise "don't know", after which parseFactBody asks zod, which also words the refusal. It must
 * therefore never be more lenient than the schema (tested field by field against zod in test/unit/shared); being
 * stricter only costs speed. The schema accepts the body as it is (no defaults, no transforms), so the value is
 * the parsed JSON itself.
 */

type Json = Record<string, unknown>;

const MAX = Number.MAX_SAFE_INTEGER;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= MAX;
const isText = (v: unknown, max: number): boolean => typeof v === 'string' && v.length <= max;
const orNull = (v: unknown, check: (v: unknown) => boolean): boolean => v === null || check(v);
const fen = (v: unknown): boolean => isInt(v, 0);
const TERMINAL_ID = /^[A-Za-z0-9]{1,6}$/;
const SALE_STATES = new Set(['open', 'paid', 'voided']);
const TENDER_KINDS = new Set(['wechat-code', 'wechat-qr', 'cash']);
const TENDER_STATES = new Set(['pending', 'paid', 'failed', 'cancelled', 'superseded']);

function lineOk(l: unknown): boolean {
  return isObject(l) && isInt(l.lineNo, 1) && isText(l.name, 200) && fen(l.unitFen) && isInt(l.quantity, 1) && fen(l.amountFen);
}

function tenderOk(t: unknown): boolean {
  return isObject(t) && isInt(t.tenderId, 1) && typeof t.kind === 'string' && TENDER_KINDS.has(t.kind) && fen(t.amountFen)
    && typeof t.state === 'string' && TENDER_STATES.has(t.state) && orNull(t.tenderedFen, fen) && orNull(t.changeFen, fen)
    && fen(t.createdAt) && orNull(t.settledAt, fen) && orNull(t.outTradeNo, (v) => isText(v, 32)) && orNull(t.transactionId, (v) => isText(v, 64));
}

/** True only when saleFactSchema accepts `body` unchanged. */
export function isCheckedSale(body: unknown): body is Json {
  if (!isObject(body)) return false;
  const s = body;
  if (!(isInt(s.saleId, 1) && typeof s.terminalId === 'string' && TERMINAL_ID.test(s.terminalId) && isInt(s.receiptNo, 1)
    && isText(s.cashierId, 64) && (s.cashierId as string).length >= 1 && orNull(s.shiftId, (v) => isText(v, 64))
    && typeof s.state === 'string' && SALE_STATES.has(s.state) && isText(s.description, 200) && fen(s.totalFen) && fen(s.createdAt)
    && orNull(s.paidAt, fen) && orNull(s.voidedAt, fen) && orNull(s.voidReason, (v) => isText(v, 500)))) return false;
  const { lines, tenders } = s;
  if (!Array.isArray(lines) || lines.length > 10_000 || !Array.isArray(tenders) || tenders.length > 1_000) return false;
  return lines.every(lineOk) && tenders.every(tenderOk);
}
