import { pick } from '../../shared/i18n';
import { formatYuan, ZERO_FEN } from '../../shared/money';
import { describeAttempt, type AttemptView, type SaleView, type TenderView } from '../../shared/payments';
import { useApp } from '../app-context';
import type { MessageKey } from '../i18n/messages';
import { cartTotal, lineAmount, typedAmount, type Cart, type QuickItem } from './cart';
import { quickItemKey, type QuickKey } from './quick-items';

/** The cart being built: the total, the lines with their quantities, and the quick items. */
export function CartPanel({
  cart,
  items,
  onSelect,
  onQuantity,
  onRemove,
  onAddItem,
}: {
  cart: Cart;
  items: readonly QuickKey[];
  onSelect: (index: number) => void;
  onQuantity: (index: number, delta: 1 | -1) => void;
  onRemove: (index: number) => void;
  onAddItem: (item: QuickItem) => void;
}) {
  const { t } = useApp();
  const typed = typedAmount(cart);
  return (
    <section className="sale-panel" aria-label={t('cart.title')}>
      <div className="amount-panel">
        <div className="amount-label">{t('cashier.amount')}</div>
        <output className="amount-value" aria-live="polite" aria-label={t('cashier.amount')} data-testid="amount">
          {formatYuan(cartTotal(cart))}
        </output>
        {cart.lines.length > 0 && typed !== null && <div className="amount-note">{t('cart.keyedIncluded', { amount: formatYuan(typed) })}</div>}
      </div>
      <ul className="cart-lines" aria-label={t('cart.lines')}>
        {cart.lines.length === 0 && <li className="cart-empty">{t('cart.empty')}</li>}
        {cart.lines.map((line, index) => (
          <li key={line.itemId} className={index === cart.selected ? 'cart-line selected' : 'cart-line'} aria-current={index === cart.selected ? 'true' : undefined}>
            <button type="button" className="line-name" onClick={() => onSelect(index)} aria-label={t('cart.selectLine', { name: line.name })}>
              {line.name}
              <span className="line-unit">{formatYuan(line.unitFen)}</span>
            </button>
            <span className="line-quantity">
              <button type="button" onClick={() => onQuantity(index, -1)} aria-label={t('cart.less', { name: line.name })} aria-keyshortcuts="-">
                −
              </button>
              <output aria-label={t('cart.quantityOf', { name: line.name })}>{line.quantity}</output>
              <button type="button" onClick={() => onQuantity(index, 1)} aria-label={t('cart.more', { name: line.name })} aria-keyshortcuts="+">
                +
              </button>
            </span>
            <span className="line-amount">{formatYuan(lineAmount(line))}</span>
            <button type="button" className="line-remove" onClick={() => onRemove(index)} aria-label={t('cart.remove', { name: line.name })} aria-keyshortcuts="Delete">
              ✕
            </button>
          </li>
        ))}
      </ul>
      {cart.lines.length > 0 && <p className="cart-help">{t('cart.help')}</p>}
      <div className="quick-items" role="group" aria-label={t('cart.quickItems')}>
        {items.map(({ key, item }) => (
          <button key={item.id} type="button" onClick={() => onAddItem(item)} aria-label={t('cart.add', { name: item.name })} aria-keyshortcuts={quickItemKey(key)}>
            <span className="quick-name">{item.name}</span>
            <span className="quick-price">{formatYuan(item.unitFen)}</span>
            <kbd>{quickItemKey(key)}</kbd>
          </button>
        ))}
      </div>
    </section>
  );
}

const TENDER_KIND: Record<TenderView['kind'], MessageKey> = {
  'wechat-code': 'tender.wechatCode',
  'wechat-qr': 'tender.wechatQr',
  cash: 'tender.cash',
};

const TENDER_STATE: Record<TenderView['state'], MessageKey> = {
  pending: 'tenderState.pending',
  paid: 'tenderState.paid',
  failed: 'tenderState.failed',
  cancelled: 'tenderState.cancelled',
  superseded: 'tenderState.superseded',
};

/** The sale being paid: what is due, what was paid with what, and the lines. */
export function SaleSummary({ sale, attempts, now, online }: { sale: SaleView; attempts: readonly AttemptView[]; now: number; online: boolean }) {
  const { t, language } = useApp();
  const attemptOf = (tender: TenderView): AttemptView | null => attempts.find((a) => a.tenderId === tender.id) ?? tender.attempt;
  return (
    <section className="sale-panel" aria-label={t('sale.title', { no: sale.receiptNo })}>
      <div className="sale-heading">
        <span>{t('sale.title', { no: sale.receiptNo })}</span>
      </div>
      <dl className="sale-totals">
        <div>
          <dt>{t('sale.total')}</dt>
          <dd data-testid="sale-total">{formatYuan(sale.totalFen)}</dd>
        </div>
        <div>
          <dt>{t('sale.paid')}</dt>
          <dd data-testid="sale-paid">{formatYuan(sale.paidFen)}</dd>
        </div>
        <div className="sale-due">
          <dt>{t('sale.due')}</dt>
          <dd>
            <output aria-label={t('sale.due')} data-testid="amount">
              {formatYuan(sale.state === 'paid' ? ZERO_FEN : sale.dueFen)}
            </output>
          </dd>
        </div>
      </dl>
      {sale.tenders.length > 0 && (
        <ul className="tender-list" aria-label={t('sale.tenders')}>
          {sale.tenders.map((tender) => {
            const attempt = attemptOf(tender);
            const words = attempt ? pick(describeAttempt(attempt, { now, online }), language) : t(TENDER_STATE[tender.state]);
            return (
              <li key={tender.id} className={`tender tender-${tender.state}`}>
                <span>{t(TENDER_KIND[tender.kind])}</span>
                <span>{formatYuan(tender.amountFen)}</span>
                <span className="tender-words">{words}</span>
              </li>
            );
          })}
        </ul>
      )}
      <ul className="cart-lines sale-lines" aria-label={t('cart.lines')}>
        {sale.lines.map((line) => (
          <li key={line.lineNo} className="cart-line">
            <span className="line-name">{line.name}</span>
            <span className="line-quantity">×{line.quantity}</span>
            <span className="line-amount">{formatYuan(line.amountFen)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
