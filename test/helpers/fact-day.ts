import type { Database } from 'better-sqlite3';
import { insertZReport } from '../../electron/db/z-reports';
import { acknowledgeRiskAlert, insertRiskAlert, updateRiskAlertCount } from '../../electron/db/risk-alerts';
import { insertPaymentAlert, resolvePaymentAlert } from '../../electron/db/payment-alerts';
import { insertRefund, updateRefund } from '../../electron/db/refunds';
import { insertSale, markPaidEventDelivered, markSalePaid, markSaleVoided } from '../../electron/db/sales';
import { insertSaleLine } from '../../electron/db/sale-lines';
import { getShift, insertCashMovement, insertShift, markShiftClosed, recordBlindCount } from '../../electron/db/shifts';
import { computeReport, sealReport } from '../../electron/shifts/report';
import { insertTender, settleTender } from '../../electron/db/tenders';
import { insertAttempt, updateAttempt } from '../../electron/db/wechat-attempts';
import { AuditLog } from '../../electron/security/audit-log';
import { maskAuthCode, maskOpenid } from '../../shared/mask';
import type { KnownSecret } from './leak-scan';

/**
 * A counter's day written through the same table modules the services use: shift open, a cash sale, a micropay
 * sale (with the payment code stored while it may be sent, and the payer's full openid coming back), a QR sale, a
 * voided sale, a refund, cash in/out and a no-sale, a risk alert, a payment alert, an audit entry, the blind count,
 * the close and its Z report. Returns the secrets that must never reach a fact.
 */
/**
 * The Z report as the shift service computes it; a database still on an old schema (migration tests write a day
 * before migrating) cannot run today's figures queries, so it gets a minimal report naming the shift.
 */
function zReportOrStub(db: Database, at: number): Parameters<typeof sealReport>[0] {
  const shift = getShift(db, 'SH1');
  if (!shift) throw new Error('the day has no shift SH1');
  try {
    return computeReport(db, shift, 'Z', at, 1);
  } catch {
    return { kind: 'Z', zNo: 1, shiftId: shift.id, generatedAt: at } as unknown as Parameters<typeof sealReport>[0];
  }
}

export function writeRealisticDay(db: Database, start = 1_765_000_000_000, terminal = 'T01'): { secrets: KnownSecret[] } {
  let t = start;
  const now = (): number => (t += 1_000);
  const authCode = '134567890123456789';
  const openid = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
  const audit = new AuditLog(db, { now: () => t });
  const tx = <T>(fn: () => T): T => db.transaction(fn)();

  tx(() => insertShift(db, { id: 'SH1', terminalId: terminal, cashierId: 'c1', cashierName: '王芳', openingFloatFen: 20_000, openedAt: now() }));
  tx(() => audit.append({ id: 'c1', name: '王芳' }, 'shift.open', { float: 20_000 }));

  const sale = (total: number, lines: { name: string; unit: number; qty: number }[]): number => {
    const id = insertSale(db, { terminalId: terminal, receiptNo: nextReceipt(db, terminal), cashierId: 'c1', shiftId: 'SH1', description: '收银小票', totalFen: total, createdAt: now() });
    lines.forEach((l, i) => insertSaleLine(db, { sale_id: id, line_no: i + 1, name: l.name, unit_fen: l.unit, quantity: l.qty, amount_fen: l.unit * l.qty }));
    return id;
  };

  // Cash sale with change.
  tx(() => {
    const id = sale(1_250, [{ name: '矿泉水', unit: 250, qty: 5 }]);
    insertTender(db, { saleId: id, kind: 'cash', amountFen: 1_250, state: 'paid', tenderedFen: 2_000, changeFen: 750, createdAt: now() });
    markSalePaid(db, id, now());
  });
  // Micropay sale.
  const micro = tx(() => {
    const id = sale(3_300, [{ name: '咖啡', unit: 1_650, qty: 2 }]);
    const tender = insertTender(db, { saleId: id, kind: 'wechat-code', amountFen: 3_300, state: 'pending', createdAt: now() });
    const attempt = insertAttempt(db, {
      tenderId: tender, saleId: id, mode: 'micropay', outTradeNo: `${terminal}P000001`, amountFen: 3_300, description: '咖啡', state: 'queued',
      authCode, authCodeMasked: maskAuthCode(authCode), createdAt: t, sendDeadlineAt: t + 50_000, expiresAt: null,
    });
    return { id, tender, attempt };
  });
  tx(() => updateAttempt(db, micro.attempt, { state: 'sending', send_count: 1, first_sent_at: t }, now()));
  tx(() => updateAttempt(db, micro.attempt, { send_count: 2, last_answer: 'USERPAYING' }, now()));
  tx(() => {
    const at = now();
    updateAttempt(db, micro.attempt, { state: 'paid', auth_code: null, transaction_id: '4200000001', payer_masked: maskOpenid(openid), paid_fen: 3_300, success_time: at, resolved_at: at, bank_type: 'OTHERS' }, at);
    settleTender(db, micro.tender, 'paid', at);
    markSalePaid(db, micro.id, at);
  });
  tx(() => markPaidEventDelivered(db, micro.id));
  // QR sale, paid while the counter showed another basket: a payment alert, kept.
  const qr = tx(() => {
    const id = sale(880, []);
    const tender = insertTender(db, { saleId: id, kind: 'wechat-qr', amountFen: 880, state: 'pending', createdAt: now() });
    const attempt = insertAttempt(db, {
      tenderId: tender, saleId: id, mode: 'native', outTradeNo: `${terminal}Q000002`, amountFen: 880, description: '收银小票', state: 'creating',
      authCode: null, authCodeMasked: null, createdAt: t, sendDeadlineAt: null, expiresAt: t + 120_000,
    });
    updateAttempt(db, attempt, { state: 'awaiting-scan', code_url: 'weixin://wxpay/bizpayurl?pr=SECRETQR1234' }, now());
    return { id, tender, attempt };
  });
  const alert = tx(() => {
    const at = now();
    updateAttempt(db, qr.attempt, { state: 'paid', transaction_id: '4200000002', payer_masked: maskOpenid(openid), paid_fen: 880, success_time: at, resolved_at: at }, at);
    settleTender(db, qr.tender, 'paid', at);
    markSalePaid(db, qr.id, at);
    return insertPaymentAlert(db, { saleId: qr.id, attemptId: qr.attempt, amountFen: 880, paidAt: at, counterSaleId: null });
  });
  tx(() => resolvePaymentAlert(db, alert!, 'kept', 'm1', now()));
  // A voided sale.
  tx(() => markSaleVoided(db, sale(500, [{ name: '面包', unit: 500, qty: 1 }]), now(), '顾客取消'));
  // A WeChat refund of the micropay sale, approved by a manager.
  const refund = tx(() =>
    insertRefund(db, { saleId: micro.id, tenderId: micro.tender, attemptId: micro.attempt, kind: 'wechat', outRefundNo: `${terminal}R000001`, amountFen: 1_650, state: 'queued', approvedBy: 'm1', reason: '退一杯', requestedAt: now(), requestedOffline: false }),
  );
  tx(() => updateRefund(db, refund, { state: 'processing', send_count: 1 }, now()));
  tx(() => updateRefund(db, refund, { send_count: 2 }, now()));
  tx(() => updateRefund(db, refund, { state: 'succeeded', refund_id: '5030000001', finished_at: t }, now()));
  // Cash movements.
  tx(() => insertCashMovement(db, { shift_id: 'SH1', kind: 'in', amount_fen: 5_000, reason: '补零钱', actor_id: 'c1', actor_name: '王芳', approved_by: null, at: now() }));
  tx(() => insertCashMovement(db, { shift_id: 'SH1', kind: 'out', amount_fen: 3_000, reason: '存银行', actor_id: 'c1', actor_name: '王芳', approved_by: 'm1', at: now() }));
  tx(() => insertCashMovement(db, { shift_id: 'SH1', kind: 'no-sale', amount_fen: 0, reason: '换零钱', actor_id: 'c1', actor_name: '王芳', approved_by: null, at: now() }));
  // A risk alert raised, counted up (bookkeeping), acknowledged.
  const risk = tx(() => insertRiskAlert(db, { kind: 'failed-scans', actorId: 'c1', count: 3, windowMs: 60_000, at: now() }));
  tx(() => updateRiskAlertCount(db, risk, 4));
  tx(() => acknowledgeRiskAlert(db, risk, 'm1', now()));
  // Blind count, close, Z report.
  tx(() => recordBlindCount(db, 'SH1', { countJson: JSON.stringify({ notes: { '100': 2 } }), countedFen: 23_250, expectedFen: 23_250, at: now() }));
  tx(() => {
    const at = now();
    markShiftClosed(db, 'SH1', { expectedFen: 23_250, differenceFen: 0, countersignedBy: null, closedWithPending: false, closedBy: 'm1', closedAt: at, zNo: 1 });
    // The Z report exactly as the shift service makes and seals it, so the hub's day close reads real figures.
    const sealed = sealReport(zReportOrStub(db, at));
    insertZReport(db, { shift_id: 'SH1', terminal_id: terminal, z_no: 1, report_json: sealed.json, sha256: sealed.sha256, created_at: at });
    audit.append({ id: 'm1', name: '李经理' }, 'shift.close', { zNo: 1 });
  });
  return {
    secrets: [
      { name: 'authCode', value: authCode },
      { name: 'openid', value: openid },
      { name: 'codeUrl', value: 'weixin://wxpay/bizpayurl?pr=SECRETQR1234' },
    ],
  };
}

function nextReceipt(db: Database, terminal: string): number {
  const row = db.prepare('SELECT COALESCE(MAX(receipt_no), 0) + 1 AS n FROM sales WHERE terminal_id = ?').get(terminal) as { n: number };
  return row.n;
}

/** A paid cash sale of one ￥3.00 line, written as the services write it (its facts follow by trigger). */
export function writeCashSale(db: Database, receiptNo: number, at: number, terminal = 'T01'): void {
  db.transaction(() => {
    const id = insertSale(db, { terminalId: terminal, receiptNo, cashierId: 'c1', shiftId: null, description: '矿泉水', totalFen: 300, createdAt: at });
    insertSaleLine(db, { sale_id: id, line_no: 1, name: '矿泉水', unit_fen: 300, quantity: 1, amount_fen: 300 });
    insertTender(db, { saleId: id, kind: 'cash', amountFen: 300, state: 'paid', tenderedFen: 300, changeFen: 0, createdAt: at });
    markSalePaid(db, id, at);
  })();
}
