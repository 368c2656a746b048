import { useEffect, useRef, useState } from 'react';
import { pick } from '../../shared/i18n';
import { MAX_QUICK_ITEMS } from '../../shared/items';
import { LOCAL_REASONS, type SaleView } from '../../shared/payments';
import { useApp } from '../app-context';
import { KeyButton } from '../components/dialog';
import { useInputLayer } from '../components/input-layers';
import { localized } from '../i18n/messages';
import { Numpad } from '../components/numpad';
import { useNow } from '../components/use-now';
import { applyDigitKey } from './amount-entry';
import { voiceEnabled } from './announce';
import { addItem, changeQuantity, EMPTY_CART, isCartEmpty, moveSelection, pressAmountKey, removeLine, selectLine, type Cart } from './cart';
import { CashDialog } from './cash-dialog';
import { DrawerDialog } from './drawer-dialog';
import { commandAriaKeys, commandForKey, commandKeyLabel, digitsOf, interpretTyped, type CounterCommand } from './key-map';
import { PaymentAlertDialog } from './payment-alert-dialog';
import { PaymentStatus, TenderButtons } from './payment-panel';
import { currentAttempt, isOnline, isPending, phaseOf, qrAvailable } from './payment-progress';
import { RecentSalesDialog } from './recent-sales-dialog';
import { ShiftCloseDialog } from './shift-close-dialog';
import { ShiftMenuDialog } from './shift-menu-dialog';
import { CartPanel, SaleSummary } from './sale-panel';
import { StuckDialog } from './stuck-dialog';
import type { Counter } from './use-counter';
import { useSaleFlow } from './use-sale-flow';

type OpenDialog =
  | { kind: 'cash' }
  | { kind: 'recent'; lookup: { sale: SaleView; seq: number } | null }
  | { kind: 'stuck' }
  | { kind: 'drawer' }
  | { kind: 'shift' }
  | { kind: 'shift-close' }
  | { kind: 'payment-alert' }
  | null;

const CODE_LENGTH = 18;
const NOTICE_MS = 10_000;

/** The counter once signed in: build the sale, take tenders, see what happened to the money. Keyboard first. */
export function CounterScreen({ counter, onSignOut }: { counter: Counter; onSignOut: () => void }) {
  const { api, t, language, info } = useApp();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [code, setCode] = useState('');
  const codeRef = useRef<HTMLInputElement>(null);
  const now = useNow();
  // "微信收款 12.50 元" is said for the customer: in the customer display's language, not the cashier's.
  const flow = useSaleFlow(counter, { api, language: info?.languages.display ?? language, voice: voiceEnabled(info) });
  const { quickItems } = counter;

  // A receipt QR scanned anywhere opens recent sales on that sale (for a refund or a reprint).
  const scannedReceipt = counter.scannedReceipt;
  useEffect(() => {
    if (scannedReceipt) setDialog({ kind: 'recent', lookup: scannedReceipt });
  }, [scannedReceipt]);
  // A payment on a sale the counter was not showing: the cashier is asked at once (Esc puts it off until the next).
  const firstAlert = counter.paymentAlerts[0] ?? null;
  const [alertsPutOff, setAlertsPutOff] = useState<number | null>(null);
  const newestAlertId = counter.paymentAlerts.at(-1)?.id ?? null;
  useEffect(() => {
    if (newestAlertId !== null && newestAlertId !== alertsPutOff) setDialog((current) => current ?? { kind: 'payment-alert' });
  }, [newestAlertId, alertsPutOff]);
  const { sale } = counter;
  const phase = phaseOf(sale);
  const attempt = currentAttempt(counter.attempts);
  const pending = isPending(attempt);
  const online = isOnline(counter.sync);
  const qrBlocked = qrAvailable(counter.sync) ? null : LOCAL_REASONS.offline;
  const canCharge = phase === 'tendering' || (phase === 'building' && (flow.cart.lines.length > 0 || flow.cart.amountText !== ''));

  // The step the cashier is in: a dialog, or the sale on the counter in its phase. When it changes, the messages of
  // the step that ended go (a refusal at an empty cart must not stay through the refund or the drawer that follow).
  const step = `${dialog?.kind ?? 'counter'}|${sale?.id ?? 'cart'}|${phase}`;
  const lastStep = useRef(step);
  const { beginStep } = counter;
  useEffect(() => {
    if (lastStep.current === step) return;
    lastStep.current = step;
    beginStep();
  }, [step, beginStep]);

  const editCart = (change: (cart: Cart) => Cart): void => {
    counter.showError(null);
    flow.updateCart(change);
  };

  const submitTypedCode = async (): Promise<void> => {
    const value = codeRef.current?.value ?? code;
    if (value === '') return;
    if (await flow.submitCode(value)) setCode('');
  };

  const escape = (): void => {
    if (phase === 'building') editCart((cart) => pressAmountKey(cart, 'clear'));
    else if (phase === 'paid') void flow.finish();
    else if (pending && attempt.mode === 'native') void flow.cancelQr();
    else if (!pending && sale && sale.paidFen === 0) void flow.voidSale(true);
  };

  const chargeCode = async (key: 'F1' | 'Enter'): Promise<void> => {
    if (phase === 'paid') return void flow.finish();
    // Enter is also "next sale": pressed once more after the paid sale cleared itself, it finds an empty cart and
    // does nothing (a red "enter an amount" for a key the screen itself asked for would be a trap). F1 still says why.
    if (phase === 'building' && key === 'Enter' && isCartEmpty(flow.cart)) return;
    if (phase === 'building') await flow.ensureSale();
    else if (code !== '' || codeRef.current?.value) return submitTypedCode();
    codeRef.current?.focus();
  };

  const chargeCash = async (): Promise<void> => {
    if (phase === 'paid') return;
    if (flow.refuseWhilePending()) return;
    // The dialog opens at once (keys pressed right after F3 reach it): for the open sale, or for the cart, which
    // becomes a sale only when the cash is taken (payment.cashSale: one commit).
    if (flow.cashDueFen() > 0) return setDialog({ kind: 'cash' });
    await flow.ensureSale();
  };

  const command = (which: CounterCommand, key: string = commandKeyLabel(which)): void => {
    switch (which) {
      case 'charge-code':
        return void chargeCode(key === 'Enter' ? 'Enter' : 'F1');
      case 'charge-qr':
        return phase === 'paid' ? undefined : void flow.startQr();
      case 'charge-cash':
        return void chargeCash();
      case 'supersede':
        return void flow.supersede();
      case 'recent':
        return setDialog({ kind: 'recent', lookup: null });
      case 'stuck':
        return setDialog({ kind: 'stuck' });
      case 'drawer':
        return setDialog({ kind: 'drawer' });
      case 'void':
        if (phase === 'tendering') void flow.voidSale(false);
        else if (phase === 'building') editCart(() => EMPTY_CART);
        return;
      case 'sign-out':
        return onSignOut();
      case 'shift':
        return setDialog({ kind: 'shift' });
      case 'cancel':
        return escape();
      case 'line-up':
      case 'line-down':
        return editCart((cart) => moveSelection(cart, which === 'line-up' ? -1 : 1));
      case 'remove-line':
        return editCart((cart) => (cart.selected !== null ? removeLine(cart) : pressAmountKey(cart, 'clear')));
      case 'backspace':
        if (phase === 'building') editCart((cart) => pressAmountKey(cart, 'backspace'));
        else setCode((current) => current.slice(0, -1));
        return;
      case 'language':
        return;
    }
  };

  const typed = (text: string): void => {
    if (phase === 'tendering') {
      setCode((current) => (current + digitsOf(text)).slice(0, CODE_LENGTH));
      return;
    }
    if (phase === 'paid') void flow.finish();
    for (const input of interpretTyped(text, MAX_QUICK_ITEMS)) {
      if (input.kind === 'amount') editCart((cart) => pressAmountKey(cart, input.key));
      else if (input.kind === 'quantity') editCart((cart) => changeQuantity(cart, input.delta));
      else {
        // A letter is a key, not a rank: an empty key adds nothing.
        const item = quickItems.find((quick) => quick.key === input.index)?.item;
        if (item) editCart((cart) => addItem(cart, item));
      }
    }
  };

  useInputLayer({
    onKey: (event) => {
      const which = commandForKey(event.key);
      if (!which) return;
      // Keys typed into a field stay there (Backspace, arrows); F-keys and Esc work everywhere.
      const inField = event.target instanceof HTMLInputElement;
      if (inField && (which === 'backspace' || which === 'remove-line' || which === 'line-up' || which === 'line-down')) return;
      if (inField && event.key === 'Enter' && event.target === codeRef.current) {
        event.preventDefault();
        return void submitTypedCode();
      }
      event.preventDefault();
      command(which, event.key);
    },
    onTyped: typed,
    onScan: flow.onWedgeScan,
  });

  const escLabel =
    phase === 'building'
      ? flow.cart.amountText !== ''
        ? t('counter.clearAmount')
        : null
      : phase === 'tendering' && pending && attempt.mode === 'native'
        ? t('counter.cancelQr')
        : phase === 'tendering' && !pending && sale?.paidFen === 0
          ? t('counter.backToEdit')
          : null;
  const notice = counter.notice && now - counter.notice.at < NOTICE_MS ? counter.notice : null;

  return (
    <div className="counter">
      <div className="counter-main">
        {phase === 'building' || !sale ? (
          <CartPanel
            cart={flow.cart}
            items={quickItems}
            onSelect={(index) => editCart((cart) => selectLine(cart, index))}
            onQuantity={(index, delta) => editCart((cart) => changeQuantity(cart, delta, index))}
            onRemove={(index) => editCart((cart) => removeLine(cart, index))}
            onAddItem={(item) => editCart((cart) => addItem(cart, item))}
          />
        ) : (
          <SaleSummary sale={sale} attempts={counter.attempts} now={now} online={online} />
        )}
        <section className="pay-column" aria-label={t('payment.title')}>
          {sale && phase !== 'building' && <PaymentStatus sale={sale} attempt={attempt} now={now} online={online} lastCash={flow.lastCash} />}
          {phase === 'tendering' && !pending && (
            <label className="code-entry">
              {t('payment.codeField')}
              <input
                ref={codeRef}
                // Focused whenever a code can be taken, so a cashier typing digits types the code.
                autoFocus
                inputMode="numeric"
                autoComplete="off"
                maxLength={CODE_LENGTH}
                placeholder={t('payment.codePlaceholder')}
                value={code}
                onChange={(e) => setCode(digitsOf(e.target.value).slice(0, CODE_LENGTH))}
              />
            </label>
          )}
          {phase !== 'paid' && !pending && (
            <Numpad
              compact={phase === 'tendering'}
              withPoint={phase === 'building'}
              labels={{ group: t('cashier.numpad'), backspace: t('cashier.backspace'), clear: t('cashier.clear'), clearKey: phase === 'building' ? 'Esc' : 'Del' }}
              onKey={(key) => (phase === 'building' ? editCart((cart) => pressAmountKey(cart, key)) : setCode((current) => applyDigitKey(current, key, CODE_LENGTH)))}
            />
          )}
          {phase === 'paid' ? (
            <KeyButton className="primary next-sale" label={t('counter.nextSale')} keyLabel="Enter" ariaKeys="Enter Escape" onClick={() => void flow.finish()} />
          ) : (
            <TenderButtons canCharge={canCharge} pending={pending} qrBlockedReason={qrBlocked} onCommand={command} escLabel={escLabel} />
          )}
        </section>
      </div>
      <div className="message-bar" aria-live="polite">
        {counter.error && (
          <p className="message message-error" role="alert">
            {'text' in counter.error ? counter.error.text : pick(counter.error.localized, language)}
          </p>
        )}
        {notice && (
          <p className="message message-notice" role="status">
            {pick(notice.message, language)}
          </p>
        )}
        {firstAlert && dialog?.kind !== 'payment-alert' && (
          <p className="message message-error" data-testid="payment-alerts-pending">
            {t('paymentAlert.pending', { count: counter.paymentAlerts.length })}{' '}
            <button type="button" onClick={() => setDialog({ kind: 'payment-alert' })}>
              {t('paymentAlert.open')}
            </button>
          </p>
        )}
      </div>
      <nav className="action-bar" aria-label={t('counter.functionKeys')}>
        {(['recent', 'stuck', 'drawer', 'void', 'shift', 'sign-out'] as const).map((which) => (
          <KeyButton
            key={which}
            label={which === 'void' ? (phase === 'tendering' ? t('counter.voidSale') : t('counter.clearCart')) : which === 'sign-out' ? t('status.signOut') : t(`counter.${which}`)}
            keyLabel={commandKeyLabel(which)}
            ariaKeys={commandAriaKeys(which)}
            onClick={() => command(which)}
            disabled={which === 'void' && phase === 'paid'}
          />
        ))}
      </nav>
      {dialog?.kind === 'cash' && flow.cashDueFen() > 0 && <CashDialog dueFen={flow.cashDueFen()} onPay={flow.payCash} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'recent' && <RecentSalesDialog counter={counter} lookup={dialog.lookup} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'stuck' && <StuckDialog counter={counter} online={online} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'shift' && counter.shift && (
        <ShiftMenuDialog counter={counter} shift={counter.shift} onClose={() => setDialog(null)} onCloseShift={() => setDialog({ kind: 'shift-close' })} />
      )}
      {dialog?.kind === 'shift-close' && counter.shift && <ShiftCloseDialog counter={counter} shift={counter.shift} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'payment-alert' && firstAlert && (
        <PaymentAlertDialog
          key={firstAlert.id}
          alert={firstAlert}
          now={now}
          onResolved={(message) => {
            setDialog(null);
            counter.showNotice(message, 'after-step');
          }}
          onClose={() => {
            setAlertsPutOff(newestAlertId);
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'drawer' && (
        <DrawerDialog
          onOpened={() => {
            setDialog(null);
            counter.showNotice(localized('drawer.opened'), 'after-step');
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
