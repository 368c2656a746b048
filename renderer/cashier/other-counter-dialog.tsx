import { useCallback, useEffect, useRef, useState } from 'react';
import type { HubSaleTender, HubSaleView } from '../../shared/hub-protocol';
import { pick } from '../../shared/i18n';
import { fen, formatYuan, type Fen } from '../../shared/money';
import { classifyScan } from '../../shared/scan';
import { useApp } from '../app-context';
import { Dialog, KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { digitsOf } from './key-map';
import { RefundFields, type RefundEntry } from './refund-fields';

type Query = { terminalId: string; receiptNo: number } | { receiptQr: string };

/** What is still refundable from a WeChat tender as the hub knows it (this counter's own refunds are checked again on the main side). */
const leftOf = (tender: HubSaleTender): Fen => fen(Math.max(0, tender.amountFen - tender.refundedFen));

/** The WeChat tenders of another counter's sale that this counter can refund: paid, with money left on them. */
export function refundableTenders(sale: HubSaleView): HubSaleTender[] {
  if (sale.state !== 'paid') return [];
  return sale.tenders.filter((t) => t.kind !== 'cash' && t.state === 'paid' && t.outTradeNo !== null && leftOf(t) > 0);
}

/**
 * A sale made at another counter of this store, found at the hub by its counter and receipt number (typed, or the
 * receipt's QR scanned), shown with its lines, its tenders and what is already refunded; its WeChat tenders are
 * refunded here with a manager's PIN (cash stays with the counter that took it: it is in that drawer). Without the
 * hub the cashier is told that sales from other counters need it.
 */
export function OtherCounterDialog({ scannedQr, onClose }: { scannedQr: string | null; onClose: () => void }) {
  const { t, api, language } = useApp();
  const [terminal, setTerminal] = useState('');
  const [receipt, setReceipt] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [sale, setSale] = useState<HubSaleView | null>(null);
  const [busy, setBusy] = useState(false);
  const [refunding, setRefunding] = useState(false);
  const terminalRef = useRef<HTMLInputElement>(null);
  const receiptRef = useRef<HTMLInputElement>(null);

  const lookup = useCallback(
    async (query: Query): Promise<void> => {
      setBusy(true);
      setMessage(t('other.looking'));
      const result = await api.call('otherCounterSale.lookup', query);
      setBusy(false);
      if (!result.ok) {
        setMessage(result.error.message);
        return;
      }
      if (!result.value.ok) {
        setSale(null);
        setMessage(pick(result.value.message, language));
        return;
      }
      setSale(result.value.sale);
      setMessage(null);
    },
    [api, language, t],
  );

  useEffect(() => {
    if (scannedQr) void lookup({ receiptQr: scannedQr });
  }, [scannedQr, lookup]);

  const lookupTyped = (): void => {
    const terminalId = (terminalRef.current?.value ?? terminal).trim().toUpperCase();
    const receiptNo = Number(digitsOf(receiptRef.current?.value ?? receipt));
    if (!/^[A-Z0-9]{1,6}$/.test(terminalId) || !Number.isInteger(receiptNo) || receiptNo < 1) {
      setMessage(t('other.invalid'));
      return;
    }
    void lookup({ terminalId, receiptNo });
  };

  const canRefund = sale !== null && refundableTenders(sale).length > 0;

  useInputLayer(
    refunding
      ? {}
      : {
          onKey: (event) => {
            if (event.key === 'Escape') onClose();
            else if (event.key === 'Enter') lookupTyped();
            else if (event.key === 'F7' && canRefund) setRefunding(true);
            else return;
            event.preventDefault();
          },
          onScan: (code) => {
            const scan = classifyScan(code);
            if (scan.kind !== 'receipt') return false;
            void lookup({ receiptQr: code });
            return true;
          },
        },
  );

  return (
    <Dialog title={t('other.title')} onClose={onClose} closeLabel={t('dialog.close')} wide testId="other-counter-dialog">
      <div className="form-fields">
        <p className="dialog-help">{t('other.help')}</p>
        <label>
          {t('other.terminal')}
          <input ref={terminalRef} autoComplete="off" autoFocus maxLength={6} value={terminal} onChange={(e) => setTerminal(e.target.value.replace(/[^A-Za-z0-9]/g, '').toUpperCase())} />
        </label>
        <label>
          {t('other.receiptNo')}
          <input ref={receiptRef} inputMode="numeric" autoComplete="off" maxLength={9} value={receipt} onChange={(e) => setReceipt(digitsOf(e.target.value).slice(0, 9))} />
        </label>
        <KeyButton label={t('other.lookup')} keyLabel="Enter" ariaKeys="Enter" onClick={lookupTyped} disabled={busy} />
        {message && (
          <p className="dialog-message" role="status">
            {message}
          </p>
        )}
      </div>
      {sale && (
        <div className="recent-detail" aria-live="polite">
          <OtherCounterSaleDetail sale={sale} />
          <div className="dialog-actions">
            <KeyButton label={t('other.refund')} keyLabel="F7" ariaKeys="F7" onClick={() => setRefunding(true)} disabled={!canRefund} />
          </div>
        </div>
      )}
      {refunding && sale && (
        <OtherCounterRefundDialog
          sale={sale}
          onDone={(words) => {
            setRefunding(false);
            setMessage(words);
            // Shown again as the hub knows it now (this counter's refund reaches it with the next push).
            void lookup({ terminalId: sale.terminalId, receiptNo: sale.receiptNo }).then(() => setMessage(words));
          }}
          onClose={() => setRefunding(false)}
        />
      )}
    </Dialog>
  );
}

function OtherCounterSaleDetail({ sale }: { sale: HubSaleView }) {
  const { t } = useApp();
  const cash = sale.tenders.find((tender) => tender.kind === 'cash' && tender.state === 'paid');
  return (
    <div className="sale-detail" data-testid="other-sale-detail">
      <h3>{t('other.sale', { terminal: sale.terminalId, no: sale.receiptNo, total: formatYuan(fen(sale.totalFen)) })}</h3>
      <ul className="detail-lines">
        {sale.lines.map((line, index) => (
          <li key={index}>
            <span>{line.name}</span>
            <span>×{line.quantity}</span>
            <span>{formatYuan(fen(line.amountFen))}</span>
          </li>
        ))}
      </ul>
      <ul className="detail-tenders" aria-label={t('sale.tenders')}>
        {sale.tenders
          .filter((tender) => tender.state === 'paid')
          .map((tender, index) => (
            <li key={index}>
              <span>{t(tender.kind === 'cash' ? 'tender.cash' : tender.kind === 'wechat-qr' ? 'tender.wechatQr' : 'tender.wechatCode')}</span>
              <span>{formatYuan(fen(tender.amountFen))}</span>
              {tender.refundedFen > 0 && <span>{t('other.refundedSoFar', { amount: formatYuan(fen(tender.refundedFen)) })}</span>}
              {tender.kind !== 'cash' && <span>{t('other.leftToRefund', { amount: formatYuan(leftOf(tender)) })}</span>}
            </li>
          ))}
      </ul>
      {cash && <p className="dialog-help">{t('other.cashElsewhere', { terminal: sale.terminalId })}</p>}
      {refundableTenders(sale).length === 0 && <p className="dialog-help">{t('other.nothingToRefund')}</p>}
    </div>
  );
}

/** The refund itself: which WeChat payment, how much (at most what is left on it), the manager's PIN, a reason. */
function OtherCounterRefundDialog({ sale, onDone, onClose }: { sale: HubSaleView; onDone: (words: string) => void; onClose: () => void }) {
  const { t, api } = useApp();
  const tenders = refundableTenders(sale);
  const [chosen, setChosen] = useState(tenders[0]?.outTradeNo ?? '');
  const tender = tenders.find((x) => x.outTradeNo === chosen) ?? tenders[0];

  const send = async (entry: RefundEntry): Promise<string | null> => {
    if (!tender?.outTradeNo) return null;
    const result = await api.call('otherCounterSale.refund', { terminalId: sale.terminalId, receiptNo: sale.receiptNo, outTradeNo: tender.outTradeNo, ...entry });
    if (!result.ok) return result.error.message;
    onDone(t('other.done', { amount: formatYuan(result.value.amountFen), refundNo: result.value.outRefundNo }));
    return null;
  };

  return (
    <Dialog title={t('other.refundTitle', { terminal: sale.terminalId, no: sale.receiptNo })} onClose={onClose} closeLabel={t('dialog.cancel')} testId="other-refund-dialog">
      <div className="form-fields">
        {tenders.length > 1 && (
          <fieldset>
            <legend>{t('other.tender')}</legend>
            {tenders.map((x) => (
              <label key={x.outTradeNo}>
                <input type="radio" name="tender" checked={x.outTradeNo === chosen} onChange={() => setChosen(x.outTradeNo ?? '')} />
                {t(x.kind === 'wechat-qr' ? 'tender.wechatQr' : 'tender.wechatCode')} {formatYuan(fen(x.amountFen))} · {t('other.leftToRefund', { amount: formatYuan(leftOf(x)) })}
              </label>
            ))}
          </fieldset>
        )}
        {/* Another tender chosen: the form starts over with what is left on that one. */}
        <RefundFields key={tender?.outTradeNo ?? ''} refundableFen={tender ? leftOf(tender) : fen(0)} send={send} onClose={onClose} />
      </div>
    </Dialog>
  );
}
