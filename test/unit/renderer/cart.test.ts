import { describe, expect, it } from 'vitest';
import {
  addItem,
  cartTotal,
  changeQuantity,
  checkoutRequest,
  EMPTY_CART,
  isCartEmpty,
  KEYED_AMOUNT_LINE,
  MAX_QUANTITY,
  moveSelection,
  pressAmountKey,
  previewRequest,
  removeLine,
  selectLine,
  type Cart,
  type QuickItem,
} from '../../../renderer/cashier/cart';
import { quickItemKey, quickItemOf, quickItemsFrom } from '../../../renderer/cashier/quick-items';
import { MAX_QUICK_ITEMS, type ItemView } from '../../../shared/items';
import { fen } from '../../../shared/money';

const water: QuickItem = { id: 'water', name: '矿泉水', unitFen: fen(200), barcode: '6901' };
const cola: QuickItem = { id: 'cola', name: '可乐', unitFen: fen(350) };
const typed = (cart: Cart, text: string): Cart => [...text].reduce((c, ch) => pressAmountKey(c, ch === '.' ? '.' : (ch as '0')), cart);

describe('the cart', () => {
  it('totals a typed amount alone, in fen', () => {
    const cart = typed(EMPTY_CART, '12.5');
    expect(cartTotal(cart)).toBe(1250);
    expect(previewRequest(cart)).toEqual({ lines: [], amountFen: 1250 });
    expect(checkoutRequest(cart)).toEqual({ lines: [], amountFen: 1250 });
  });

  it('adds a second tap of the same item to its line and selects it', () => {
    const cart = addItem(addItem(addItem(EMPTY_CART, water), cola), water);
    expect(cart.lines.map((l) => [l.name, l.quantity])).toEqual([
      ['矿泉水', 2],
      ['可乐', 1],
    ]);
    expect(cart.selected).toBe(0);
    expect(cartTotal(cart)).toBe(750);
  });

  it('keeps a typed amount next to items as an open-price line, so nothing typed is lost', () => {
    const cart = typed(addItem(EMPTY_CART, cola), '5');
    expect(cartTotal(cart)).toBe(850);
    const request = checkoutRequest(cart);
    expect(request).toEqual({
      lines: [
        { name: '可乐', quantity: 1, unitFen: 350 },
        { name: KEYED_AMOUNT_LINE, quantity: 1, unitFen: 500 },
      ],
    });
    expect(previewRequest(cart)).toEqual(request);
  });

  it('changes quantities between 1 and the maximum, never to zero', () => {
    let cart = addItem(EMPTY_CART, water);
    cart = changeQuantity(cart, -1);
    expect(cart.lines[0]?.quantity).toBe(1);
    cart = changeQuantity(cart, MAX_QUANTITY + 5);
    expect(cart.lines[0]?.quantity).toBe(MAX_QUANTITY);
    expect(changeQuantity({ ...cart, selected: null }, 1)).toEqual({ ...cart, selected: null });
  });

  it('removes the selected line and keeps a selection when lines remain', () => {
    const cart = selectLine(addItem(addItem(EMPTY_CART, water), cola), 1);
    const removed = removeLine(cart);
    expect(removed.lines.map((l) => l.name)).toEqual(['矿泉水']);
    expect(removed.selected).toBe(0);
    const empty = removeLine(removed);
    expect(empty.lines).toEqual([]);
    expect(empty.selected).toBeNull();
    expect(isCartEmpty(empty)).toBe(true);
  });

  it('moves the selection within the lines and stops at the ends', () => {
    const cart = addItem(addItem(EMPTY_CART, water), cola);
    expect(moveSelection(cart, -1).selected).toBe(0);
    expect(moveSelection(moveSelection(cart, -1), -1).selected).toBe(0);
    expect(moveSelection({ ...cart, selected: 0 }, 1).selected).toBe(1);
    expect(moveSelection({ ...cart, selected: 1 }, 1).selected).toBe(1);
  });

  it('has nothing to charge when empty or when the amount is zero', () => {
    expect(checkoutRequest(EMPTY_CART)).toBeNull();
    expect(checkoutRequest(typed(EMPTY_CART, '0.00'))).toBeNull();
    expect(previewRequest(EMPTY_CART)).toEqual({ lines: [] });
  });

  it('shows active quick items in the manager’s order, at most one per key A–L, and keeps the list’s item id on the line', () => {
    const view = (id: number, position: number, extra: Partial<ItemView> = {}): ItemView => ({
      id,
      name: `商品${id}`,
      barcode: null,
      priceFen: 100 * id,
      quick: true,
      position,
      active: true,
      updatedAt: 0,
      ...extra,
    });
    const list = [
      view(1, 30),
      view(2, 10),
      view(3, 10),
      view(4, 0, { quick: false }),
      view(5, 0, { active: false }),
      ...Array.from({ length: 12 }, (_, i) => view(10 + i, 100 + i)),
    ];
    const quick = quickItemsFrom(list);
    expect(quick).toHaveLength(MAX_QUICK_ITEMS);
    expect(quick.slice(0, 3).map((q) => q.itemId)).toEqual([2, 3, 1]);
    expect(quick.map((_, i) => quickItemKey(i)).join('')).toBe('ABCDEFGHIJKL');
    expect(quickItemOf(view(7, 0, { barcode: '6901234560011', priceFen: 1250 }))).toEqual({ id: 'item:7', itemId: 7, name: '商品7', unitFen: 1250, barcode: '6901234560011' });
    const cart = addItem(addItem(EMPTY_CART, quick[0] ?? water), quick[0] ?? water);
    expect(cart.lines).toEqual([{ itemId: 'item:2', listItemId: 2, name: '商品2', unitFen: 200, quantity: 2 }]);
  });
});
