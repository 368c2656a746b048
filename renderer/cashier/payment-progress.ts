import type { Language, Localized } from '../../shared/i18n';
import { addFen, fen, fenToYuanString, ZERO_FEN, type Fen } from '../../shared/money';
import type { AttemptView, SaleView, SyncStatus } from '../../shared/payments';

/** Where the counter is: building a cart, taking tenders for an open sale, or showing a paid one. */
export type CounterPhase = 'building' | 'tendering' | 'paid';

export function phaseOf(sale: SaleView | null): CounterPhase {
  if (!sale || sale.state === 'voided') return 'building';
  return sale.state === 'paid' ? 'paid' : 'tendering';
}

/** WeChat reachable as far as the sync worker knows (unknown counts as reachable: it is tried). */
export function isOnline(sync: SyncStatus | null): boolean {
  return sync?.connectivity !== 'offline';
}

export function qrAvailable(sync: SyncStatus | null): boolean {
  return sync?.wechatAvailable ?? true;
}

function newer(a: AttemptView, b: AttemptView | undefined): AttemptView {
  return b && b.updatedAt > a.updatedAt ? b : a;
}

/** Every attempt of the sale, freshest version of each: the sale's tenders and the attempt events seen since. */
export function attemptsOfSale(sale: SaleView | null, pushed: ReadonlyMap<number, AttemptView>): AttemptView[] {
  if (!sale) return [];
  const byId = new Map<number, AttemptView>();
  for (const tender of sale.tenders) if (tender.attempt) byId.set(tender.attempt.id, tender.attempt);
  for (const attempt of pushed.values()) {
    if (attempt.saleId === sale.id) byId.set(attempt.id, newer(attempt, byId.get(attempt.id)));
  }
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

/** The attempt the cashier is looking at: the newest one of the sale. */
export function currentAttempt(attempts: readonly AttemptView[]): AttemptView | null {
  return attempts.at(-1) ?? null;
}

/** An attempt still running for this sale (not final, not given up by the cashier). */
export function isPending(attempt: AttemptView | null): attempt is AttemptView {
  return attempt !== null && !attempt.final && !attempt.superseded;
}

/** How a state looks: colours and icons on screen follow it. */
export type Tone = 'waiting' | 'success' | 'error' | 'warning';

export function attemptTone(attempt: AttemptView): Tone {
  switch (attempt.state) {
    case 'paid':
      return 'success';
    case 'failed':
    case 'reversed':
    case 'cancelled':
    case 'closed':
      return 'error';
    case 'needs-attention':
    case 'refunding':
    case 'refunded':
      return 'warning';
    default:
      return attempt.networkTrouble ? 'warning' : 'waiting';
  }
}

const secondsLeft = (until: number | null, now: number): number | null => (until === null || until <= now ? null : Math.ceil((until - now) / 1000));

/** Words with a countdown when there is time left, plain words when there is none. */
function countdown(until: number | null, now: number, timed: (s: number) => Localized, plain: Localized): Localized {
  const s = secondsLeft(until, now);
  return s === null ? plain : timed(s);
}

/** What the app is doing about an attempt, for the cashier's stuck list. */
export function attemptActivity(attempt: AttemptView, now: number, online: boolean): Localized {
  const base = activityOfState(attempt, now, online);
  if (!attempt.superseded || attempt.final) return base;
  return { zh: `${base.zh}；已改用其他方式，若最终扣款将自动退回`, en: `${base.en}; replaced by another tender, so any charge is returned` };
}

function activityOfState(attempt: AttemptView, now: number, online: boolean): Localized {
  switch (attempt.state) {
    case 'queued':
      return online
        ? { zh: '正在发送给微信', en: 'Sending to WeChat' }
        : countdown(
            attempt.sendDeadlineAt,
            now,
            (s) => ({ zh: `网络恢复后自动发送；${s} 秒内未发出则作废，不扣款`, en: `Sent when the network is back; dropped unsent (no charge) in ${s} s` }),
            { zh: '网络恢复后自动发送；超时未发出则作废，不扣款', en: 'Sent when the network is back; dropped unsent (no charge) if too late' },
          );
    case 'sending':
      return { zh: '正在向微信发送支付请求', en: 'Sending the payment to WeChat' };
    case 'user-paying':
    case 'confirming':
      return countdown(
        attempt.resolveBy,
        now,
        (s) => ({ zh: `自动查询支付结果；${s} 秒内未确认将自动撤销`, en: `Querying the result; reversed automatically if unconfirmed in ${s} s` }),
        { zh: '自动查询支付结果；未确认将自动撤销', en: 'Querying the result; reversed automatically if unconfirmed' },
      );
    case 'reversing':
      return { zh: '正在撤销订单，撤销后不扣款', en: 'Reversing the order; no money will be taken' };
    case 'creating':
      return { zh: '正在生成二维码', en: 'Creating the QR code' };
    case 'awaiting-scan':
      return countdown(
        attempt.qrExpiresAt,
        now,
        (s) => ({ zh: `等待顾客扫码；${s} 秒后自动关闭订单`, en: `Waiting for the customer; the order closes in ${s} s` }),
        { zh: '等待顾客扫码；到期自动关闭订单', en: 'Waiting for the customer; the order closes when it expires' },
      );
    case 'closing':
      return { zh: '正在关闭订单', en: 'Closing the order' };
    case 'refunding':
      return { zh: '该笔已被替代但顾客已付款，正在退回顾客', en: 'Replaced but paid by the customer: refunding it' };
    case 'needs-attention':
      return { zh: '自动处理已停止，请店长在微信支付商户平台核对该订单', en: 'Automation stopped: a manager must check this order in the WeChat Pay merchant platform' };
    case 'paid':
    case 'failed':
    case 'reversed':
    case 'cancelled':
    case 'closed':
    case 'refunded':
      return { zh: '已结束，无需处理', en: 'Finished; nothing to do' };
  }
}

/** Money taken by WeChat for the sale (what the announcement says). */
export function wechatPaidFen(sale: SaleView): Fen {
  const paid = sale.tenders.filter((t) => t.state === 'paid' && t.kind !== 'cash').map((t) => t.amountFen);
  return addFen(ZERO_FEN, ...paid);
}

/** Change handed back over the sale's cash tenders. */
export function changeGiven(sale: SaleView): Fen {
  const change = sale.tenders.filter((t) => t.state === 'paid' && t.kind === 'cash').map((t) => t.changeFen ?? ZERO_FEN);
  return addFen(ZERO_FEN, ...change);
}

/** The spoken announcement after a WeChat payment: "微信收款 12.50 元". */
export function announcementText(amount: Fen, language: Language): string {
  const yuan = fenToYuanString(amount);
  return language === 'en' ? `WeChat payment received, ${yuan} yuan` : `微信收款 ${yuan} 元`;
}

const NOTES: readonly number[] = [1000, 2000, 5000, 10000];

/** Notes a customer is likely to hand over for an amount: the next few round sums above it (¥10, ¥20, ¥50, ¥100, then hundreds). */
export function suggestedNotes(due: Fen, count = 3): Fen[] {
  const found: Fen[] = [];
  for (const note of NOTES) if (note > due) found.push(fen(note));
  for (let hundreds = Math.floor(due / 10000) + 1; found.length < count; hundreds++) {
    const amount = hundreds * 10000;
    if (amount > due && !found.includes(fen(amount))) found.push(fen(amount));
  }
  return found.slice(0, count);
}

/** Change for a cash tender, or null when the customer gave too little. */
export function changeFor(amount: Fen, tendered: Fen): Fen | null {
  return tendered >= amount ? fen(tendered - amount) : null;
}
