import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MethodName, MethodRequest, MethodResult, PosApi, PrinterStatusView, SessionUser } from '../../shared/api';
import type { Localized } from '../../shared/i18n';
import type { AttemptView, PaymentAlertView, SaleView, SyncStatus } from '../../shared/payments';
import type { ScannerState } from '../../shared/scan';
import type { ShiftView } from '../../shared/shifts';
import { beep } from './announce';
import { attemptsOfSale } from './payment-progress';
import type { QuickKey } from './quick-items';
import { useQuickItems } from './use-quick-items';

/** A problem to show the cashier: a refusal from the main side (its message) or a local one (both languages). */
export type CounterMessage = { text: string } | { localized: Localized };

export interface CounterData {
  /** False until the first counter.getState answered (or failed). */
  ready: boolean;
  user: SessionUser | null;
  sale: SaleView | null;
  /** The active sale's attempts, freshest version of each, oldest first. */
  attempts: AttemptView[];
  sync: SyncStatus | null;
  scanner: ScannerState | null;
  printer: PrinterStatusView | null;
  /** This terminal's shift: undefined until known (or when the main side cannot say), null when none is open. */
  shift: ShiftView | null | undefined;
  /** The notice of the current step: from the main side (e.g. an Alipay code was scanned), or a local one. */
  notice: { message: Localized; at: number } | null;
  /** A receipt QR the main side looked up from a scan: the recent-sales panel opens on it. Counts up per new scan. */
  scannedReceipt: { sale: SaleView; seq: number } | null;
  /** Payments on a sale the counter was not showing, not resolved yet (oldest first): the cashier is asked about each. */
  paymentAlerts: PaymentAlertView[];
  /** The quick keys (A–L) and the items they hold, from the store's item list, kept current. */
  quickItems: readonly QuickKey[];
  /** Why the cashier's last action in the current step was refused (gone when the step ends). */
  error: CounterMessage | null;
}

/**
 * When a notice shows: 'now' for news about the step the counter is in (an unknown barcode while building the
 * cart), 'after-step' for the outcome of a step that is ending (a dialog's "cash paid in" as it closes).
 */
export type NoticeTiming = 'now' | 'after-step';

export interface Counter extends CounterData {
  /** Calls the main side; a refusal is shown as the counter's error and null returned. */
  run: <M extends MethodName>(method: M, request: MethodRequest<M>) => Promise<MethodResult<M> | null>;
  setUser: (user: SessionUser | null) => void;
  setSale: (sale: SaleView | null) => void;
  /** A shift a call just opened or closed: shown at once, without waiting for 'shift.updated'. */
  setShift: (shift: ShiftView | null) => void;
  showError: (error: CounterMessage | null) => void;
  showNotice: (message: Localized, timing?: NoticeTiming) => void;
  /**
   * The cashier moved to another step (a dialog opened or closed, a sale started, was paid or cleared): the messages
   * of the step that ended go, so a refusal never stays on screen through what the cashier does next.
   */
  beginStep: () => void;
  /** An attempt a call just returned: shown at once, without waiting for its event. */
  noteAttempt: (attempt: AttemptView) => void;
}

const SIGNED_OUT_CODES = new Set(['NOT_SIGNED_IN']);

/** The counter's live state: the main side's events folded into one view, plus a call helper that reports refusals. */
export function useCounter(api: PosApi): Counter {
  const [ready, setReady] = useState(false);
  const [user, setUser] = useState<SessionUser | null>(null);
  const [sale, setSaleState] = useState<SaleView | null>(null);
  const [pushed, setPushed] = useState<ReadonlyMap<number, AttemptView>>(new Map());
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const [scanner, setScanner] = useState<ScannerState | null>(null);
  const [printer, setPrinter] = useState<PrinterStatusView | null>(null);
  const [shift, setShift] = useState<ShiftView | null | undefined>(undefined);
  // Each message is stamped with the step it belongs to and shows only during that step (see beginStep).
  const [step, setStep] = useState(0);
  const stepRef = useRef(0);
  const [notice, setNoticeOfStep] = useState<(NonNullable<CounterData['notice']> & { step: number }) | null>(null);
  const [error, setErrorOfStep] = useState<{ message: CounterMessage; step: number } | null>(null);
  const lastMainNoticeAt = useRef<number | null>(null);
  const setError = useCallback((message: CounterMessage | null) => setErrorOfStep(message ? { message, step: stepRef.current } : null), []);
  const setNotice = useCallback((value: CounterData['notice'], timing: NoticeTiming = 'now') => {
    setNoticeOfStep(value ? { ...value, step: stepRef.current + (timing === 'after-step' ? 1 : 0) } : null);
  }, []);
  // The main side repeats its last notice on every push: only a new one (a later time) is news for this step.
  const setMainNotice = useCallback(
    (value: CounterData['notice']) => {
      if (!value || value.at === lastMainNoticeAt.current) return;
      lastMainNoticeAt.current = value.at;
      setNotice(value);
    },
    [setNotice],
  );
  const beginStep = useCallback(() => {
    stepRef.current += 1;
    setStep(stepRef.current);
  }, []);
  const [scannedReceipt, setScannedReceipt] = useState<CounterData['scannedReceipt']>(null);
  const [paymentAlerts, setPaymentAlerts] = useState<PaymentAlertView[]>([]);
  const saleId = useRef<number | null>(null);
  const lastReceiptScanAt = useRef<number | null>(null);

  const setSale = useCallback((next: SaleView | null) => {
    if (next?.id !== saleId.current) setPushed(new Map());
    saleId.current = next?.id ?? null;
    setSaleState(next);
  }, []);

  useEffect(() => {
    const offs = [
      api.on('counter.state', (state) => {
        setSale(state.activeSale);
        setPaymentAlerts(state.paymentAlerts);
        setMainNotice(state.notice);
        // Every push repeats the last scanned receipt: only a new scan (a later time, even of the same receipt) opens it.
        const receipt = state.scannedReceipt ?? null;
        if (receipt && receipt.at !== lastReceiptScanAt.current) setScannedReceipt((current) => ({ sale: receipt.sale, seq: (current?.seq ?? 0) + 1 }));
        lastReceiptScanAt.current = receipt?.at ?? null;
      }),
      api.on('sale.updated', (updated) => {
        if (updated.id === saleId.current) setSaleState(updated);
      }),
      api.on('attempt.updated', (attempt) => {
        if (attempt.saleId !== saleId.current) return;
        setPushed((current) => {
          const known = current.get(attempt.id);
          return known && known.updatedAt > attempt.updatedAt ? current : new Map(current).set(attempt.id, attempt);
        });
      }),
      api.on('sync.status', setSync),
      api.on('scanner.state', setScanner),
      api.on('printer.state', setPrinter),
      // Every scan either scanner read (payment code, product, receipt, garbage): the cashier hears it arrived.
      api.on('scanner.scanned', () => beep()),
      api.on('shift.updated', (view) => setShift(view.state === 'open' ? view : null)),
    ];
    return () => offs.forEach((off) => off());
  }, [api, setSale, setMainNotice]);

  useEffect(() => {
    let live = true;
    // Sessions belong to the window's connection (auth.current); the sale on the counter belongs to the terminal.
    void Promise.all([api.call('auth.current', {}), api.call('counter.getState', {}), api.call('sync.getStatus', {})]).then(([me, counter, status]) => {
      if (!live) return;
      if (me.ok && me.value) setUser({ id: me.value.id, name: me.value.name, role: me.value.role });
      if (counter.ok) {
        setSale(counter.value.activeSale);
        setPaymentAlerts(counter.value.paymentAlerts);
        // A notice from before the window connected (e.g. a sale voided after a restart) is still news.
        setMainNotice(counter.value.notice);
      }
      if (status.ok) setSync(status.value);
      setReady(true);
    });
    return () => {
      live = false;
    };
  }, [api, setSale, setMainNotice]);

  // Asked for before the shift: the counter shows once the shift is known, with its quick items already there.
  const quickItems = useQuickItems(api, user !== null, (change) => setNotice({ message: change, at: Date.now() }));

  // The shift is read once someone is signed in (the main side answers only then).
  useEffect(() => {
    if (!user) return;
    let live = true;
    void api.call('shift.current', {}).then((result) => {
      if (live && result.ok) setShift(result.value);
    });
    return () => {
      live = false;
    };
  }, [api, user]);

  const run = useCallback(
    async <M extends MethodName>(method: M, request: MethodRequest<M>): Promise<MethodResult<M> | null> => {
      const result = await api.call(method, request);
      if (result.ok) return result.value;
      if (SIGNED_OUT_CODES.has(result.error.code)) setUser(null);
      setError({ text: result.error.message });
      return null;
    },
    [api, setError],
  );

  const showNotice = useCallback((message: Localized, timing?: NoticeTiming) => setNotice({ message, at: Date.now() }, timing), [setNotice]);
  const noteAttempt = useCallback((attempt: AttemptView) => {
    if (attempt.saleId !== saleId.current) return;
    setPushed((current) => {
      const known = current.get(attempt.id);
      return known && known.updatedAt > attempt.updatedAt ? current : new Map(current).set(attempt.id, attempt);
    });
  }, []);
  const attempts = useMemo(() => attemptsOfSale(sale, pushed), [sale, pushed]);

  const noticeNow = notice && notice.step === step ? { message: notice.message, at: notice.at } : null;
  const errorNow = error && error.step === step ? error.message : null;
  return {
    ready,
    user,
    sale,
    attempts,
    sync,
    scanner,
    printer,
    shift,
    notice: noticeNow,
    scannedReceipt,
    paymentAlerts,
    quickItems,
    error: errorNow,
    run,
    setUser,
    setSale,
    setShift,
    showError: setError,
    showNotice,
    beginStep,
    noteAttempt,
  };
}
