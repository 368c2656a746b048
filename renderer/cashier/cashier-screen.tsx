import { useCallback, useEffect, useState } from 'react';
import { formatYuan, ZERO_FEN } from '../../shared/money';
import { useApp } from '../app-context';
import { HeaderBar } from '../components/header-bar';
import { amountTextToFen, applyAmountKey, keyFromKeyboard, type AmountKey } from './amount-entry';

const NUMPAD: { key: AmountKey; label: string }[] = [
  ...['7', '8', '9', '4', '5', '6', '1', '2', '3'].map((d) => ({ key: d as AmountKey, label: d })),
  { key: '0', label: '0' },
  { key: '00', label: '00' },
  { key: '.', label: '.' },
];

/** The cashier's window: amount entry now; sale, tenders and payment states are built on it. */
export function CashierScreen() {
  const { api, t, language } = useApp();
  const [text, setText] = useState('');
  const amount = amountTextToFen(text);

  const press = useCallback((key: AmountKey) => setText((current) => applyAmountKey(current, key)), []);

  useEffect(() => {
    void api.call('cart.preview', amount === null ? { lines: [] } : { lines: [], amountFen: amount });
  }, [api, amount]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'F12') {
        event.preventDefault();
        void api.call('app.setLanguage', { language: language === 'en' ? 'zh-CN' : 'en' });
        return;
      }
      if (event.key === 'Escape') {
        press('clear');
        return;
      }
      const key = keyFromKeyboard(event.key);
      if (key) {
        event.preventDefault();
        press(key);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [api, language, press]);

  return (
    <div className="cashier">
      <HeaderBar />
      <main className="cashier-main">
        <section className="amount-panel" aria-label={t('cashier.amount')}>
          <div className="amount-label">{t('cashier.amount')}</div>
          <output className="amount-value" aria-live="polite" data-testid="amount">
            {formatYuan(amount ?? ZERO_FEN)}
          </output>
        </section>
        <section className="numpad" aria-label={t('cashier.numpad')}>
          {NUMPAD.map(({ key, label }) => (
            <button key={key} type="button" onClick={() => press(key)} aria-label={label}>
              {label}
            </button>
          ))}
          <button type="button" onClick={() => press('backspace')} aria-label={t('cashier.backspace')} aria-keyshortcuts="Backspace">
            ⌫
          </button>
          <button type="button" onClick={() => press('clear')} aria-label={t('cashier.clear')} aria-keyshortcuts="Escape">
            {t('cashier.clear')} <kbd>Esc</kbd>
          </button>
        </section>
      </main>
    </div>
  );
}
