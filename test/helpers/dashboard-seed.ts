import type { FactEnvelope } from '../../shared/hub-protocol';
import { dayNumber, type HeadlineMeasures } from '../../shared/hub-reports-api';

/**
 * Seeded facts for the dashboard tests (vitest and Playwright): sales with tenders, WeChat attempts (paid, failed
 * by reason, abandoned, sent or not), refunds by reason and state, over two weeks of local days, for any number
 * of terminals. `expectedHeadline` computes the dashboard's measures from the same objects in plain code, without
 * the hub's SQL, so a test compares the page or the API with an independent result.
 */
const H = 3_600_000;
const OFFSET = 8 * H;
export const LATENCY_EDGES = [500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000, 10_000, 15_000, 20_000, 30_000, 45_000, 60_000, 120_000];

export interface SeedSale {
  storeId: string; terminalId: string; saleId: number; state: 'paid' | 'voided' | 'open'; totalFen: number; createdAt: number;
  tenderKind: 'cash' | 'wechat-code' | 'wechat-qr';
}
export interface SeedAttempt {
  storeId: string; mode: 'micropay' | 'native'; state: string; failureCode: string | null; createdAt: number; resolvedAt: number | null;
  firstSentAt: number | null; amountFen: number;
}
export interface SeedRefund { storeId: string; amountFen: number; state: string; reason: string | null; requestedAt: number }
export interface Seed { sales: SeedSale[]; attempts: SeedAttempt[]; refunds: SeedRefund[]; facts: FactEnvelope[] }

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Local midnight (Asia/Shanghai) of a YYYY-MM-DD date, in ms UTC. */
export const localMidnight = (date: string): number => dayNumber(date) * 86_400_000 - OFFSET;

/** One terminal's facts: `sales` sales over `days` local days ending on `lastDate`, numbered from seq 1. */
export function seedTerminal(storeId: string, terminalId: string, seedValue: number, lastDate: string, days: number, sales: number): Seed {
  const rnd = random(seedValue);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const out: Seed = { sales: [], attempts: [], refunds: [], facts: [] };
  const events: { at: number; kind: FactEnvelope['kind']; body: Record<string, unknown> }[] = [];
  let attemptId = 0;
  let refundId = 0;
  const start = localMidnight(lastDate) - (days - 1) * 86_400_000;
  for (let saleId = 1; saleId <= sales; saleId += 1) {
    const createdAt = start + Math.floor(rnd() * days) * 86_400_000 + (8 + Math.floor(rnd() * 13)) * H + Math.floor(rnd() * H);
    const roll = rnd();
    const state: SeedSale['state'] = roll < 0.85 ? 'paid' : roll < 0.95 ? 'voided' : 'open';
    const totalFen = 300 + Math.floor(rnd() * 60_000);
    const tenderKind = pick(['cash', 'wechat-code', 'wechat-code', 'wechat-qr'] as const);
    out.sales.push({ storeId, terminalId, saleId, state, totalFen, createdAt, tenderKind });
    const tenderState = state === 'paid' ? 'paid' : state === 'voided' ? 'cancelled' : 'pending';
    const sale = (s: string, t: string) => ({
      saleId, terminalId, receiptNo: saleId, cashierId: 'c1', shiftId: null, state: s, description: `Sale ${saleId}`, totalFen, createdAt,
      paidAt: s === 'paid' ? createdAt + 20_000 : null, voidedAt: s === 'voided' ? createdAt + 30_000 : null, voidReason: s === 'voided' ? '顾客取消' : null,
      lines: [{ lineNo: 1, name: '商品', unitFen: totalFen, quantity: 1, amountFen: totalFen }],
      tenders: [{ tenderId: saleId, kind: tenderKind, amountFen: totalFen, state: t, tenderedFen: tenderKind === 'cash' ? totalFen : null, changeFen: tenderKind === 'cash' ? 0 : null,
        createdAt, settledAt: t === 'paid' ? createdAt + 20_000 : null, outTradeNo: tenderKind === 'cash' ? null : `${terminalId}-${saleId}`, transactionId: null }],
    });
    // Every other sale also sends its earlier open state first: the newest fact must win.
    if (saleId % 2 === 0) events.push({ at: createdAt, kind: 'sale', body: sale('open', 'pending') });
    events.push({ at: createdAt + 30_000, kind: 'sale', body: sale(state, tenderState) });
    if (tenderKind !== 'cash') {
      const mode = tenderKind === 'wechat-code' ? 'micropay' : 'native';
      const attempt = (state: string, failureCode: string | null, sent: boolean, latency: number) => {
        attemptId += 1;
        const a: SeedAttempt = { storeId, mode, state, failureCode, createdAt, resolvedAt: createdAt + latency, firstSentAt: sent ? createdAt + 50 : null, amountFen: totalFen };
        out.attempts.push(a);
        events.push({ at: a.resolvedAt ?? createdAt, kind: 'wechat-attempt', body: {
          attemptId, saleId, tenderId: saleId, terminalId, receiptNo: saleId, mode, outTradeNo: `${terminalId}-${saleId}-${attemptId}`, amountFen: totalFen,
          state, authCodeMasked: mode === 'micropay' ? '1350****1234' : null, payerMasked: state === 'paid' ? 'o***x' : null, transactionId: null,
          bankType: null, paidFen: state === 'paid' ? totalFen : null, successTime: null, failureCode, createdAt, resolvedAt: a.resolvedAt,
          ...(attemptId % 5 === 0 ? {} : { firstSentAt: a.firstSentAt }),
        } });
      };
      const latency = (): number => 200 + Math.floor(rnd() ** 3 * 40_000);
      if (rnd() < 0.2) attempt('failed', pick(['NOTENOUGH', 'AUTHCODEEXPIRE', 'OFFLINE_EXPIRED']), rnd() < 0.7, latency());
      if (state === 'paid') attempt('paid', null, true, latency());
      else if (state === 'voided') attempt(pick(['cancelled', 'closed', 'reversed']), null, rnd() < 0.5, latency());
    }
    if (state === 'paid' && rnd() < 0.15) {
      refundId += 1;
      const r: SeedRefund = { storeId, amountFen: Math.max(1, Math.floor(totalFen * (rnd() < 0.5 ? 1 : 0.5))), state: pick(['succeeded', 'succeeded', 'failed', 'queued']),
        reason: pick(['顾客退货', '商品质量问题', null, '=SUM(A1)']), requestedAt: createdAt + 3 * H };
      out.refunds.push(r);
      events.push({ at: r.requestedAt, kind: 'refund', body: {
        refundId, saleId, terminalId, receiptNo: saleId, tenderId: saleId, attemptId: null, outTradeNo: null, kind: tenderKind === 'cash' ? 'cash' : 'wechat',
        outRefundNo: null, amountFen: r.amountFen, state: r.state, approvedBy: 'm1', reason: r.reason, requestedAt: r.requestedAt, requestedOffline: false,
        wechatRefundId: null, failureCode: null, finishedAt: null,
      } });
    }
  }
  events.sort((a, b) => a.at - b.at);
  out.facts = events.map((e, i) => ({ seq: i + 1, kind: e.kind, at: e.at, body: JSON.stringify(e.body) }));
  return out;
}

const localDay = (ms: number): number => Math.floor((ms + OFFSET) / 86_400_000);
const inPeriod = (ms: number, from: string, to: string): boolean => localDay(ms) >= dayNumber(from) && localDay(ms) <= dayNumber(to);

function edgeOf(ms: number): number | null {
  return LATENCY_EDGES.find((e) => ms <= e) ?? null;
}

/** The dashboard's headline measures computed from the seed objects (independently of the hub). */
export function expectedHeadline(seeds: readonly Seed[], from: string, to: string, storeIds: readonly string[]): HeadlineMeasures {
  const sales = seeds.flatMap((s) => s.sales).filter((s) => storeIds.includes(s.storeId) && s.state === 'paid' && inPeriod(s.createdAt, from, to));
  const attempts = seeds.flatMap((s) => s.attempts).filter((a) => storeIds.includes(a.storeId) && inPeriod(a.createdAt, from, to));
  const refunds = seeds.flatMap((s) => s.refunds).filter((r) => storeIds.includes(r.storeId) && r.state !== 'failed' && inPeriod(r.requestedAt, from, to));
  const salesFen = sales.reduce((a, s) => a + s.totalFen, 0);
  const refundFen = refunds.reduce((a, r) => a + r.amountFen, 0);
  const latencies = attempts.filter((a) => a.mode === 'micropay' && a.resolvedAt !== null).map((a) => (a.resolvedAt as number) - a.createdAt).sort((a, b) => a - b);
  const p95 = latencies.length > 0 ? edgeOf(latencies[Math.ceil(0.95 * latencies.length) - 1] as number) : null;
  return {
    salesCount: sales.length,
    salesFen,
    averageTicketFen: sales.length > 0 ? Math.round(salesFen / sales.length) : null,
    successRate: attempts.length > 0 ? attempts.filter((a) => a.state === 'paid' || a.state === 'refunded').length / attempts.length : null,
    refundFen,
    refundShare: salesFen > 0 ? refundFen / salesFen : null,
    latencyP95Ms: p95,
  };
}
