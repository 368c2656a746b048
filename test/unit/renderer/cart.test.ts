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
import { quickItemKey, quickItemOf, quickItemsFrom, quickKeyChanges, type QuickKey } from '../../../renderer/cashier/quick-items';
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

  it('puts each active quick item on the key it holds, leaves a freed key empty, and keeps the list’s item id on the line', () => {
    const view = (id: number, quickKey: number | null, extra: Partial<ItemView> = {}): ItemView => ({
      id,
      name: `商品${id}`,
      barcode: null,
      priceFen: 100 * id,
      quick: true,
      position: 1000 - id,
      active: true,
      quickKey,
      updatedAt: 0,
      ...extra,
    });
    // Key B (1) was freed; item 4 is quick but waits for a key; 5 and 6 are off the quick list or off sale.
    const list = [view(1, 2), view(2, 0), view(3, 11), view(4, null), view(5, null, { quick: false }), view(6, null, { active: false })];
    const quick = quickItemsFrom(list);
    expect(quick.map((q) => `${quickItemKey(q.key)}:${q.item.itemId ?? ''}`)).toEqual(['A:2', 'C:1', 'L:3']);
    expect(MAX_QUICK_ITEMS).toBe(12);
    expect(quickItemOf(view(7, 0, { barcode: '6901234560011', priceFen: 1250 }))).toEqual({ id: 'item:7', itemId: 7, name: '商品7', unitFen: 1250, barcode: '6901234560011' });
    const first = quick[0]?.item ?? water;
    const cart = addItem(addItem(EMPTY_CART, first), first);
    expect(cart.lines).toEqual([{ itemId: 'item:2', listItemId: 2, name: '商品2', unitFen: 200, quantity: 2 }]);
  });

  it('names the keys whose item changed, and nothing when only a price changed', () => {
    const key = (k: number, id: number, name: string, unitFen = 100): QuickKey => ({ key: k, item: { id: `item:${id}`, itemId: id, name, unitFen: fen(unitFen) } });
    const before = [key(0, 1, '矿泉水'), key(1, 2, '可乐'), key(2, 3, '拿铁')];
    expect(quickKeyChanges(before, [key(0, 1, '矿泉水', 250), key(1, 2, '可乐'), key(2, 3, '拿铁')])).toBeNull();
    expect(quickKeyChanges(before, [key(0, 1, '矿泉水'), key(2, 3, '拿铁'), key(3, 9, '酸奶')])).toEqual({
      zh: '店长调整了快捷键：B（空）、D 酸奶',
      en: 'A manager changed the quick keys: B (empty), D 酸奶',
    });
  });
});
