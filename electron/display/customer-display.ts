import type { CustomerDisplayState } from '../../shared/display';
import type { SaleView } from '../../shared/payments';
import { addFen, fen, mulFen, type Fen } from '../../shared/money';
import type { EventHub } from '../host/event-hub';

export interface CartPreview {
  lines: { name: string; quantity: number; unitFen: number }[];
  amountFen?: number;
}

/**
 * Holds what the customer display shows and pushes every change as a 'display.state' event. Payment flows call
 * the show* methods; the cashier's cart preview moves it between idle and cart.
 */
export class CustomerDisplay {
  private state: CustomerDisplayState;

  constructor(
    private readonly events: EventHub,
    private readonly context: () => { storeName: string; sandbox: boolean; wechatAvailable: boolean },
  ) {
    this.state = this.idleState();
    this.events.emit('display.state', this.state);
  }

  current(): CustomerDisplayState {
    return this.state;
  }

  showCart(preview: CartPreview): Fen {
    const lines = preview.lines.map((l) => ({ name: l.name, quantity: l.quantity, amountFen: mulFen(fen(l.unitFen), l.quantity) }));
    const totalFen = lines.length > 0 ? addFen(...lines.map((l) => l.amountFen)) : fen(preview.amountFen ?? 0);
    const { storeName, sandbox, wechatAvailable } = this.context();
    this.set(totalFen === 0 && lines.length === 0 ? this.idleState() : { kind: 'cart', storeName, sandbox, lines, totalFen, wechatAvailable });
    return totalFen;
  }

  /** A sale partly paid (split tender): its lines, the total, what is paid and, big, what is left to pay now. */
  showDue(sale: Pick<SaleView, 'lines' | 'totalFen' | 'paidFen'>): void {
    const { storeName, sandbox, wechatAvailable } = this.context();
    const lines = sale.lines.map((l) => ({ name: l.name, quantity: l.quantity, amountFen: l.amountFen }));
    this.set({ kind: 'cart', storeName, sandbox, lines, totalFen: sale.totalFen, wechatAvailable, paidFen: sale.paidFen });
  }

  showIdle(): void {
    this.set(this.idleState());
  }

  show(state: CustomerDisplayState): void {
    this.set(state);
  }

  /** Re-sends the current state with fresh context (store name, sandbox, WeChat availability). */
  refresh(): void {
    if (this.state.kind === 'idle') this.set(this.idleState());
    else if (this.state.kind === 'cart') this.set({ ...this.state, ...this.context() });
  }

  private idleState(): CustomerDisplayState {
    return { kind: 'idle', ...this.context() };
  }

  private set(state: CustomerDisplayState): void {
    this.state = state;
    this.events.emit('display.state', state);
  }
}
