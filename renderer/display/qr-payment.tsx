import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { fen, formatYuan } from '../../shared/money';
import { useApp } from '../app-context';
import { useNow } from '../components/use-now';
import { formatCountdown, secondsUntil } from './display-lines';

/** Quiet zone of four modules, as the QR standard asks: phones at an angle read it first time. */
const QR_MARGIN_MODULES = 4;

/** The native-QR payment: a big black-on-white code, the amount, and the time left to pay. */
export function QrPayment({ amountFen, codeUrl, expiresAt }: { amountFen: number; codeUrl: string; expiresAt: number }) {
  const { t } = useApp();
  const [image, setImage] = useState<string | null>(null);
  const now = useNow(1000);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(codeUrl, { errorCorrectionLevel: 'M', margin: QR_MARGIN_MODULES, scale: 16, color: { dark: '#000000', light: '#ffffff' } }).then((url) => {
      if (live) setImage(url);
    });
    return () => {
      live = false;
    };
  }, [codeUrl]);
  const seconds = secondsUntil(expiresAt, now);
  return (
    <div className="display-qr-layout">
      <div className="display-qr-box">{image && <img className="display-qr" src={image} alt={t('display.scanToPay')} data-testid="payment-qr" />}</div>
      <div className="display-qr-side">
        <p className="display-total-label">{t('display.total')}</p>
        <p className="display-amount" data-testid="display-amount">
          {formatYuan(fen(amountFen))}
        </p>
        <p className="display-big">{t('display.scanToPay')}</p>
        <p className="display-countdown" role="timer" aria-live="off">
          {t('display.expiresIn', { s: formatCountdown(seconds) })}
        </p>
      </div>
    </div>
  );
}
