import { useCallback, useEffect, useRef, useState } from 'react';
import type { PosApi } from '../../shared/api';
import type { Language } from '../../shared/i18n';
import { fen, type Fen } from '../../shared/money';
import { LOCAL_REASONS, type SaleView } from '../../shared/payments';
import { ALIPAY_NOT_SUPPORTED, classifyScan } from '../../shared/scan';
import { announcementText, changeGiven, currentAttempt, isPending, phaseOf, qrAvailable, wechatPaidFen } from './payment-progress';
import { addItem, cartTotal, checkoutRequest, EMPTY_CART, isCartEmpty, previewRequest, type Cart } from './cart';
import { speak } from './announce';
import { quickItemOf } from './quick-items';
import { localized } from '../i18n/messages';
import type { Counter } from './use-counter';

/** How long 支付成功 stays before the counter clears for the next sale (longer when change must be counted out). */
export const PAID_HOLD_MS = 2500;
export const PAID_WITH_CHANGE_HOLD_MS = 15_000;


export interface SaleFlow {
  cart: Cart;
  updateCart: (change: (cart: Cart) => Cart) => void;
  /** The cash tender just taken, shown big until the next sale. */
  lastCash: { changeFen: Fen; tenderedFen: Fen } | null;
  /** Shows why no new tender can start while an attempt is running; true when one is. */
  refuseWhilePending: () => boolean;
  /** Turns the cart into a sale (or returns the open one). */
  ensureSale: () => Promise<SaleView | null>;
  submitCode: (code: string) => Promise<boolean>;
  startQr: () => Promise<void>;
  /** What the cash dialog asks for: the open sale's due amount, or the cart's total before any checkout (0: nothing). */
  cashDueFen: () => Fen;
  /** Cash for the open sale, or for the cart: in full, the sale and its cash in one commit (payment.cashSale). */
  payCash: (amountFen: Fen, tenderedFen: Fen) => Promise<boolean>;
  supersede: () => Promise<void>;
  cancelQr: () => Promise<boolean>;
  /** Voids the unpaid sale; `restore` puts its cart back for editing. */
  voidSale: (restore: boolean) => Promise<void>;
  finish: () => Promise<void>;
  onWedgeScan: (code: string) => void;
}

/**
 * The sale's life at the counter: cart → checkout → tenders → paid → cleared. Holds the cart (with a ref, so keys
 * handled before React re-renders see the latest cart) and reacts to the sale the main side reports.
 */
export function useSaleFlow(counter: Counter, options: { api: PosApi; language: Language; voice: boolean }): SaleFlow {
  const { sale, run, setSale, showError, showNotice, noteAttempt } = counter;
  const { api } = options;
  const [cart, setCart] = useState<Cart>(EMPTY_CART);
  const cartRef = useRef(cart);
  const saleRef = useRef(sale);
  saleRef.current = sale;
  const snapshots = useRef(new Map<number, Cart>());
  const lastSaleId = useRef<number | null>(null);
  const announced = useRef<number | null>(null);
  const [lastCash, setLastCash] = useState<SaleFlow['lastCash']>(null);

  const updateCart = useCallback((change: (cart: Cart) => Cart) => {
    cartRef.current = change(cartRef.current);
    setCart(cartRef.current);
  }, []);

  // A sale appeared (our checkout, or one the main side started from a serial scan): the cart became that sale.
  useEffect(() => {
    const id = sale?.id ?? null;
    if (id === lastSaleId.current) return;
    lastSaleId.current = id;
    setLastCash(null);
    if (id !== null && !isCartEmpty(cartRef.current)) {
      snapshots.current.set(id, cartRef.current);
      updateCart(() => EMPTY_CART);
    }
  }, [sale?.id, updateCart]);

  // The customer display mirrors the cart while no sale is being paid (then the main side drives it).
  useEffect(() => {
    if (sale) return;
    void run('cart.preview', previewRequest(cart));
  }, [cart, sale, run]);

  // Paid: announce once per sale.
  useEffect(() => {
    if (!sale || sale.state !== 'paid' || announced.current === sale.id) return;
    announced.current = sale.id;
    const wechat = wechatPaidFen(sale);
    if (options.voice && wechat > 0) speak(announcementText(wechat, options.language), options.language);
  }, [sale, options.voice, options.language]);

  const finish = useCallback(async () => {
    const current = saleRef.current;
    if (!current || current.state !== 'paid') return;
    await run('sale.finish', { saleId: current.id });
    if (saleRef.current?.id === current.id) setSale(null);
    snapshots.current.delete(current.id);
  }, [run, setSale]);

  // Paid: clear the counter after a moment (longer when change is handed back).
  // Keyed on the sale's id, not the object: later pushes of the same paid sale must not restart the wait.
  const paidSaleId = sale?.state === 'paid' ? sale.id : null;
  const paidHoldMs = sale?.state === 'paid' && changeGiven(sale) > 0 ? PAID_WITH_CHANGE_HOLD_MS : PAID_HOLD_MS;
  useEffect(() => {
    if (paidSaleId === null) return;
    const timer = setTimeout(() => void finish(), paidHoldMs);
    return () => clearTimeout(timer);
  }, [paidSaleId, paidHoldMs, finish]);

  // A product barcode from either scanner, looked up by the main side: it goes into the cart being built. While a
  // sale is being paid its lines are fixed, so the scan is refused in words; after 支付成功 it starts the next sale.
  useEffect(
    () =>
      api.on('scanner.scanned', (feedback) => {
        if (feedback.kind !== 'product' || !feedback.item) return;
        const item = quickItemOf(feedback.item);
        const phase = phaseOf(saleRef.current);
        if (phase === 'tendering') {
          showNotice(localized('flow.scanWhilePaying', { name: item.name }));
          return;
        }
        void (async () => {
          if (phase === 'paid') await finish();
          showError(null);
          updateCart((cart) => addItem(cart, item));
        })();
      }),
    [api, finish, showError, showNotice, updateCart],
  );

  const ensureSale = useCallback(async (): Promise<SaleView | null> => {
    const open = saleRef.current;
    if (open && open.state === 'open') return open;
    if (open && open.state === 'paid') await finish();
    const request = checkoutRequest(cartRef.current);
    if (!request) {
      showError({ localized: localized('flow.noAmount') });
      return null;
    }
    const created = await run('sale.checkout', request);
    if (created) setSale(created);
    return created;
  }, [finish, run, setSale, showError]);

  const blockedByPending = useCallback((): boolean => {
    if (!isPending(currentAttempt(counter.attempts))) return false;
    showError({ localized: localized('flow.waitForAttempt') });
    return true;
  }, [counter.attempts, showError]);

  const submitCode = useCallback(
    async (code: string): Promise<boolean> => {
      const scan = classifyScan(code);
      if (scan.kind === 'alipay-code') {
        showError({ localized: ALIPAY_NOT_SUPPORTED });
        return false;
      }
      if (scan.kind !== 'wechat-pay-code') {
        showError({ localized: LOCAL_REASONS.notWechatCode });
        return false;
      }
      if (blockedByPending()) return false;
      const target = await ensureSale();
      if (!target) return false;
      showError(null);
      const attempt = await run('payment.submitCode', { saleId: target.id, code: scan.code });
      if (attempt) noteAttempt(attempt);
      return attempt !== null;
    },
    [blockedByPending, ensureSale, noteAttempt, run, showError],
  );

  const startQr = useCallback(async () => {
    if (!qrAvailable(counter.sync)) {
      showError({ localized: LOCAL_REASONS.offline });
      return;
    }
    if (blockedByPending()) return;
    const target = await ensureSale();
    if (!target) return;
    showError(null);
    const attempt = await run('payment.startQr', { saleId: target.id });
    if (attempt) noteAttempt(attempt);
  }, [blockedByPending, counter.sync, ensureSale, noteAttempt, run, showError]);

  const cashDueFen = useCallback((): Fen => {
    const open = saleRef.current;
    if (open) return open.state === 'open' ? open.dueFen : fen(0);
    return cartTotal(cartRef.current);
  }, []);

  const payCash = useCallback(
    async (amountFen: Fen, tenderedFen: Fen): Promise<boolean> => {
      const open = saleRef.current;
      const request = open ? null : checkoutRequest(cartRef.current);
      // The whole cart in cash with no sale yet: sale, lines and cash in one commit (one fsync, not two).
      const inFull = request && amountFen === cartTotal(cartRef.current) ? request : null;
      const result = inFull
        ? await run('payment.cashSale', { ...inFull, tenderedFen })
        : await (async () => {
            // A cash part of a split tender: the sale is needed first, the rest is paid with another tender on it.
            const target = open ?? (await ensureSale());
            if (!target || target.state !== 'open') return null;
            const part = amountFen === target.dueFen ? {} : { amountFen };
            return run('payment.cash', { saleId: target.id, tenderedFen, ...part });
          })();
      if (!result) return false;
      showError(null);
      setLastCash({ changeFen: fen(result.changeFen), tenderedFen });
      setSale(result.sale);
      return true;
    },
    [ensureSale, run, setSale, showError],
  );

  const supersede = useCallback(async () => {
    const attempt = currentAttempt(counter.attempts);
    if (!isPending(attempt)) return;
    const updated = await run('payment.supersede', { attemptId: attempt.id });
    if (!updated) return;
    noteAttempt(updated);
    showError(null);
  }, [counter.attempts, noteAttempt, run, showError]);

  const cancelQr = useCallback(async (): Promise<boolean> => {
    const attempt = currentAttempt(counter.attempts);
    if (!isPending(attempt) || attempt.mode !== 'native') return false;
    const updated = await run('payment.cancelQr', { attemptId: attempt.id });
    if (updated) noteAttempt(updated);
    return true;
  }, [counter.attempts, noteAttempt, run]);

  const voidSale = useCallback(
    async (restore: boolean) => {
      const target = saleRef.current;
      if (!target || target.state !== 'open') return;
      if (blockedByPending()) return;
      if (target.paidFen > 0) {
        showError({ localized: localized('flow.partPaidNoVoid') });
        return;
      }
      const voided = await run('sale.void', restore ? { saleId: target.id, reason: '返回修改' } : { saleId: target.id });
      if (!voided) return;
      const snapshot = snapshots.current.get(target.id);
      snapshots.current.delete(target.id);
      setSale(null);
      showError(null);
      if (restore && snapshot) updateCart(() => snapshot);
    },
    [blockedByPending, run, setSale, showError, updateCart],
  );

  const onWedgeScan = useCallback(
    (code: string) => {
      // The beep comes with 'scanner.scanned', as for the serial scanner.
      const scan = classifyScan(code);
      // Routing is the main side's (receipt QR codes come back as counter.state.scannedReceipt, Alipay as a notice).
      void (async () => {
        // A code scanned while 支付成功 is still showing is for the next sale: clear the paid one first.
        if (phaseOf(saleRef.current) === 'paid' && scan.kind === 'wechat-pay-code') await finish();
        await run('scanner.submitWedgeScan', { code });
      })();
    },
    [finish, run],
  );

  return { cart, updateCart, lastCash, refuseWhilePending: blockedByPending, ensureSale, submitCode, startQr, cashDueFen, payCash, supersede, cancelQr, voidSale, finish, onWedgeScan };
}
