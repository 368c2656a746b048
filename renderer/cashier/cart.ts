import type { MethodRequest } from '../../shared/api';
import { addFen, mulFen, ZERO_FEN, type Fen } from '../../shared/money';
import { amountTextToFen, applyAmountKey, type AmountKey } from './amount-entry';

/** A product the cashier can add with one key or tap. */
export interface QuickItem {
  id: string;
  /** The item's id in the store's list (items.list), when it came from there. */
  itemId?: number;
  /** Printed on the receipt and shown to the customer as is (product names are not translated). */
  name: string;
  unitFen: Fen;
  /** The product's barcode, when it has one. */
  barcode?: string;
}

export interface CartLine {
  /** The QuickItem's id: one line per item. */
  itemId: string;
  /** The item's id in the store's list, when the line came from there. */
  listItemId?: number;
  name: string;
  unitFen: Fen;
  quantity: number;
}

/**
 * The sale being built before checkout: product lines and/or an amount typed on the numpad. With lines present,
 * a typed amount is an extra open-price line, so nothing the cashier typed is silently dropped.
 */
export interface Cart {
  lines: CartLine[];
  /** The numpad's text, e.g. "12.5" (see amount-entry.ts). */
  amountText: string;
  /** Index of the line that + / - / Delete act on; null when there are no lines. */
  selected: number | null;
}

/** The name of the open-price line a typed amount becomes when products are in the cart too. */
export const KEYED_AMOUNT_LINE = '手输金额';
export const MAX_QUANTITY = 9999;

export const EMPTY_CART: Cart = { lines: [], amountText: '', selected: null };

export function typedAmount(cart: Cart): Fen | null {
  const amount = amountTextToFen(cart.amountText);
  return amount === null || amount === 0 ? null : amount;
}

export function lineAmount(line: CartLine): Fen {
  return mulFen(line.unitFen, line.quantity);
}

/** What the customer pays for the cart: its lines plus any typed amount. */
export function cartTotal(cart: Cart): Fen {
  return addFen(ZERO_FEN, ...cart.lines.map(lineAmount), typedAmount(cart) ?? ZERO_FEN);
}

export function isCartEmpty(cart: Cart): boolean {
  return cart.lines.length === 0 && typedAmount(cart) === null;
}

export function pressAmountKey(cart: Cart, key: AmountKey): Cart {
  const amountText = applyAmountKey(cart.amountText, key);
  return amountText === cart.amountText ? cart : { ...cart, amountText };
}

/** Adds one of an item: a second scan or tap of the same item raises the quantity of its line. */
export function addItem(cart: Cart, item: QuickItem): Cart {
  const index = cart.lines.findIndex((line) => line.itemId === item.id);
  if (index >= 0) return { ...changeQuantityAt(cart, index, 1), selected: index };
  const line: CartLine = { itemId: item.id, name: item.name, unitFen: item.unitFen, quantity: 1, ...(item.itemId !== undefined ? { listItemId: item.itemId } : {}) };
  return { ...cart, lines: [...cart.lines, line], selected: cart.lines.length };
}

function changeQuantityAt(cart: Cart, index: number, delta: number): Cart {
  const line = cart.lines[index];
  if (!line) return cart;
  const quantity = Math.min(MAX_QUANTITY, Math.max(1, line.quantity + delta));
  if (quantity === line.quantity) return cart;
  const lines = cart.lines.map((l, i) => (i === index ? { ...l, quantity } : l));
  return { ...cart, lines };
}

/** + / - on the selected line; a quantity never goes below 1 (removing a line is its own action). */
export function changeQuantity(cart: Cart, delta: number, index: number | null = cart.selected): Cart {
  if (index === null) return cart;
  return { ...changeQuantityAt(cart, index, delta), selected: index };
}

export function removeLine(cart: Cart, index: number | null = cart.selected): Cart {
  if (index === null || !cart.lines[index]) return cart;
  const lines = cart.lines.filter((_, i) => i !== index);
  const selected = lines.length === 0 ? null : Math.min(index, lines.length - 1);
  return { ...cart, lines, selected };
}

/** Moves the selection up or down, staying on the first / last line. */
export function moveSelection(cart: Cart, delta: number): Cart {
  if (cart.lines.length === 0) return cart;
  const from = cart.selected ?? (delta > 0 ? -1 : cart.lines.length);
  const selected = Math.min(cart.lines.length - 1, Math.max(0, from + delta));
  return selected === cart.selected ? cart : { ...cart, selected };
}

export function selectLine(cart: Cart, index: number): Cart {
  return cart.lines[index] ? { ...cart, selected: index } : cart;
}

/** The lines as the main side takes them: the typed amount becomes an open-price line when products are present. */
function requestLines(cart: Cart): { name: string; quantity: number; unitFen: number }[] {
  const lines = cart.lines.map((l) => ({ name: l.name, quantity: l.quantity, unitFen: l.unitFen }));
  const amount = typedAmount(cart);
  if (lines.length > 0 && amount !== null) lines.push({ name: KEYED_AMOUNT_LINE, quantity: 1, unitFen: amount });
  return lines;
}

/** The 'cart.preview' request that mirrors the cart on the customer display. */
export function previewRequest(cart: Cart): MethodRequest<'cart.preview'> {
  const lines = requestLines(cart);
  const amount = typedAmount(cart);
  return lines.length === 0 && amount !== null ? { lines, amountFen: amount } : { lines };
}

/** The 'sale.checkout' request for the cart, or null when there is nothing to charge. */
export function checkoutRequest(cart: Cart): MethodRequest<'sale.checkout'> | null {
  if (cartTotal(cart) <= 0) return null;
  const lines = requestLines(cart);
  const amount = typedAmount(cart);
  return lines.length === 0 && amount !== null ? { lines, amountFen: amount } : { lines };
}
