import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { CustomerDisplayState } from '../../shared/display';
import { pick } from '../../shared/i18n';
import { fen, formatYuan } from '../../shared/money';
import { useApp, useEvent } from '../app-context';

/** The customer-facing window: receive-only, large type readable at 1.5 m, a big high-contrast QR. */
export function CustomerDisplayScreen() {
  const { api, t, language } = useApp();
  const state = useEvent(api, 'display.state');
  if (!state) return <div className="display display-idle">{t('display.welcome')}</div>;
  return (
    <div className={`display display-${state.kind}`} data-state={state.kind}>
      {state.sandbox && <div className="display-sandbox">{t('app.sandbox')} · {t('app.sandboxHint')}</div>}
      <DisplayBody state={state} t={t} language={language} />
    </div>
  );
}

function DisplayBody({ state, t, language }: { state: CustomerDisplayState; t: ReturnType<typeof useApp>['t']; language: ReturnType<typeof useApp>['language'] }) {
  switch (state.kind) {
    case 'idle':
      return (
        <>
          <h1 className="display-store">{state.storeName}</h1>
          <p className="display-big">{t('display.welcome')}</p>
          {!state.wechatAvailable && <p className="display-warning" role="status">{t('display.cashOnly')}</p>}
        </>
      );
    case 'cart':
      return (
        <>
          <ul className="display-lines">
            {state.lines.map((line, i) => (
              <li key={i}>
                <span>{line.name}</span> <span>×{line.quantity}</span> <span>{formatYuan(fen(line.amountFen))}</span>
              </li>
            ))}
          </ul>
          <p className="display-total-label">{t('display.total')}</p>
          <p className="display-amount" data-testid="display-amount">{formatYuan(fen(state.totalFen))}</p>
          {!state.wechatAvailable && <p className="display-warning" role="status">{t('display.cashOnly')}</p>}
        </>
      );
    case 'qr':
      return <QrPayment amountFen={state.amountFen} codeUrl={state.codeUrl} expiresAt={state.expiresAt} />;
    case 'paying':
      return (
        <>
          <p className="display-amount">{formatYuan(fen(state.amountFen))}</p>
          <p className="display-big">{pick(state.message, language)}</p>
        </>
      );
    case 'paid':
      return (
        <>
          <p className="display-big display-ok">{t('display.paid')}</p>
          <p className="display-amount">{formatYuan(fen(state.amountFen))}</p>
          {state.changeFen !== undefined && state.changeFen > 0 && (
            <p className="display-change">
              {t('display.change')} {formatYuan(fen(state.changeFen))}
            </p>
          )}
        </>
      );
    case 'failed':
      return (
        <>
          <p className="display-big display-bad">{t('display.failed')}</p>
          <p className="display-reason">{pick(state.message, language)}</p>
        </>
      );
    case 'cancelled':
      return <p className="display-big">{t('display.cancelled')}</p>;
  }
}

function QrPayment({ amountFen, codeUrl, expiresAt }: { amountFen: number; codeUrl: string; expiresAt: number }) {
  const { t } = useApp();
  const [image, setImage] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    void QRCode.toDataURL(codeUrl, { errorCorrectionLevel: 'M', margin: 2, width: 640, color: { dark: '#000000', light: '#ffffff' } }).then(setImage);
  }, [codeUrl]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  return (
    <>
      <p className="display-amount">{formatYuan(fen(amountFen))}</p>
      {image && <img className="display-qr" src={image} alt={t('display.scanToPay')} data-testid="payment-qr" />}
      <p className="display-big">{t('display.scanToPay')}</p>
      <p className="display-countdown" role="timer">{t('display.expiresIn', { s: seconds })}</p>
    </>
  );
}
