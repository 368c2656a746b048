import { useCallback, useEffect, useRef, useState } from 'react';
import { pick } from '../../shared/i18n';
import { formatYuan, fen, type Fen } from '../../shared/money';
import { describeRefund, type RefundView, type SaleView } from '../../shared/payments';
import { classifyScan } from '../../shared/scan';
import type { MethodName, MethodRequest, MethodResult } from '../../shared/api';
import { useApp } from '../app-context';
import { Dialog, KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { digitsOf } from './key-map';
import { formatListTime, parseReceiptNo } from './format';
import { OtherCounterDialog } from './other-counter-dialog';
import { RefundDialog } from './refund-dialog';
import { refundLineKey, saleStateKey } from './refund-words';
import type { Counter } from './use-counter';

const RECENT_LIMIT = 50;

export function refundableFen(sale: SaleView): number {
  return sale.state === 'paid' ? Math.max(0, sale.paidFen - sale.refundedFen) : 0;
}

/**
 * Recent sales (F5): newest first, found by receipt number typed or scanned from the receipt's QR; the selected
 * sale can be refunded (manager PIN) or its receipt printed again.
 */
export function RecentSalesDialog({ counter, lookup, onClose }: { counter: Counter; lookup: { sale: SaleView; seq: number } | null; onClose: () => void }) {
  const { t, api, language, info, timeZone } = useApp();
  const { setUser } = counter;
  // Another counter's receipt (issue 13): looked up at the hub in its own dialog; a scanned QR of it opens that at once.
  const [otherCounter, setOtherCounter] = useState<{ scannedQr: string | null } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // Cash the cashier must hand back for the refund just made: shown until another sale is picked or the dialog closes.
  const [handBack, setHandBack] = useState<{ saleId: number; fen: Fen } | null>(null);
  // Refusals are shown in the dialog itself: the counter's message bar is behind it.
  const run = useCallback(
    async <M extends MethodName>(method: M, request: MethodRequest<M>): Promise<MethodResult<M> | null> => {
      const result = await api.call(method, request);
      if (result.ok) return result.value;
      if (result.error.code === 'NOT_SIGNED_IN') setUser(null);
      setMessage(result.error.message);
      return null;
    },
    [api, setUser],
  );
  const [sales, setSales] = useState<SaleView[]>([]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [query, setQuery] = useState('');
  const [refunds, setRefunds] = useState<RefundView[]>([]);
  const [refunding, setRefunding] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const selected = sales.find((s) => s.id === selectedId) ?? null;

  const upsert = useCallback((sale: SaleView) => {
    setSales((current) => (current.some((s) => s.id === sale.id) ? current.map((s) => (s.id === sale.id ? sale : s)) : [sale, ...current]));
  }, []);

  const find = useCallback(
    async (receiptNo: number | null) => {
      if (receiptNo === null) {
        setMessage(t('recent.receiptInvalid'));
        return;
      }
      const sale = await run('sale.findByReceipt', { receiptNo });
      if (sale) {
        upsert(sale);
        setSelectedId(sale.id);
        setMessage(null);
      } else {
        setMessage(t('recent.notFound', { no: receiptNo }));
      }
    },
    [run, t, upsert],
  );

  useEffect(() => {
    void run('sale.listRecent', { limit: RECENT_LIMIT }).then((list) => {
      if (!list) return;
      const sorted = [...list].sort((a, b) => b.createdAt - a.createdAt);
      setSales((current) => [...current.filter((s) => !sorted.some((l) => l.id === s.id)), ...sorted]);
      setSelectedId((current) => current ?? sorted[0]?.id ?? null);
    });
  }, [run]);

  useEffect(() => {
    if (!lookup) return;
    upsert(lookup.sale);
    setSelectedId(lookup.sale.id);
  }, [lookup, upsert]);

  useEffect(() => api.on('sale.updated', (sale) => setSales((current) => current.map((s) => (s.id === sale.id ? sale : s)))), [api]);

  const loadRefunds = useCallback(async () => {
    if (selectedId === null) return setRefunds([]);
    setRefunds((await run('refund.list', { saleId: selectedId })) ?? []);
  }, [run, selectedId]);

  useEffect(() => {
    void loadRefunds();
    return api.on('refund.updated', (refund) => {
      if (refund.saleId === selectedId) setRefunds((current) => [...current.filter((r) => r.id !== refund.id), refund].sort((a, b) => a.id - b.id));
    });
  }, [api, loadRefunds, selectedId]);

  const move = (delta: number): void => {
    const index = sales.findIndex((s) => s.id === selectedId);
    const next = sales[Math.min(sales.length - 1, Math.max(0, index + delta))];
    if (next) setSelectedId(next.id);
  };

  const reprint = async (): Promise<void> => {
    if (!selected || selected.state !== 'paid') return;
    // The call answers null on success, so look at the result itself rather than through run().
    const result = await api.call('print.reprintReceipt', { saleId: selected.id });
    setMessage(result.ok ? t('recent.reprinted', { no: selected.receiptNo }) : result.error.message);
  };

  const canRefund = selected !== null && refundableFen(selected) > 0;

  useInputLayer(
    refunding || otherCounter
      ? {}
      : {
          onKey: (event) => {
            if (event.key === 'Escape') onClose();
            else if (event.key === 'ArrowDown') move(1);
            else if (event.key === 'ArrowUp') move(-1);
            else if (event.key === 'Enter') void find(parseReceiptNo(searchRef.current?.value ?? query));
            else if (event.key === 'F7' && canRefund) setRefunding(true);
            else if (event.key === 'F8') void reprint();
            else if (event.key === 'F9') setOtherCounter({ scannedQr: null });
            else return;
            event.preventDefault();
          },
          onTyped: (text) => setQuery((current) => (current + digitsOf(text)).slice(0, 12)),
          // Receipt QR codes open that sale here; anything else (a payment code) goes on to the counter.
          onScan: (code) => {
            const scan = classifyScan(code);
            if (scan.kind !== 'receipt') return false;
            if (info && scan.terminalId !== info.terminalId) setOtherCounter({ scannedQr: code });
            else void find(parseReceiptNo(scan.receiptNo));
            return true;
          },
        },
  );

  return (
    <Dialog title={t('recent.title')} onClose={onClose} closeLabel={t('dialog.close')} wide testId="recent-dialog">
      <div className="recent-grid">
        <div className="recent-list-column">
          <label className="recent-search">
            {t('recent.search')}
            <input ref={searchRef} inputMode="numeric" autoComplete="off" autoFocus value={query} onChange={(e) => setQuery(digitsOf(e.target.value).slice(0, 12))} />
          </label>
          <p className="dialog-help">{t('recent.searchHelp')}</p>
          {message && (
            <p className="dialog-message" role="status">
              {message}
            </p>
          )}
          <ul className="recent-list" aria-label={t('recent.list')}>
            {sales.length === 0 && <li className="cart-empty">{t('recent.none')}</li>}
            {sales.map((sale) => (
              <li key={sale.id}>
                <button type="button" className={sale.id === selectedId ? 'recent-row selected' : 'recent-row'} aria-pressed={sale.id === selectedId} onClick={() => setSelectedId(sale.id)}>
                  <span>{formatListTime(sale.createdAt, Date.now(), language, timeZone)}</span>
                  <span>{t('recent.receiptNo', { no: sale.receiptNo })}</span>
                  <span>{formatYuan(sale.totalFen)}</span>
                  <span className={`sale-state sale-${sale.state}`}>{sale.refundedFen > 0 ? t('recent.refunded', { amount: formatYuan(sale.refundedFen) }) : t(saleStateKey(sale))}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
        <div className="recent-detail" aria-live="polite">
          {selected ? <SaleDetail sale={selected} refunds={refunds} /> : <p>{t('recent.pick')}</p>}
          {handBack && handBack.saleId === selectedId && handBack.fen > 0 && (
            <p className="refund-hand-back" role="alert" data-testid="refund-hand-back">
              {t('refund.handBackCash', { amount: formatYuan(handBack.fen) })}
            </p>
          )}
          <div className="dialog-actions">
            <KeyButton label={t('recent.refund')} keyLabel="F7" ariaKeys="F7" onClick={() => setRefunding(true)} disabled={!canRefund} />
            <KeyButton label={t('recent.reprint')} keyLabel="F8" ariaKeys="F8" onClick={() => void reprint()} disabled={selected?.state !== 'paid'} />
            <KeyButton label={t('other.open')} keyLabel="F9" ariaKeys="F9" onClick={() => setOtherCounter({ scannedQr: null })} />
          </div>
        </div>
      </div>
      {otherCounter && <OtherCounterDialog scannedQr={otherCounter.scannedQr} onClose={() => setOtherCounter(null)} />}
      {refunding && selected && (
        <RefundDialog
          sale={selected}
          refundableFen={fen(refundableFen(selected))}
          onDone={(result, cashFen) => {
            setRefunding(false);
            setMessage(result);
            setHandBack({ saleId: selected.id, fen: cashFen });
            void loadRefunds();
            void run('sale.get', { saleId: selected.id }).then((sale) => sale && upsert(sale));
          }}
          onClose={() => setRefunding(false)}
        />
      )}
    </Dialog>
  );
}

function SaleDetail({ sale, refunds }: { sale: SaleView; refunds: RefundView[] }) {
  const { t, language } = useApp();
  return (
    <div className="sale-detail" data-testid="sale-detail">
      <h3>
        {t('recent.receiptNo', { no: sale.receiptNo })} · {formatYuan(sale.totalFen)} · {t(saleStateKey(sale))}
      </h3>
      <ul className="detail-lines">
        {sale.lines.map((line) => (
          <li key={line.lineNo}>
            <span>{line.name}</span>
            <span>×{line.quantity}</span>
            <span>{formatYuan(line.amountFen)}</span>
          </li>
        ))}
      </ul>
      <ul className="detail-tenders" aria-label={t('sale.tenders')}>
        {sale.tenders
          .filter((tender) => tender.state === 'paid')
          .map((tender) => (
            <li key={tender.id}>
              <span>{t(tender.kind === 'cash' ? 'tender.cash' : tender.kind === 'wechat-qr' ? 'tender.wechatQr' : 'tender.wechatCode')}</span>
              <span>{formatYuan(tender.amountFen)}</span>
              {tender.attempt?.transactionId && <span className="detail-txid">{tender.attempt.transactionId}</span>}
            </li>
          ))}
      </ul>
      {refunds.length > 0 && (
        <ul className="detail-refunds" aria-label={t('recent.refunds')}>
          {refunds.map((refund) => (
            <li key={refund.id} className={`refund-${refund.state}`}>
              <span>{t(refundLineKey(refund), { amount: formatYuan(refund.amountFen) })}</span>
              <span>{pick(describeRefund(refund), language)}</span>
              <span className="refund-no">{t('recent.refundNo', { no: refund.refundNo })}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
