import { describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import type { AttemptView, SaleView, TenderView } from '../../../shared/payments';
import {
  announcementText,
  attemptActivity,
  attemptsOfSale,
  attemptTone,
  changeFor,
  changeGiven,
  currentAttempt,
  isPending,
  phaseOf,
  suggestedNotes,
  wechatPaidFen,
} from '../../../renderer/cashier/payment-progress';

const NOW = 1_700_000_000_000;

function attempt(overrides: Partial<AttemptView> = {}): AttemptView {
  return {
    id: 1,
    saleId: 10,
    tenderId: 100,
    mode: 'micropay',
    outTradeNo: 'T01X',
    amountFen: fen(1250),
    state: 'user-paying',
    final: false,
    superseded: false,
    cancelRequested: false,
    authCodeMasked: '1301********0001',
    createdAt: NOW - 5000,
    sendDeadlineAt: null,
    resolveBy: NOW + 40_000,
    lastAnswer: 'USERPAYING',
    networkTrouble: false,
    failure: null,
    transactionId: null,
    payerMasked: null,
    codeUrl: null,
    qrExpiresAt: null,
    resolvedAt: null,
    updatedAt: NOW - 1000,
    ...overrides,
  };
}

function tender(overrides: Partial<TenderView>): TenderView {
  return { id: 100, kind: 'wechat-code', amountFen: fen(1250), state: 'paid', tenderedFen: null, changeFen: null, createdAt: NOW, settledAt: NOW, attempt: null, ...overrides };
}

function sale(overrides: Partial<SaleView> = {}): SaleView {
  return {
    id: 10,
    terminalId: 'T01',
    receiptNo: 7,
    cashierId: 'c',
    shiftId: null,
    state: 'open',
    description: '',
    totalFen: fen(3000),
    paidFen: fen(0),
    dueFen: fen(3000),
    refundedFen: fen(0),
    lines: [],
    tenders: [],
    createdAt: NOW,
    paidAt: null,
    voidedAt: null,
    ...overrides,
  };
}

describe('where the counter is', () => {
  it('builds without a sale, tenders while open, shows paid when paid; a voided sale is gone', () => {
    expect(phaseOf(null)).toBe('building');
    expect(phaseOf(sale())).toBe('tendering');
    expect(phaseOf(sale({ state: 'paid' }))).toBe('paid');
    expect(phaseOf(sale({ state: 'voided' }))).toBe('building');
  });

  it('merges attempts from the sale and from events, keeping the freshest version of each', () => {
    const old = attempt({ updatedAt: NOW - 3000, state: 'sending' });
    const fresh = attempt({ updatedAt: NOW, state: 'paid', final: true });
    const other = attempt({ id: 2, saleId: 99 });
    const s = sale({ tenders: [tender({ state: 'pending', attempt: fresh })] });
    const merged = attemptsOfSale(s, new Map([[1, old], [2, other]]));
    expect(merged).toEqual([fresh]);
    expect(currentAttempt(merged)?.state).toBe('paid');
    expect(attemptsOfSale(null, new Map())).toEqual([]);
  });

  it('counts an attempt as pending only while not final and not given up', () => {
    expect(isPending(attempt())).toBe(true);
    expect(isPending(attempt({ superseded: true }))).toBe(false);
    expect(isPending(attempt({ state: 'paid', final: true }))).toBe(false);
    expect(isPending(null)).toBe(false);
  });
});

describe('the words and tones of an attempt', () => {
  it('colours failures red, success green, network trouble amber', () => {
    expect(attemptTone(attempt({ state: 'paid' }))).toBe('success');
    expect(attemptTone(attempt({ state: 'reversed' }))).toBe('error');
    expect(attemptTone(attempt({ state: 'confirming', networkTrouble: true }))).toBe('warning');
    expect(attemptTone(attempt())).toBe('waiting');
  });

  it('says what the app does about an unresolved payment, with the seconds left', () => {
    expect(attemptActivity(attempt(), NOW, true).zh).toBe('自动查询支付结果；40 秒内未确认将自动撤销');
    expect(attemptActivity(attempt({ resolveBy: NOW - 1 }), NOW, true).zh).toBe('自动查询支付结果；未确认将自动撤销');
    const queued = attempt({ state: 'queued', sendDeadlineAt: NOW + 30_500 });
    expect(attemptActivity(queued, NOW, false).zh).toContain('网络恢复后自动发送');
    expect(attemptActivity(queued, NOW, false).zh).toContain('31 秒内未发出则作废，不扣款');
    expect(attemptActivity(queued, NOW, true).zh).toBe('正在发送给微信');
    expect(attemptActivity(attempt({ state: 'needs-attention', final: true }), NOW, true).zh).toContain('店长');
  });

  it('adds that a superseded payment is returned if it is charged after all', () => {
    const words = attemptActivity(attempt({ superseded: true }), NOW, true);
    expect(words.zh).toContain('若最终扣款将自动退回');
    expect(words.en).toContain('returned');
  });
});

describe('money after payment', () => {
  it('announces the WeChat part only, in yuan', () => {
    const paid = sale({
      state: 'paid',
      tenders: [tender({ kind: 'cash', amountFen: fen(1000), changeFen: fen(0) }), tender({ id: 101, kind: 'wechat-code', amountFen: fen(2000) }), tender({ id: 102, kind: 'wechat-qr', amountFen: fen(500), state: 'superseded' })],
    });
    expect(wechatPaidFen(paid)).toBe(2000);
    expect(announcementText(fen(1250), 'zh-CN')).toBe('微信收款 12.50 元');
    expect(announcementText(fen(1250), 'en')).toBe('WeChat payment received, 12.50 yuan');
  });

  it('adds up the change of paid cash tenders', () => {
    const paid = sale({ tenders: [tender({ kind: 'cash', changeFen: fen(750) }), tender({ id: 2, kind: 'cash', changeFen: fen(50), state: 'cancelled' })] });
    expect(changeGiven(paid)).toBe(750);
  });

  it('computes change, or refuses too little cash', () => {
    expect(changeFor(fen(1250), fen(2000))).toBe(750);
    expect(changeFor(fen(1250), fen(1250))).toBe(0);
    expect(changeFor(fen(1250), fen(1000))).toBeNull();
  });

  it('suggests the next round notes above the amount', () => {
    expect(suggestedNotes(fen(1250))).toEqual([2000, 5000, 10000]);
    expect(suggestedNotes(fen(500))).toEqual([1000, 2000, 5000]);
    expect(suggestedNotes(fen(23450))).toEqual([30000, 40000, 50000]);
    expect(suggestedNotes(fen(10000))).toEqual([20000, 30000, 40000]);
  });
});
