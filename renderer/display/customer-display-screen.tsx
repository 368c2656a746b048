import { useLayoutEffect, useRef, useState } from 'react';
import { pick } from '../../shared/i18n';
import type { CustomerDisplayState } from '../../shared/display';
import { fen, formatYuan } from '../../shared/money';
import { useApp, useEvent } from '../app-context';
import { QrPayment } from './qr-payment';
import { visibleLines } from './display-lines';

/** The fewest cart lines the display shows before measuring how many its screen has room for (newest first). */
export const DISPLAY_MAX_LINES = 6;

/**
 * The customer-facing window: receive-only (it never calls the main side), large type readable at 1.5 m, a big
 * black-on-white QR. Fills the screen without scrolling at any size from 1024x600 up.
 */
export function CustomerDisplayScreen() {
  const { api, t, info } = useApp();
  const state = useEvent(api, 'display.state');
  const storeName = state && 'storeName' in state ? state.storeName : (info?.storeName ?? '');
  const sandbox = state?.sandbox ?? info?.sandbox ?? false;
  const cashOnly = state && 'wechatAvailable' in state && !state.wechatAvailable;
  return (
    <div className={`display display-state-${state?.kind ?? 'idle'}`} data-state={state?.kind ?? 'idle'} data-testid="display">
      <header className="display-header">
        <span className="display-header-store">{state?.kind === 'idle' ? '' : storeName}</span>
        {sandbox && (
          <span className="display-sandbox" role="status">
            {t('app.sandbox')} · {t('app.sandboxHint')}
          </span>
        )}
      </header>
      <main className="display-body">{state ? <DisplayBody state={state} /> : <Idle storeName={storeName} />}</main>
      {cashOnly && (
        <footer className="display-warning" role="status">
          {t('display.cashOnly')}
        </footer>
      )}
    </div>
  );
}

function Idle({ storeName }: { storeName: string }) {
  const { t } = useApp();
  return (
    <div className="display-center">
      <h1 className="display-store">{storeName}</h1>
      <p className="display-big">{t('display.welcome')}</p>
    </div>
  );
}

function Amount({ amountFen }: { amountFen: number }) {
  return (
    <p className="display-amount" data-testid="display-amount">
      {formatYuan(fen(amountFen))}
    </p>
  );
}

function DisplayBody({ state }: { state: CustomerDisplayState }) {
  const { t, language } = useApp();
  switch (state.kind) {
    case 'idle':
      return <Idle storeName={state.storeName} />;
    case 'cart':
      return <CartView state={state} />;
    case 'qr':
      return <QrPayment amountFen={state.amountFen} codeUrl={state.codeUrl} expiresAt={state.expiresAt} />;
    case 'paying':
      return (
        <div className="display-center">
          <p className="display-big">{t('display.paying')}</p>
          <Amount amountFen={state.amountFen} />
          <p className="display-message" role="status">
            {pick(state.message, language)}
          </p>
        </div>
      );
    case 'paid':
      return (
        <div className="display-center">
          <p className="display-big display-ok" role="status">
            <span aria-hidden="true">✓ </span>
            {t('display.paid')}
          </p>
          <Amount amountFen={state.amountFen} />
          {state.changeFen !== undefined && state.changeFen > 0 && (
            <p className="display-change">
              {t('display.change')} {formatYuan(fen(state.changeFen))}
            </p>
          )}
          <p className="display-message">{t('display.thanks')}</p>
        </div>
      );
    case 'failed':
      return (
        <div className="display-center">
          <p className="display-big display-bad" role="alert">
            {t('display.failed')}
          </p>
          <Amount amountFen={state.amountFen} />
          <p className="display-message">{pick(state.message, language)}</p>
        </div>
      );
    case 'cancelled':
      return (
        <div className="display-center">
          <p className="display-big" role="status">
            {t('display.cancelled')}
          </p>
          <Amount amountFen={state.amountFen} />
        </div>
      );
  }
}

/**
 * The cart as the customer watches it grow: as many of the newest lines as the screen has room for (measured, so a
 * tall screen shows them all rather than "还有 3 项" over empty space), the total, and on a split tender what is
 * left to pay now, big, with the total and the part paid beside it.
 */
function CartView({ state }: { state: Extract<CustomerDisplayState, { kind: 'cart' }> }) {
  const { t } = useApp();
  const box = useRef<HTMLDivElement>(null);
  const [maxLines, setMaxLines] = useState(DISPLAY_MAX_LINES);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = (): void => {
      const line = element.querySelector<HTMLElement>('.display-lines li');
      if (!line || line.offsetHeight === 0) return;
      setMaxLines(Math.max(DISPLAY_MAX_LINES, Math.floor(element.clientHeight / line.offsetHeight)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [state.lines.length]);
  const { shown, hidden } = visibleLines(state.lines, maxLines);
  const count = state.lines.reduce((sum, line) => sum + line.quantity, 0);
  const paidFen = state.paidFen ?? 0;
  return (
    <div className="display-cart" ref={box}>
      <ul className="display-lines" aria-label={t('cart.lines')}>
        {hidden > 0 && <li className="display-more">{t('display.moreLines', { n: hidden })}</li>}
        {shown.map((line, i) => (
          <li key={`${hidden + i}-${line.name}`}>
            <span className="display-line-name">{line.name}</span>
            <span className="display-line-qty">×{line.quantity}</span>
            <span className="display-line-amount">{formatYuan(fen(line.amountFen))}</span>
          </li>
        ))}
      </ul>
      <div className="display-total">
        {paidFen > 0 ? (
          <>
            <p className="display-total-label">{t('display.due')}</p>
            <Amount amountFen={Math.max(0, state.totalFen - paidFen)} />
            <p className="display-count">{t('display.paidSoFar', { total: formatYuan(fen(state.totalFen)), paid: formatYuan(fen(paidFen)) })}</p>
          </>
        ) : (
          <>
            <p className="display-total-label">{t('display.total')}</p>
            <Amount amountFen={state.totalFen} />
            {count > 0 && <p className="display-count">{t('display.items', { n: count })}</p>}
          </>
        )}
      </div>
    </div>
  );
}
